import { Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import { AudienceMember, ContactAudienceService } from '@wwb/contacts';
import { AppLogger } from '@wwb/observability';
import { scopeOf } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { TemplateEngine, TemplatesService } from '@wwb/templates';
import type { TemplateRecord } from '@wwb/templates';
import { BulkRowRepository } from '../bulk/bulk-row.repository';
import type { BulkRowRecord } from '../bulk/bulk-row.schema';
import type { CampaignRecord } from '../definitions';
import { CampaignSchedule, compileSchedule, MISFIRE_GRACE_MS } from '../schedule';
import { CampaignRunRepository } from './campaign-run.repository';
import type { CampaignRecipientRecord, CampaignRunRecord, RecipientMessage } from './campaign-run.schema';

const BATCH = 200;

/** Why a recipient is not sent (planning): the codes the run report counts. */
export const PLAN_SKIP_REASONS = [
  'opted_out',
  'contact_not_found',
  'template_render_failed',
  'empty_message',
  'local_time_passed',
] as const;
export type PlanSkipReason = (typeof PLAN_SKIP_REASONS)[number];

export interface PlanResult {
  targeted: number;
  pending: number;
  skipped: Partial<Record<PlanSkipReason, number>>;
  /** Connections with something to send (each gets a dispatch). */
  connections: string[];
}

/** The connection of a recipient: a stable hash of the contact, so a contact keeps its sender. */
export function connectionFor(contactId: string, connectionIds: readonly string[]): string {
  const h = hash('sha1', contactId, 'buffer').readUInt32BE(0);
  return connectionIds[h % connectionIds.length]!;
}

/**
 * Plans a run: evaluates the audience now (minus opted-out contacts), renders the template for
 * each contact (a contact whose variables are missing is skipped with the reason; the others
 * go), picks each recipient's connection and the earliest time it may be sent (its own local
 * time of the occurrence when the schedule says so), and writes one recipient row each, in
 * batches. Repeating a planning (its planner died) inserts nothing twice: rows are unique per
 * (run, contact). Pure of transport: the scheduler and the API's run-now call it.
 */
@Injectable()
export class RunPlannerService {
  private readonly logger: Logger;

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly audience: ContactAudienceService,
    private readonly templates: TemplatesService,
    private readonly engine: TemplateEngine,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    appLogger: AppLogger,
    private readonly bulkRows: BulkRowRepository,
  ) {
    this.logger = appLogger.child({ context: 'RunPlanner' });
  }

  /**
   * @param heartbeat called after each batch written (the scheduler renews its lease there, so a
   *   long planning is not taken over by another node).
   */
  async plan(
    run: CampaignRunRecord,
    campaign: CampaignRecord,
    heartbeat: () => Promise<unknown> = async () => undefined,
  ): Promise<PlanResult> {
    const result: PlanResult = { targeted: 0, pending: 0, skipped: {}, connections: [] };
    const connections = new Set<string>();
    let batch: CampaignRecipientRecord[] = [];
    let seq = 0;
    // One batch is written while the next is read and rendered: reading and writing overlap.
    let writing: Promise<unknown> = Promise.resolve();
    const flush = async (rows: CampaignRecipientRecord[]) => {
      await writing;
      writing = this.runs.insertRecipients(rows).then(heartbeat);
      // A failed write must fail the planning (it is repeated later), not go unnoticed.
      writing.catch(() => undefined);
    };
    for await (const row of this.rows(run, campaign)) {
      // The row is this loop's own (made by rows()): numbered in place, not copied, because
      // every copy of 100,000 rows lives long enough to reach the old generation.
      const numbered = row as CampaignRecipientRecord;
      numbered.seq = ++seq;
      batch.push(numbered);
      count(result, row);
      if (row.state === 'pending') connections.add(row.connectionId);
      if (batch.length >= BATCH) {
        await flush(batch);
        batch = [];
      }
    }
    if (batch.length) await flush(batch);
    await writing;
    result.connections = [...connections].sort();
    this.logger.info({ runId: run._id, ...result }, 'run planned');
    return result;
  }

  /**
   * A dry run: the same audience, rendering and skips as a run starting now, written nowhere.
   * Returns the counts and the first `samples` recipients with the message each would get.
   */
  async preview(
    campaign: CampaignRecord,
    samples: number,
  ): Promise<{ result: PlanResult; samples: Omit<CampaignRecipientRecord, 'seq'>[] }> {
    const now = this.clock.now();
    const run: CampaignRunRecord = {
      _id: `${campaign._id}_dryrun`,
      accountId: campaign.accountId,
      campaignId: campaign._id,
      kind: 'manual',
      occurrence: now,
      occurrenceId: 'dryrun',
      createdAt: now,
    };
    const result: PlanResult = { targeted: 0, pending: 0, skipped: {}, connections: [] };
    const connections = new Set<string>();
    const out: Omit<CampaignRecipientRecord, 'seq'>[] = [];
    for await (const row of this.rows(run, campaign)) {
      count(result, row);
      if (row.state === 'pending') connections.add(row.connectionId);
      if (out.length < samples) out.push(row);
    }
    result.connections = [...connections].sort();
    return { result, samples: out };
  }

  /** Every recipient of a run, in planning order: the tagged contacts, the explicit ones, the missing. */
  private async *rows(
    run: CampaignRunRecord,
    campaign: CampaignRecord,
  ): AsyncGenerator<Omit<CampaignRecipientRecord, 'seq'>> {
    const scope = scopeOf(campaign.accountId);
    const template = await this.templates.get(scope, campaign.templateId);
    const schedule = dueTimes(compileSchedule(campaign.schedule));
    if (campaign.audience.bulkId) {
      yield* this.bulkRecipients(run, campaign, schedule, template);
      return;
    }
    const missing: string[] = [];
    const query = { tags: campaign.audience.tags, contactIds: campaign.audience.contactIds };
    for await (const member of this.audience.members(scope, query, (id) => missing.push(id))) {
      yield this.recipient(run, campaign, schedule, template, member);
    }
    for (const contactId of missing) {
      yield {
        ...this.base(run, campaign, contactId, { phone: '', timeZone: campaign.schedule.timeZone }),
        state: 'skipped',
        reason: 'contact_not_found',
        dueAt: run.occurrence,
      };
    }
  }

  /**
   * A bulk job's rows in order. Each phone is looked up among the contacts (a page of rows per
   * query) so an opted-out contact is still skipped; a phone of no contact is a recipient of its
   * own (`phone_<digits>`, UTC) rendered from the row's variables alone.
   */
  private async *bulkRecipients(
    run: CampaignRunRecord,
    campaign: CampaignRecord,
    schedule: DueTimes,
    template: TemplateRecord,
  ): AsyncGenerator<Omit<CampaignRecipientRecord, 'seq'>> {
    const scope = scopeOf(campaign.accountId);
    const rows = this.bulkRows.stream(scope, campaign.audience.bulkId!);
    for (let page = await nextPage(rows); page.length; page = await nextPage(rows)) {
      const contacts = await this.audience.byPhones(
        scope,
        page.map((r) => r.phone),
      );
      for (const row of page) {
        const member = contacts.get(row.phone) ?? phoneOnlyMember(row.phone);
        yield this.recipient(run, campaign, schedule, template, member, row.variables);
      }
    }
  }

  private recipient(
    run: CampaignRunRecord,
    campaign: CampaignRecord,
    schedule: DueTimes,
    template: TemplateRecord,
    member: AudienceMember,
    rowVariables: Record<string, unknown> = {},
  ): Omit<CampaignRecipientRecord, 'seq'> {
    const base = this.base(run, campaign, member.id, member);
    const dueAt =
      run.kind === 'scheduled' && campaign.schedule.recipientLocalTime
        ? schedule.sendAt(run.occurrence, member.timeZone)
        : run.occurrence;
    if (member.optedOut) return { ...base, state: 'skipped', reason: 'opted_out', dueAt };
    // The recipient's own time of this occurrence had passed when the run started (a campaign
    // created or resumed late in the day, a downtime): the misfire policy says whether it still
    // goes now (run_once) or is skipped.
    if (
      run.kind === 'scheduled' &&
      campaign.schedule.misfire === 'skip' &&
      dueAt.getTime() < this.clock.nowMs() - MISFIRE_GRACE_MS
    ) {
      return { ...base, state: 'skipped', reason: 'local_time_passed', dueAt };
    }
    let message: RecipientMessage | null;
    try {
      message = this.render(template, { ...campaign.variables, ...rowVariables }, member);
    } catch (err) {
      const reason = err instanceof DomainError ? err.message : String(err);
      return { ...base, state: 'skipped', reason: 'template_render_failed', detail: reason, dueAt };
    }
    if (!message) return { ...base, state: 'skipped', reason: 'empty_message', dueAt };
    return { ...base, state: 'pending', messageId: this.ids.prefixed('msg'), message, dueAt };
  }

  private base(
    run: CampaignRunRecord,
    campaign: CampaignRecord,
    contactId: string,
    contact: { phone: string; timeZone: string },
  ) {
    return {
      _id: `${run._id}/${contactId}`,
      accountId: campaign.accountId,
      campaignId: campaign._id,
      runId: run._id,
      contactId,
      phone: contact.phone,
      timeZone: contact.timeZone,
      connectionId: connectionFor(contactId, campaign.connectionIds),
    };
  }

  /** The template for one contact; null when it renders to nothing to send. */
  private render(
    template: TemplateRecord,
    variables: Record<string, unknown>,
    member: AudienceMember,
  ): RecipientMessage | null {
    const text = this.engine.render(template.body, {
      variables,
      contact: {
        id: member.id,
        phone: member.phone,
        name: member.name,
        tags: member.tags,
        attributes: member.attributes,
        timeZone: member.timeZone,
        language: member.language,
      },
      locale: member.language ?? template.language,
      now: this.clock.now(),
    });
    const to = member.phone;
    if (template.media) {
      const m = template.media;
      return {
        to,
        type: m.type,
        media: {
          ...(m.uploadId ? { uploadId: m.uploadId } : {}),
          ...(m.url && !m.uploadId ? { url: m.url } : {}),
          ...(m.filename ? { filename: m.filename } : {}),
        },
        ...(text.trim() ? { caption: text } : {}),
      };
    }
    return text.trim() ? { to, type: 'text', text } : null;
  }
}

