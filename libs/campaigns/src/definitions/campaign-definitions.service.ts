import { Injectable } from '@nestjs/common';
import { AccountsService } from '@wwb/accounts';
import { CONNECTION_ID_PATTERN, ConnectionRepository } from '@wwb/connections';
import { AccountScope, scopeOf } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { TemplateReferencesService, TemplatesService } from '@wwb/templates';
import { parsePacing } from '../pacing';
import { parseSchedule } from '../schedule';
import {
  AudienceInput,
  CAMPAIGN_ID_PATTERN,
  CampaignAction,
  CampaignReach,
  checkAudience,
  checkConnectionIds,
  checkName,
  checkVariables,
  stateAfter,
  withinReach,
} from './campaign-input.policy';
import { campaignStatus } from './campaign-status.policy';
import { CampaignView, toCampaignView } from './campaign.mapper';
import { CampaignChanges, CampaignRepository } from './campaign.repository';
import { CampaignRevisionStore } from './campaign-revision.store';
import { CampaignRecord } from './campaign.schema';
import type { LastRunView } from './last-run.policy';

/** A campaign as a caller gives it; `null` counts as absent. */
export interface CampaignInput {
  name?: string | null;
  connectionIds?: readonly unknown[] | null;
  templateId?: string | null;
  variables?: unknown;
  audience?: AudienceInput | null;
  schedule?: unknown;
  pacing?: unknown;
}

export type CreateCampaignCommand = CampaignInput & {
  name: string;
  connectionIds: readonly unknown[];
  templateId: string;
  audience: AudienceInput;
  schedule: unknown;
};

export interface CampaignPage {
  data: CampaignView[];
  nextCursor: string | null;
}

export const DEFAULT_CAMPAIGN_PAGE = 20;
/** A restricted key's list skips campaigns it cannot see; this bounds the rows read for one page. */
const MAX_SCANNED_PER_PAGE = 1000;
/** State changes retry a lost race this often: they set one field, so a re-read is enough. */
const STATE_CHANGE_ATTEMPTS = 5;
/** Between two of those attempts: long enough for the winner's write to land. */
const STATE_CHANGE_BACKOFF_MS = 25;

export const campaignNotFound = (): DomainError => DomainError.notFound('Campaign');
const campaignChanged = (): DomainError =>
  DomainError.conflict(
    'campaign_changed',
    'the campaign was changed by another request meanwhile; read it again and retry',
  );
const owner = (id: string) => ({ kind: 'campaign' as const, id });

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CAMPAIGN_ID_PATTERN.test(id)) {
    throw DomainError.invalid('invalid_cursor', 'cursor is not a cursor this endpoint returned', {
      field: 'cursor',
    });
  }
  return id;
}

/**
 * Creating, reading, changing and deleting campaigns (/v1/campaigns). A campaign takes a plan slot
 * (`campaigns`) and registers its template as used, both given back on delete. Every change is
 * conditioned on the revision it read, so two clients never silently overwrite each other.
 */
