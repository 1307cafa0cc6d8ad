import { Injectable } from '@nestjs/common';
import { AccountQuotaService, QuotaHold } from '@wwb/accounts';
import { CONNECTION_ID_PATTERN, ConnectionRepository } from '@wwb/connections';
import { QuotaSlotRepository } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { TemplatesService } from '@wwb/templates';
import { CampaignRecord, CampaignRepository } from '../definitions';
import { parsePacing } from '../pacing';
import { RunReport, RunReportService } from '../reports/run-report.service';
import { CampaignRunRepository } from '../runs/campaign-run.repository';
import { runIdOf } from '../runs/run-starter.service';
import { parseSchedule } from '../schedule';
import type { BulkRowError, BulkRows } from './bulk-row.policy';
import { BulkRowRepository } from './bulk-row.repository';

const NAME_MAX = 120;
/** A slot whose job has no campaign yet may be a request still under way: left alone this long. */
const ORPHAN_SLOT_MS = 5 * 60_000;

export interface BulkSendCommand {
  templateId: string;
  name?: string;
  pacing?: unknown;
  rows: BulkRows;
}

export interface BulkAccepted {
  id: string;
  runId: string;
  accepted: number;
  rejected: number;
  errors: BulkRowError[];
}

export interface BulkJobView {
  id: string;
  connectionId: string;
  templateId: string;
  name: string;
  accepted: number;
  rejected: number;
  runId: string | null;
  /** The run's report (state, counts by status, skip and failure reasons); null before its run exists. */
  report: RunReport | null;
  createdAt: string;
}

export const bulkJobNotFound = (): DomainError => DomainError.notFound('Bulk job');
const connectionNotFound = (): DomainError => DomainError.notFound('Connection');

/**
 * Bulk sends: a one-off campaign of kind 'bulk' (its job id is the campaign id) sent from one
 * connection to the request's rows, run at once through the ordinary run machinery (planning,
 * pacing, report, pause/resume/cancel). Each job holds a `bulkJobs` quota slot until its run is
 * over; slots are given back lazily, when the account is at its limit (see acquire).
 */
@Injectable()
export class BulkSendService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly runs: CampaignRunRepository,
    private readonly rows: BulkRowRepository,
    private readonly reports: RunReportService,
    private readonly quota: AccountQuotaService,
    private readonly slots: QuotaSlotRepository,
    private readonly connections: ConnectionRepository,
    private readonly templates: TemplatesService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores the good rows and starts the job's run; 400 no_valid_recipients (nothing created)
   * when every row is bad, 429 too_many_bulk_jobs at the plan's limit.
   */
  async create(scope: AccountScope, connectionId: string, cmd: BulkSendCommand): Promise<BulkAccepted> {
    await this.connection(scope, connectionId);
    const name = checkName(cmd.name);
    const pacing = parsePacing(cmd.pacing);
    await this.templates.assertUsable(scope, cmd.templateId);
    const { accepted, rejected, errors } = cmd.rows;
    if (!accepted.length) {
      throw DomainError.invalid(
        'no_valid_recipients',
        `recipients: none of the ${rejected} rows can be sent (see details.errors)`,
        { field: 'recipients', errors },
      );
    }
    const id = this.ids.prefixed('cmp');
    const hold = await this.acquire(scope, id);
    try {
      await this.rows.insert(
        accepted.map((r) => ({ _id: `${id}/${r.n}`, accountId: scope.accountId, jobId: id, ...r })),
      );
      const now = this.clock.now();
      const occurrenceId = `now${this.ids.ulid()}`;
      // The job runs as a manual run claimed below; its once-now occurrence is marked as started
      // before the campaign exists, so the scheduler never claims a second run of it.
      await this.runs.setCursor(id, now);
      const record: CampaignRecord = {
        _id: id,
        accountId: scope.accountId,
        name: name ?? `Bulk ${now.toISOString()}`,
        connectionIds: [connectionId],
        templateId: cmd.templateId,
        variables: {},
        audience: { tags: [], contactIds: [], bulkId: id },
        schedule: parseSchedule({ type: 'once', at: now.toISOString(), timeZone: 'UTC' }, now),
        pacing,
        state: 'active',
        kind: 'bulk',
        bulk: { accepted: accepted.length, rejected },
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.campaigns.insert(record);
      const runId = runIdOf(id, occurrenceId);
      await this.runs.claimRun({
        _id: runId,
        accountId: scope.accountId,
        campaignId: id,
        kind: 'manual',
        occurrence: now,
        occurrenceId,
        createdAt: now,
      });
      return { id, runId, accepted: accepted.length, rejected, errors };
    } catch (err) {
      await this.quota.release(scope, hold);
      await this.rows.deleteJob(scope, id);
      throw err;
    }
  }

  /** The job with its run's report; 404 for another account's or another connection's job. */
  async get(scope: AccountScope, connectionId: string, jobId: string): Promise<BulkJobView> {
    await this.connection(scope, connectionId);
    const job = await this.campaigns.get(scope, jobId);
    if (!job || job.kind !== 'bulk' || job.connectionIds[0] !== connectionId) throw bulkJobNotFound();
    const [run] = await this.runs.runsOf(scope.accountId, jobId, 1);
    return {
      id: job._id,
      connectionId,
      templateId: job.templateId,
      name: job.name,
      accepted: job.bulk?.accepted ?? 0,
      rejected: job.bulk?.rejected ?? 0,
      runId: run?._id ?? null,
      report: run ? await this.reports.report(scope, jobId, run._id) : null,
      createdAt: job.createdAt.toISOString(),
    };
  }

  private async connection(scope: AccountScope, connectionId: string): Promise<void> {
    const known =
      CONNECTION_ID_PATTERN.test(connectionId) && (await this.connections.get(scope, connectionId));
    if (!known) throw connectionNotFound();
  }

  /**
   * A bulkJobs slot for the job. At the limit, the slots of jobs whose run is over (a completed
   * or cancelled mark) are given back first and the take is tried once more: no process has to
   * watch runs end, and a finished job costs nothing until the slot is wanted again.
   */
  private async acquire(scope: AccountScope, jobId: string): Promise<QuotaHold> {
    try {
      return await this.quota.acquire(scope, 'bulkJobs', jobId);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'limit_reached') throw err;
      if (!(await this.releaseFinished(scope))) throw err;
      return this.quota.acquire(scope, 'bulkJobs', jobId);
    }
  }

  /** Gives back the slots of finished jobs (and of jobs never created); true if any was freed. */
  private async releaseFinished(scope: AccountScope): Promise<boolean> {
    const held = await this.slots.held(scope.accountId, 'bulkJobs');
    let freed = false;
    for (const slot of held) {
      const runs = await this.runs.runsOf(scope.accountId, slot.holderId, 1);
      const ids = runs.map((r) => r._id);
      const [completed, cancelled] = await Promise.all([
        this.runs.marked(ids, 'completed'),
        this.runs.marked(ids, 'cancelled'),
      ]);
      const over = ids.some((id) => completed.has(id) || cancelled.has(id));
      const orphan =
        !ids.length &&
        slot.takenAt.getTime() < this.clock.nowMs() - ORPHAN_SLOT_MS &&
        !(await this.campaigns.get(scope, slot.holderId));
      if (over || orphan) {
        await this.quota.release(scope, { slotId: slot._id, holderId: slot.holderId });
        freed = true;
      }
    }
    return freed;
  }
}

function checkName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > NAME_MAX) {
    throw DomainError.invalid('invalid_name', `name: 1-${NAME_MAX} characters once trimmed`, {
      field: 'name',
    });
  }
  return trimmed;
}
