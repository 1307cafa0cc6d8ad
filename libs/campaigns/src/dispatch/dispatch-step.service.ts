import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { MessageOutcomeService, SendMessageUseCase } from '@wwb/messaging';
import { AppLogger } from '@wwb/observability';
import { scopeOf } from '@wwb/persistence';
import { Clock, isDomainError } from '@wwb/runtime';
import type { CampaignRecord } from '../definitions';
import { ConnectionPacer, deferForQuietHours, frequencyCapAllows } from '../pacing';
import { ActiveCampaignRepository } from '../runs/active-campaign.repository';
import { CampaignRunRepository } from '../runs/campaign-run.repository';
import type { CampaignDispatchRecord, CampaignRecipientRecord } from '../runs/campaign-run.schema';
import { CampaignEventProducer } from '../runs/campaign-event.producer';
import { CampaignSendRepository } from '../runs/campaign-send.repository';
import { ConnectionPacerRepository, StoredPacer } from './connection-pacer.repository';

const CANDIDATES = 50;
const CAMPAIGN_CACHE_MS = 1_000;
const SEND_ATTEMPTS = 3;
const DAY_MS = 86_400_000;
/** How soon a recovery pass that met a key still in progress is tried again. */
const RECOVER_RETRY_MS = 10_000;
/** A share's progress event goes out every this many recipients handled (and when it is done). */
export const PROGRESS_EVERY = 25;

/** One connection's dispatch, kept by its loop between steps. */
export interface ConnectionDispatch {
  connectionId: string;
  accountId: string;
  pacer: StoredPacer;
  /** Recipients held back by quiet hours, until when (ms). */
  deferred: Map<string, number>;
  campaigns: Map<string, { at: number; campaign: CampaignRecord | null }>;
  /** Recipients handled per run since its last progress event. */
  handled: Map<string, number>;
  /** Whether the sends an earlier owner left claimed were finished (once per loop). */
  recovered: boolean;
  /** When to look again for an earlier owner's sends (one was still held: its key in progress). */
  recoverAt: number;
}

/** What a step did: `finished` (nothing left), `idle` (wait and look again), or ms to wait (0: go on). */
export type StepOutcome = 'finished' | 'idle' | number;

/**
 * One step of a connection's campaign dispatch: pick the next due recipient of its open shares
 * (paused campaigns wait; cancelled or deleted ones end their share), hold it back during quiet
 * hours in the recipient's zone (deferred, never dropped), skip it when the frequency cap says so,
 * wait for the pacer, then claim it (an insert-once send record: claimed means never sent again)
 * and send it through SendMessageUseCase under the message id planned for it and the
 * idempotency key `campaign:<recipient>` (so retrying a send that may have been stored is
 * harmless). A share is done when every pending recipient has a send record; a run is
 * completed when every share is done.
 */