function count(result: PlanResult, row: Pick<CampaignRecipientRecord, 'state' | 'reason'>): void {
  result.targeted += 1;
  if (row.state === 'pending') {
    result.pending += 1;
    return;
  }
  const reason = row.reason as PlanSkipReason;
  result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
}

/** Up to BATCH rows from `rows` (empty once it is done). */
async function nextPage(rows: AsyncGenerator<BulkRowRecord>): Promise<BulkRowRecord[]> {
  const page: BulkRowRecord[] = [];
  while (page.length < BATCH) {
    const next = await rows.next();
    if (next.done) break;
    page.push(next.value);
  }
  return page;
}

/** A bulk recipient that is no contact: addressed by phone, in UTC, with no contact fields. */
function phoneOnlyMember(phone: string): AudienceMember {
  return {
    id: `phone_${phone.replace(/\D/g, '')}`,
    phone,
    name: null,
    tags: [],
    attributes: {},
    timeZone: 'UTC',
    language: null,
    optedOut: false,
  };
}

type DueTimes = Pick<CampaignSchedule, 'sendAt'>;

/** sendAt per zone, computed once per zone: a run has a handful of zones and 100,000 recipients. */
function dueTimes(schedule: CampaignSchedule): DueTimes {
  const cache = new Map<string, Date>();
  return {
    sendAt(occurrence: Date, zone?: string | null): Date {
      const key = `${occurrence.getTime()}|${zone ?? ''}`;
      let at = cache.get(key);
      if (!at) cache.set(key, (at = schedule.sendAt(occurrence, zone)));
      return at;
    },
  };
}
