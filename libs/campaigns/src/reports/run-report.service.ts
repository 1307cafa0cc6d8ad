import { Injectable } from '@nestjs/common';
import { MessageOutcome, MessageOutcomeService } from '@wwb/messaging';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';
import { CampaignRunRepository } from '../runs/campaign-run.repository';
import type {
  CampaignRecipientRecord,
  CampaignRunMarkRecord,
  CampaignRunRecord,
  CampaignSendRecord,
} from '../runs/campaign-run.schema';
import { CampaignSendRepository } from '../runs/campaign-send.repository';
import { runStateOf, type RunState } from '../runs/run-state.policy';

/** Where one recipient of a run stands. */
export const RECIPIENT_STATUSES = [
  'pending',
  'skipped',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'unknown',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export interface RecipientView {
  contactId: string;
  phone: string;
  connectionId: string;
  status: RecipientStatus;
  /** Why it was skipped or failed. */
  reason: string | null;
  detail: string | null;
  messageId: string | null;
  dueAt: string;
  seq: number;
}

export interface RunSummary {
  id: string;
  kind: string;
  occurrence: string;
  state: RunState;
  createdAt: string;
}

export interface RunReport {
  id: string;
  campaignId: string;
  kind: string;
  occurrence: string;
  state: RunState;
  counts: Record<RecipientStatus, number>;
  skipped: Record<string, number>;
  failed: Record<string, number>;
  createdAt: string;
  plannedAt: string | null;
  completedAt: string | null;
}

/** A claimed recipient with no stored message after this long never reached the send: `unknown`. */
export const UNKNOWN_AFTER_MS = 60_000;
const PAGE = 500;

export const runNotFound = (): DomainError => DomainError.notFound('Campaign run');

/**
 * Run reports read from the run's own records (recipients, send records, marks) and messaging's
 * message outcomes; the counts always add up to `targeted` (every recipient has one status). A
 * claimed recipient whose message was never stored is `unknown` (a gateway died between the
 * claim and the send): it is reported, never sent again.
 */
@Injectable()
export class RunReportService {
  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly sends: CampaignSendRepository,
    private readonly outcomes: MessageOutcomeService,
    private readonly clock: Clock,
  ) {}

  async report(scope: AccountScope, campaignId: string, runId: string): Promise<RunReport> {
    const run = await this.find(scope, campaignId, runId);
    const marks = await this.runs.marksOf(run._id);
    const counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as Record<
      RecipientStatus,
      number
    >;
    const skipped: Record<string, number> = {};
    const failed: Record<string, number> = {};
    for (let after = 0; ;) {
      const page = await this.runs.recipientsOf(run._id, after, PAGE);
      for (const view of await this.views(run, page, marks)) {
        counts[view.status] += 1;
        if (view.status === 'skipped')
          skipped[view.reason ?? 'unknown'] = (skipped[view.reason ?? 'unknown'] ?? 0) + 1;
        if (view.status === 'failed')
          failed[view.reason ?? 'unknown'] = (failed[view.reason ?? 'unknown'] ?? 0) + 1;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    const at = (mark: string) => marks.find((m) => m.mark === mark)?.at.toISOString() ?? null;
    return {
      id: run._id,
      campaignId: run.campaignId,
      kind: run.kind,
      occurrence: run.occurrence.toISOString(),
      state: runStateOf((m) => marks.some((x) => x.mark === m)),
      counts,
      skipped,
      failed,
      createdAt: run.createdAt.toISOString(),
      plannedAt: at('planned'),
      completedAt: at('completed') ?? at('cancelled'),
    };
  }

  /** A campaign's latest runs, with their state. */
  async list(scope: AccountScope, campaignId: string, limit: number): Promise<RunSummary[]> {
    const runs = await this.runs.runsOf(scope.accountId, campaignId, limit);
    const ids = runs.map((r) => r._id);
    const [planned, completed, cancelled] = await Promise.all(
      ['planned', 'completed', 'cancelled'].map((m) => this.runs.marked(ids, m)),
    );
    return runs.map((r) => ({
      id: r._id,
      kind: r.kind,
      occurrence: r.occurrence.toISOString(),
      state: runStateOf((m) => ({ planned, completed, cancelled })[m]?.has(r._id) ?? false),
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** A page of a run's recipients (planning order) with their status. */
  async recipients(
    scope: AccountScope,
    campaignId: string,
    runId: string,
    page: { afterSeq: number; limit: number },
  ): Promise<{ data: RecipientView[]; lastSeq: number | null }> {
    const run = await this.find(scope, campaignId, runId);
    const rows = await this.runs.recipientsOf(run._id, page.afterSeq, page.limit);
    const views = await this.views(run, rows, await this.runs.marksOf(run._id));
    return { data: views, lastSeq: rows.length === page.limit ? rows[rows.length - 1]!.seq : null };
  }

  /** The run of the account's campaign (404 for anything else). */
  async find(scope: AccountScope, campaignId: string, runId: string): Promise<CampaignRunRecord> {
    const run = runId.startsWith(`${campaignId}_`) ? await this.runs.findRun(runId) : null;
    if (!run || run.accountId !== scope.accountId || run.campaignId !== campaignId) throw runNotFound();
    return run;
  }

  private async views(
    run: CampaignRunRecord,
    rows: CampaignRecipientRecord[],
    marks: CampaignRunMarkRecord[],
  ): Promise<RecipientView[]> {
    const sends = await this.sends.of(rows.map((r) => r._id));
    const claimed = [...sends.values()].filter((s) => s.outcome === 'claimed' && s.messageId);
    const outcomes = await this.outcomes.of(
      run.accountId,
      claimed.map((s) => s.messageId!),
    );
    const failures = new Map(
      marks.filter((m) => m.mark.startsWith('failed/')).map((m) => [m.mark.slice('failed/'.length), m]),
    );
    return rows.map((r) => this.view(r, sends.get(r._id), outcomes, failures.get(r.contactId)));
  }

  private view(
    r: CampaignRecipientRecord,
    send: CampaignSendRecord | undefined,
    outcomes: Map<string, MessageOutcome>,
    failure: CampaignRunMarkRecord | undefined,
  ): RecipientView {
    const base = {
      contactId: r.contactId,
      phone: r.phone,
      connectionId: r.connectionId,
      messageId: r.messageId ?? null,
      dueAt: r.dueAt.toISOString(),
      detail: r.detail ?? null,
      seq: r.seq,
    };
    if (r.state === 'skipped') return { ...base, status: 'skipped', reason: r.reason ?? null };
    if (!send) return { ...base, status: 'pending', reason: null };
    if (send.outcome === 'skipped') return { ...base, status: 'skipped', reason: send.reason ?? null };
    if (failure) {
      const code = (failure.data?.code as string | undefined) ?? 'send_failed';
      return { ...base, status: 'failed', reason: code, detail: (failure.data?.message as string) ?? null };
    }
    const outcome = send.messageId ? outcomes.get(send.messageId) : undefined;
    if (!outcome?.stored) {
      const old = this.clock.nowMs() - send.at.getTime() > UNKNOWN_AFTER_MS;
      return { ...base, status: old ? 'unknown' : 'queued', reason: null };
    }
    if (outcome.status === 'failed') return { ...base, status: 'failed', reason: outcome.reason };
    const status: RecipientStatus = outcome.status === 'played' ? 'read' : outcome.status;
    return { ...base, status, reason: null };
  }
}