@Injectable()
export class DispatchStepService {
  private readonly logger: Logger;
  /** Jitter source of the pacers (a seeded one in tests). */
  random: () => number = Math.random;

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly sends: CampaignSendRepository,
    private readonly campaigns: ActiveCampaignRepository,
    private readonly pacers: ConnectionPacerRepository,
    private readonly sending: SendMessageUseCase,
    private readonly outcomes: MessageOutcomeService,
    private readonly events: CampaignEventProducer,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'CampaignDispatchStep' });
  }

  async open(connectionId: string, accountId: string): Promise<ConnectionDispatch> {
    return {
      connectionId,
      accountId,
      pacer: await this.pacers.load(connectionId, this.clock.now()),
      deferred: new Map(),
      campaigns: new Map(),
      handled: new Map(),
      recovered: false,
      recoverAt: 0,
    };
  }

  async next(d: ConnectionDispatch): Promise<StepOutcome> {
    const now = this.clock.now();
    const shares = await this.openShares(d);
    if (shares.length === 0) return 'finished';
    const active: CampaignDispatchRecord[] = [];
    for (const share of shares) {
      const campaign = await this.campaign(d, share.campaignId);
      if (!campaign || campaign.state === 'cancelled') await this.finishShare(share, 'cancelled');
      else if (campaign.state === 'active') active.push(share);
    }
    if (active.length === 0) return 'idle';
    if (!d.recovered && now.getTime() >= d.recoverAt) {
      d.recovered = await this.recover(d, active);
      if (!d.recovered) d.recoverAt = now.getTime() + RECOVER_RETRY_MS;
    }

    const recipient = await this.nextRecipient(d, active, now);
    if (!recipient) {
      // Not while an earlier owner's send still waits for its recovery: the share is not done.
      if (d.recovered) for (const share of active) await this.finishIfSent(share);
      return 'idle';
    }
    const campaign = (await this.campaign(d, recipient.campaignId))!;
    const { pacing } = campaign;

    const quietUntil = deferForQuietHours(now, recipient.timeZone, pacing.quietHours);
    if (quietUntil > now) {
      d.deferred.set(recipient._id, quietUntil.getTime());
      return 0;
    }
    if (pacing.frequencyCap) {
      const since = new Date(now.getTime() - pacing.frequencyCap.perHours * 3_600_000);
      const recent = await this.sends.sentToContactSince(recipient.accountId, recipient.contactId, since);
      if (!frequencyCapAllows(recent, pacing.frequencyCap, now)) {
        const reason = 'frequency_capped';
        if (await this.sends.record({ ...this.sendOf(recipient, now), outcome: 'skipped', reason })) {
          await this.notify(() =>
            this.events.recipientSkipped(recipient.accountId, recipient.connectionId, {
              ...this.ids(recipient),
              reason,
            }),
          );
          await this.handled(d, recipient);
        }
        return 0;
      }
    }
    const pacer = new ConnectionPacer(pacing, d.pacer.state, this.random);
    const ctx = {
      numberAgeDays: Math.floor((now.getTime() - d.pacer.since.getTime()) / DAY_MS),
      capZone: campaign.schedule.timeZone,
    };
    const at = pacer.nextSendAt(now, ctx);
    if (at > now) return at.getTime() - now.getTime();

    if (!(await this.sends.record({ ...this.sendOf(recipient, now), outcome: 'claimed' }))) return 0;
    if (!(await this.send(recipient))) {
      // Its key is held by a request that has not finished storing it: the recovery pass sends
      // it (as a replay or anew) once that request is done or known dead.
      d.recovered = false;
      d.recoverAt = now.getTime() + RECOVER_RETRY_MS;
      return 0;
    }
    pacer.recordSent(this.clock.now(), ctx);
    d.pacer = { ...d.pacer, state: pacer.state() };
    await this.pacers.save(d.connectionId, d.pacer, this.clock.now());
    await this.handled(d, recipient);
    return 0;
  }

  /**
   * Finishes the sends an earlier owner of the connection claimed but never stored (it died
   * between the claim and the send use case): sent now under the same message id and
   * idempotency key, so one that was stored after all is a replay, never a second message.
   * Whether WhatsApp got a stored message is messaging's concern (its own send claim).
   */
  private async recover(d: ConnectionDispatch, shares: CampaignDispatchRecord[]): Promise<boolean> {
    const claims = await this.sends.claimedOn(
      shares.map((s) => s.runId),
      d.connectionId,
    );
    const withMessage = claims.filter((c) => c.messageId);
    if (withMessage.length === 0) return true;
    const outcomes = await this.outcomes.of(
      d.accountId,
      withMessage.map((c) => c.messageId!),
    );
    const failed = new Set<string>();
    for (const runId of new Set(withMessage.map((c) => c.runId))) {
      for (const m of await this.runs.marksOf(runId))
        if (m.mark.startsWith('failed/')) failed.add(`${runId}/${m.mark.slice(7)}`);
    }
    const orphans = withMessage.filter((c) => !outcomes.get(c.messageId!)?.stored && !failed.has(c._id));
    let done = true;
    for (const recipient of await this.runs.recipientsByIds(orphans.map((c) => c._id))) {
      this.logger.info({ recipientId: recipient._id }, 'finishing a send claimed by an earlier owner');
      if (!(await this.send(recipient))) done = false;
    }
    return done;
  }

  /** Counts a handled recipient; every PROGRESS_EVERY, the share's progress event. */
  private async handled(d: ConnectionDispatch, r: CampaignRecipientRecord): Promise<void> {
    const n = (d.handled.get(r.runId) ?? 0) + 1;
    d.handled.set(r.runId, n % PROGRESS_EVERY);
    if (n >= PROGRESS_EVERY) await this.progress(r.accountId, r.campaignId, r.runId, r.connectionId);
  }

  private async progress(accountId: string, campaignId: string, runId: string, connectionId: string) {
    const pending = await this.runs.pendingIds(runId, connectionId);
    const sends = await this.sends.of(pending);
    const marks = await this.runs.marksOf(runId);
    const failedContacts = new Set(
      marks.filter((m) => m.mark.startsWith('failed/')).map((m) => m.mark.slice('failed/'.length)),
    );
    let sent = 0;
    let skipped = 0;
    let failed = 0;
    for (const s of sends.values()) {
      if (s.outcome === 'skipped') skipped += 1;
      else if (failedContacts.has(s.contactId)) failed += 1;
      else sent += 1;
    }
    const remaining = pending.length - sends.size;
    await this.notify(() =>
      this.events.runProgress(accountId, {
        campaignId,
        runId,
        connectionId,
        sent,
        skipped,
        failed,
        remaining,
      }),
    );
  }

  /** Campaign events are notifications: one that cannot be published is logged, never a reason to stop. */
  private async notify(publish: () => Promise<void>): Promise<void> {
    try {
      await publish();
    } catch (err) {
      this.logger.warn({ err }, 'campaign event not published');
    }
  }

  private ids(r: CampaignRecipientRecord) {
    return {
      campaignId: r.campaignId,
      runId: r.runId,
      contactId: r.contactId,
      chatId: `${r.phone.replace(/^\+/, '')}@c.us`,
    };
  }

  /**
   * Sends a claimed recipient; a refusal is recorded on the run, never retried as a new send.
   * False (nothing recorded) when its idempotency key is still held by an earlier request (a
   * gateway that died between claiming the key and storing the message): try again later; the
   * use case gives such a key back once it is stale.
   */
  private async send(r: CampaignRecipientRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sending.execute(scopeOf(r.accountId), {
          connectionId: r.connectionId,
          message: r.message!,
          messageId: r.messageId!,
          idempotencyKey: `campaign:${r._id}`,
          origin: { source: 'campaign', campaignId: r.campaignId, runId: r.runId },
        });
        await this.notify(() =>
          this.events.recipientSent(r.accountId, r.connectionId, { ...this.ids(r), messageId: r.messageId! }),
        );
        return true;
      } catch (err) {
        if (isDomainError(err) && err.code === 'idempotency_key_in_progress') return false;
        const permanent = isDomainError(err) && !err.transient;
        if (permanent || attempt >= SEND_ATTEMPTS) {
          const code = isDomainError(err) ? err.code : 'send_failed';
          const message = err instanceof Error ? err.message : String(err);
          await this.runs.mark(r.runId, `failed/${r.contactId}`, this.clock.now(), { code, message });
          await this.notify(() =>
            this.events.recipientFailed(r.accountId, r.connectionId, {
              ...this.ids(r),
              messageId: r.messageId!,
              code,
            }),
          );
          this.logger.info({ recipientId: r._id, code }, 'campaign recipient not sent');
          return true;
        }
        // The same message id and key: a retry after a send that was stored is a replay.
        await this.clock.sleep(500 * 2 ** attempt);
      }
    }
  }

  private async openShares(d: ConnectionDispatch): Promise<CampaignDispatchRecord[]> {
    const all = (await this.runs.dispatchesOf(d.connectionId)).filter((s) => s.accountId === d.accountId);
    const done = await this.runs.marked(
      all.map((s) => s.runId),
      `done/${d.connectionId}`,
    );
    return all.filter((s) => !done.has(s.runId));
  }

  private async nextRecipient(
    d: ConnectionDispatch,
    shares: CampaignDispatchRecord[],
    now: Date,
  ): Promise<CampaignRecipientRecord | undefined> {
    const due = await this.runs.duePending(
      shares.map((s) => s.runId),
      d.connectionId,
      now,
      CANDIDATES + d.deferred.size,
    );
    const recorded = await this.sends.of(due.map((r) => r._id));
    return due.find((r) => !recorded.has(r._id) && (d.deferred.get(r._id) ?? 0) <= now.getTime());
  }

  /** Ends a share once each of its pending recipients has a send record. */
  private async finishIfSent(share: CampaignDispatchRecord): Promise<void> {
    const pending = await this.runs.pendingIds(share.runId, share.connectionId);
    const recorded = await this.sends.of(pending);
    if (pending.every((id) => recorded.has(id))) await this.finishShare(share, 'sent');
  }

  private async finishShare(share: CampaignDispatchRecord, how: 'sent' | 'cancelled'): Promise<void> {
    const now = this.clock.now();
    if (!(await this.runs.mark(share.runId, `done/${share.connectionId}`, now, { how }))) return;
    await this.progress(share.accountId, share.campaignId, share.runId, share.connectionId);
    const shares = await this.runs.dispatchesOfRun(share.runId);
    const done = await Promise.all(
      shares.map(async (s) => (await this.runs.marked([s.runId], `done/${s.connectionId}`)).has(s.runId)),
    );
    const outcome = how === 'cancelled' ? 'cancelled' : 'completed';
    if (done.every(Boolean) && (await this.runs.mark(share.runId, outcome, now))) {
      await this.notify(() =>
        this.events.runCompleted(share.accountId, {
          campaignId: share.campaignId,
          runId: share.runId,
          outcome,
          completedAt: now.toISOString(),
        }),
      );
    }
  }

  private async campaign(d: ConnectionDispatch, id: string): Promise<CampaignRecord | null> {
    const hit = d.campaigns.get(id);
    const now = this.clock.nowMs();
    if (hit && now - hit.at < CAMPAIGN_CACHE_MS) return hit.campaign;
    const campaign = await this.campaigns.byId(id);
    d.campaigns.set(id, { at: now, campaign });
    return campaign;
  }

  private sendOf(r: CampaignRecipientRecord, now: Date) {
    return {
      _id: r._id,
      accountId: r.accountId,
      runId: r.runId,
      contactId: r.contactId,
      connectionId: r.connectionId,
      ...(r.messageId ? { messageId: r.messageId } : {}),
      at: now,
    };
  }
}
