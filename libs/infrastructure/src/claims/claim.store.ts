import { Model } from 'mongoose';
import { Logger } from 'pino';
import { Clock, IdGenerator } from '@wwb/runtime';
import { insertOnce } from '../mongo/insert.store';
import { ClaimRecord } from './claim.schema';

export const DEFAULT_CLAIM_LEASE_MS = 60_000;
const POLL_MS = 500;
const PURGE_BATCH = 500;

export interface OnceOptions {
  /**
   * How long a claim protects an effect that has not finished. After that, another worker
   * assumes the claimant died and runs the effect again. Must exceed the effect's longest run.
   */
  leaseMs?: number;
  /** Gives up waiting for a claim held elsewhere (the call then rejects). */
  signal?: AbortSignal;
  /** Called while waiting for a claim held elsewhere (e.g. a Kafka consumer's heartbeat). */
  heartbeat?: () => Promise<void>;
}

export type OnceResult<T> = { skipped: true } | { skipped: false; value: T };

/** A claim this process won. */
export interface HeldClaim {
  id: string;
  key: string;
  gen: number;
  holder: string;
  claimedAt: Date;
}

export type ClaimOutcome =
  | { kind: 'owned'; claim: HeldClaim }
  | { kind: 'done' }
  | { kind: 'busy'; waitMs: number }
  /** Another worker inserted the same generation first: look again. */
  | { kind: 'lost' };

/**
 * "Do X once per key", as far as a database can promise it, on one claim collection:
 * - no generation of the key is done and the latest is absent, released or older than the
 *   lease: insert `<key>#<latest+1>` as 'started'; the unique `_id` lets exactly one of several
 *   racing workers win, and the winner runs the effect, then marks its generation 'done';
 * - a generation is 'done': skip;
 * - the latest is 'started' and younger than the lease: someone runs it (or died doing so):
 *   wait, polling, until it is done (skip), released (claim) or stale (take over);
 * - the effect throws: the claim is marked 'released' so that a retry claims the next generation.
 *
 * At-least-once caveat: this narrows duplicates, it cannot remove them. The effect runs twice if
 * the process dies after the effect but before 'done' is written, or if the effect outlives its
 * lease and another worker takes over. Effects that leave the process should also pass the key
 * on as an idempotency key where the other side supports one.
 */
export class ClaimStore {
  constructor(
    private readonly model: Model<ClaimRecord>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly logger: Logger,
  ) {}

  /** Creates the indexes the store relies on (call it from onModuleInit). */
  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  async once<T>(key: string, effect: () => Promise<T>, opts: OnceOptions = {}): Promise<OnceResult<T>> {
    const leaseMs = opts.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
    for (;;) {
      const outcome = await this.claim(key, leaseMs);
      if (outcome.kind === 'done') return { skipped: true };
      if (outcome.kind === 'lost') continue;
      if (outcome.kind === 'busy') {
        await this.clock.sleep(Math.min(POLL_MS, outcome.waitMs), opts.signal);
        await opts.heartbeat?.();
        continue;
      }
      let value: T;
      try {
        value = await effect();
      } catch (err) {
        await this.release(outcome.claim);
        throw err;
      }
      await this.complete(outcome.claim, leaseMs);
      return { skipped: false, value };
    }
  }

  /** One attempt at claiming `key`. */
  async claim(key: string, leaseMs: number): Promise<ClaimOutcome> {
    const rows = await this.model.find({ key }).sort({ gen: -1 }).lean<ClaimRecord[]>().exec();
    if (rows.some((r) => r.state === 'done')) return { kind: 'done' };
    const latest = rows[0];
    const now = this.clock.now();
    if (latest?.state === 'started') {
      const age = now.getTime() - latest.claimedAt.getTime();
      if (age < leaseMs) return { kind: 'busy', waitMs: leaseMs - age };
    }
    const gen = latest ? latest.gen + 1 : 0;
    const claim: HeldClaim = { id: `${key}#${gen}`, key, gen, holder: this.ids.ulid(), claimedAt: now };
    const won = await insertOnce(this.model, {
      _id: claim.id,
      key,
      gen,
      state: 'started',
      holder: claim.holder,
      claimedAt: now,
    });
    if (!won) return { kind: 'lost' };
    if (latest?.state === 'started') {
      this.logger.warn({ key, staleGen: latest.gen }, 'took over a stale claim; its effect may run again');
    }
    return { kind: 'owned', claim };
  }

  /** Marks a claim's effect done. */
  async complete(claim: HeldClaim, leaseMs = DEFAULT_CLAIM_LEASE_MS): Promise<void> {
    await this.model
      .updateOne(
        { _id: claim.id, holder: claim.holder },
        { $set: { state: 'done', doneAt: this.clock.now() } },
      )
      .exec();
    if (this.clock.nowMs() - claim.claimedAt.getTime() >= leaseMs) {
      const newer = await this.model.exists({ key: claim.key, gen: { $gt: claim.gen } }).exec();
      if (newer) this.logger.warn({ key: claim.key, leaseMs }, 'effect outlived its lease; it may run twice');
    }
  }

  /** Gives a claim up (its effect failed): the next claimant takes the next generation at once. */
  async release(claim: HeldClaim): Promise<void> {
    try {
      await this.model
        .updateOne({ _id: claim.id, holder: claim.holder }, { $set: { state: 'released' } })
        .exec();
    } catch (err) {
      // The claim stays until its lease runs out; the retry then waits for it.
      this.logger.warn({ err, key: claim.key }, 'could not release a failed claim');
    }
  }

  /** Whether the effect of `key` completed. */
  async isDone(key: string): Promise<boolean> {
    return (await this.model.exists({ key, state: 'done' }).exec()) !== null;
  }

  /**
   * Forgets keys done before `before`, every generation of them (no TTL index: FerretDB has
   * none). A key seen again after this runs its effect again, so keep them longer than the key
   * can come back (e.g. the Kafka retention). Returns the number of 'done' rows removed.
   */
  async purgeDone(before: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      const done = await this.model
        .find({ state: 'done', doneAt: { $lt: before } }, { key: 1 })
        .limit(PURGE_BATCH)
        .lean<Pick<ClaimRecord, 'key'>[]>()
        .exec();
      if (done.length === 0) return removed;
      await this.model.deleteMany({ key: { $in: [...new Set(done.map((d) => d.key))] } }).exec();
      removed += done.length;
    }
  }
}
