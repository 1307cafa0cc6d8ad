import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { AccountQuotaService, QuotaHold } from '@wwb/accounts';
import { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { CampaignRunRepository } from '../runs/campaign-run.repository';
import { CampaignSendRepository } from '../runs/campaign-send.repository';
import { runStateOf, type RunState } from '../runs/run-state.policy';

/** Progress is sent this often while the run is under way. */
export const PROGRESS_INTERVAL_MS = 2_000;
const SLOT_TTL_MS = 60_000;

/** What a progress event says: cheap counts, not the delivery statuses of the full report. */
export interface RunProgress {
  runId: string;
  state: RunState;
  targeted: number;
  /** Skipped when planned, and at send time. */
  skipped: number;
  /** Handed to the send use case (claimed) and not refused. */
  sent: number;
  failed: number;
  /** Not handled yet. */
  remaining: number;
}

/**
 * GET .../runs/:runId/progress: the run's progress as Server-Sent Events (`event: progress`)
 * every PROGRESS_INTERVAL_MS until the run is completed or cancelled, then `event: end`. Each
 * stream holds one of the account's sseStreams quota slots (429 too_many_streams), renewed while
 * it is open and given back when it ends or the client leaves.
 */
@Injectable()
export class RunProgressStream {
  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly sends: CampaignSendRepository,
    private readonly quotas: AccountQuotaService,
    private readonly clock: Clock,
  ) {}

  async progress(runId: string): Promise<RunProgress> {
    const marks = await this.runs.marksOf(runId);
    const has = (m: string) => marks.some((x) => x.mark === m);
    const planned = marks.find((m) => m.mark === 'planned')?.data as
      { targeted: number; pending: number } | undefined;
    const state: RunState = runStateOf(has);
    if (!planned) return { runId, state, targeted: 0, skipped: 0, sent: 0, failed: 0, remaining: 0 };
    const { claimed, skipped } = await this.sends.countsOf(runId);
    const failed = marks.filter((m) => m.mark.startsWith('failed/')).length;
    return {
      runId,
      state,
      targeted: planned.targeted,
      skipped: planned.targeted - planned.pending + skipped,
      sent: claimed - failed,
      failed,
      remaining: Math.max(0, planned.pending - claimed - skipped),
    };
  }

  async stream(scope: AccountScope, runId: string, req: Request, res: Response): Promise<void> {
    const hold: QuotaHold = await this.quotas.acquire(scope, 'sseStreams', `sse-${randomUUID()}`, {
      ttlMs: SLOT_TTL_MS,
    });
    const abort = new AbortController();
    req.on('close', () => abort.abort());
    res.status(200).set({
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let renewedAt = this.clock.nowMs();
    try {
      while (!abort.signal.aborted) {
        const progress = await this.progress(runId);
        res.write(`event: progress\ndata: ${JSON.stringify(progress)}\n\n`);
        if (progress.state === 'completed' || progress.state === 'cancelled') {
          res.write(`event: end\ndata: ${JSON.stringify({ runId, state: progress.state })}\n\n`);
          break;
        }
        if (this.clock.nowMs() - renewedAt > SLOT_TTL_MS / 3) {
          if (!(await this.quotas.renew(hold, SLOT_TTL_MS))) break;
          renewedAt = this.clock.nowMs();
        }
        await this.clock.sleep(PROGRESS_INTERVAL_MS, abort.signal).catch(() => undefined);
      }
    } finally {
      res.end();
      await this.quotas.release(scope, hold).catch(() => undefined);
    }
  }
}