@Injectable()
export class CampaignDefinitionsService {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly revisions: CampaignRevisionStore,
    private readonly connections: ConnectionRepository,
    private readonly templates: TemplatesService,
    private readonly references: TemplateReferencesService,
    private readonly accounts: AccountsService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async create(
    scope: AccountScope,
    input: CreateCampaignCommand,
    reach?: CampaignReach,
  ): Promise<CampaignView> {
    const now = this.clock.now();
    // Everything is checked before the plan slot is taken: a full plan must not hide a bad body.
    const name = checkName(input.name);
    const connectionIds = checkConnectionIds(input.connectionIds);
    const variables = input.variables == null ? {} : checkVariables(input.variables);
    const audience = checkAudience(input.audience);
    const schedule = parseSchedule(input.schedule, now);
    const pacing = parsePacing(input.pacing);
    await this.checkConnections(scope, connectionIds, reach);
    await this.templates.assertUsable(scope, input.templateId);

    const id = this.ids.prefixed('cmp');
    const record: CampaignRecord = {
      _id: id,
      accountId: scope.accountId,
      name,
      connectionIds,
      templateId: input.templateId,
      variables,
      audience,
      schedule,
      pacing,
      state: 'active',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.accounts.reserve(scope, 'campaigns', id);
    try {
      // The reference first: the template cannot be deleted between the check and the insert.
      await this.references.set(scope, owner(id), [record.templateId]);
      await this.repository.insert(record);
    } catch (err) {
      await this.repository.delete(scope, id).catch(() => undefined);
      await this.references.clear(scope, owner(id)).catch(() => undefined);
      await this.accounts.release(scope, 'campaigns', id);
      throw err;
    }
    return this.viewOf(record, null, null, now);
  }

  async get(scope: AccountScope, id: string, reach?: CampaignReach): Promise<CampaignView> {
    return this.view(await this.find(scope, id, reach));
  }

  /** The stored campaign (404 as get), for the runs side's API (run now, dry run, reports). */
  record(scope: AccountScope, id: string, reach?: CampaignReach): Promise<CampaignRecord> {
    return this.find(scope, id, reach);
  }

  async list(
    scope: AccountScope,
    opts: { cursor?: string; limit?: number },
    reach?: CampaignReach,
  ): Promise<CampaignPage> {
    const limit = opts.limit ?? DEFAULT_CAMPAIGN_PAGE;
    let before = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
    const visible: CampaignRecord[] = [];
    let scanned = 0;
    let exhausted = false;
    while (visible.length <= limit && !exhausted && scanned < MAX_SCANNED_PER_PAGE) {
      const batch = limit + 1 - visible.length;
      const rows = await this.repository.list(scope, {
        ...(before ? { beforeId: before } : {}),
        limit: batch,
      });
      exhausted = rows.length < batch;
      scanned += rows.length;
      for (const row of rows) {
        before = row._id;
        if (withinReach(row.connectionIds, reach)) visible.push(row);
      }
    }
    const data = visible.slice(0, limit);
    let nextCursor: string | null = null;
    if (visible.length > limit) nextCursor = encodeCursor(data[data.length - 1]!._id);
    // Out of budget with rows left: go on after the last row read, even if none of it was visible.
    else if (!exhausted && before) nextCursor = encodeCursor(before);
    const ids = data.map((c) => c._id);
    const cursors = await this.repository.lastOccurrences(ids);
    const lastRuns = await this.repository.lastRuns(scope, ids, cursors);
    const now = this.clock.now();
    const views = data.map((c) =>
      this.viewOf(c, cursors.get(c._id) ?? null, lastRuns.get(c._id) ?? null, now),
    );
    return { data: views, nextCursor };
  }

  /** PATCH: absent fields stay; `audience` lists and `pacing` settings left out keep their values. */
  async update(
    scope: AccountScope,
    id: string,
    input: CampaignInput,
    reach?: CampaignReach,
  ): Promise<CampaignView> {
    const current = await this.find(scope, id, reach);
    if (current.kind === 'bulk') throw campaignNotFound();
    if (current.state === 'cancelled') {
      throw DomainError.conflict('campaign_cancelled', 'the campaign is cancelled and cannot be changed');
    }
    const now = this.clock.now();
    const changes: Partial<CampaignRecord> = {};
    if (input.name != null) changes.name = checkName(input.name);
    if (input.connectionIds != null) changes.connectionIds = checkConnectionIds(input.connectionIds);
    if (input.variables != null) changes.variables = checkVariables(input.variables);
    if (input.audience != null) changes.audience = checkAudience(input.audience, current.audience);
    if (input.schedule != null) changes.schedule = parseSchedule(input.schedule, now);
    if (input.pacing != null) changes.pacing = parsePacing(input.pacing, current.pacing);
    if (changes.connectionIds) await this.checkConnections(scope, changes.connectionIds, reach);
    const newTemplate = input.templateId != null && input.templateId !== current.templateId;
    if (newTemplate) {
      await this.templates.assertUsable(scope, input.templateId!);
      changes.templateId = input.templateId!;
    }
    if (!Object.keys(changes).length) return this.view(current);

    const write: CampaignChanges = { ...changes, revision: current.revision + 1, updatedAt: now };
    let referenced = false;
    let written: boolean;
    try {
      written = await this.write(scope, current, write, async () => {
        if (!newTemplate) return;
        // Both templates are referenced while the write is open, so neither can be deleted under it.
        referenced = true;
        await this.references.set(scope, owner(id), [current.templateId, write.templateId!]);
      });
    } catch (err) {
      if (referenced) await this.referenceStored(scope, id, await this.repository.get(scope, id));
      throw err;
    }
    if (referenced)
      await this.referenceStored(scope, id, written ? await this.repository.get(scope, id) : null);
    if (!written) throw campaignNotFound();
    return this.view({ ...current, ...write });
  }

  async delete(scope: AccountScope, id: string, reach?: CampaignReach): Promise<void> {
    // A bulk job's rows and quota slot live with its connection; it is never deleted from here.
    if ((await this.find(scope, id, reach)).kind === 'bulk') throw campaignNotFound();
    if (!(await this.repository.delete(scope, id))) throw campaignNotFound();
    await this.references.clear(scope, owner(id));
    await this.revisions.forget(id);
    await this.accounts.release(scope, 'campaigns', id);
  }

  pause(scope: AccountScope, id: string, reach?: CampaignReach): Promise<CampaignView> {
    return this.changeState(scope, id, 'pause', reach);
  }

  resume(scope: AccountScope, id: string, reach?: CampaignReach): Promise<CampaignView> {
    return this.changeState(scope, id, 'resume', reach);
  }

  cancel(scope: AccountScope, id: string, reach?: CampaignReach): Promise<CampaignView> {
    return this.changeState(scope, id, 'cancel', reach);
  }

  private async changeState(
    scope: AccountScope,
    id: string,
    action: CampaignAction,
    reach: CampaignReach,
  ): Promise<CampaignView> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.find(scope, id, reach);
      const state = stateAfter(current.state, action);
      if (state === null) return this.view(current);
      const write: CampaignChanges = { state, revision: current.revision + 1, updatedAt: this.clock.now() };
      try {
        if (!(await this.write(scope, current, write))) throw campaignNotFound();
        return this.view({ ...current, ...write });
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'campaign_changed')) throw err;
        if (attempt >= STATE_CHANGE_ATTEMPTS) throw err;
      }
      await this.clock.sleep(STATE_CHANGE_BACKOFF_MS * attempt);
    }
  }

  /**
   * Writes revision `current.revision + 1`, or 409 campaign_changed when another request wrote
   * or is writing after the revision read; false when the campaign is gone. `before` runs once
   * the claim is won and before the write (a failure there writes nothing).
   */
  private async write(
    scope: AccountScope,
    current: CampaignRecord,
    changes: CampaignChanges,
    before?: () => Promise<void>,
  ): Promise<boolean> {
    const claim = await this.revisions.begin(current._id, current.revision);
    if (!claim) throw campaignChanged();
    let written: boolean;
    try {
      await before?.();
      written = await this.repository.update(scope, current._id, current.revision, changes);
    } catch (err) {
      await this.revisions.abandon(claim);
      throw err;
    }
    if (!written) {
      await this.revisions.abandon(claim);
      // Still there: a writer that outlived its claim's lease got in first.
      if (await this.repository.get(scope, current._id)) throw campaignChanged();
      return false;
    }
    await this.revisions.finish(claim);
    return true;
  }

  /** The campaign, or 404: also another account's, and one a restricted key does not fully reach. */
  private async find(scope: AccountScope, id: string, reach: CampaignReach): Promise<CampaignRecord> {
    if (!CAMPAIGN_ID_PATTERN.test(id)) throw campaignNotFound();
    const record = await this.repository.get(scope, id);
    if (!record || !withinReach(record.connectionIds, reach)) throw campaignNotFound();
    return record;
  }

  /**
   * Connections of the account, or 400 unknown_connection naming every other one. One outside a
   * restricted key's reach is unknown to that key: it learns nothing about the others.
   */
  private async checkConnections(scope: AccountScope, ids: readonly string[], reach: CampaignReach) {
    const unknown: string[] = [];
    for (const id of ids) {
      const known =
        withinReach([id], reach) &&
        CONNECTION_ID_PATTERN.test(id) &&
        (await this.connections.get(scope, id)) !== null;
      if (!known) unknown.push(id.slice(0, 100));
    }
    if (unknown.length) {
      throw DomainError.invalid(
        'unknown_connection',
        `connectionIds: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not connections' : 'is not a connection'} of this account`,
        { field: 'connectionIds', connectionIds: unknown },
      );
    }
  }

  /** Leaves exactly the stored campaign's template referenced (none when it is gone). */
  private async referenceStored(
    scope: AccountScope,
    id: string,
    stored: CampaignRecord | null,
  ): Promise<void> {
    if (stored) await this.references.set(scope, owner(id), [stored.templateId]);
    else await this.references.clear(scope, owner(id));
  }

  private async view(record: CampaignRecord): Promise<CampaignView> {
    const cursors = await this.repository.lastOccurrences([record._id]);
    const lastRuns = await this.repository.lastRuns(scopeOf(record.accountId), [record._id], cursors);
    return this.viewOf(
      record,
      cursors.get(record._id) ?? null,
      lastRuns.get(record._id) ?? null,
      this.clock.now(),
    );
  }

  private viewOf(
    record: CampaignRecord,
    lastOccurrence: Date | null,
    lastRun: LastRunView | null,
    now: Date,
  ): CampaignView {
    return toCampaignView(record, campaignStatus(record, lastOccurrence, now), lastRun);
  }
}
