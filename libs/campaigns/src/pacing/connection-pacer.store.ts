import { DomainError } from '@wwb/runtime';
import { effectiveDailyCap, PacingSettings } from './pacing.policy';
import { localDayKey, nextLocalDayStart, timeZone } from './quiet-hours.policy';

/**
 * What a pacer remembers between sends, plain JSON (ISO strings, numbers) so the gateway can
 * persist it after each send and a restarted gateway resumes the same pace, pause and daily count.
 */
export interface PacerState {
  /** Local date ("yyyy-MM-dd" in the cap zone) that sentToday counts for; null before any send. */
  dayKey: string | null;
  sentToday: number;
  /** Sends since the last pause (or the first send). */
  sinceLastPause: number;
  lastSentAt: string | null;
  /** Gap drawn (with jitter) when the last message went, so asking twice gives the same answer. */
  nextGapMs: number | null;
  pausedUntil: string | null;
}

export interface PaceContext {
  /** Whole days since the number was first connected (0 = its first day), for the warm-up. */
  numberAgeDays: number;
  /** Zone whose local midnight resets the daily cap (the connection's or the account's). */
  capZone: string;
}

/** Limits as they stand, for the API and the run progress. */
export interface PacerUsage {
  dayKey: string;
  sentToday: number;
  dailyCap: number;
  remainingToday: number;
  pausedUntil: Date | null;
  nextSendAt: Date;
}

export const emptyPacerState = (): PacerState => ({
  dayKey: null,
  sentToday: 0,
  sinceLastPause: 0,
  lastSentAt: null,
  nextGapMs: null,
  pausedUntil: null,
});

const MINUTE_MS = 60_000;

const invalidState = (field: string, message: string): DomainError =>
  DomainError.invalid('invalid_pacer_state', `pacer state ${field} ${message}`, { field });

function checkedState(s: PacerState): PacerState {
  const count = (field: 'sentToday' | 'sinceLastPause'): void => {
    if (!Number.isInteger(s[field]) || s[field] < 0) throw invalidState(field, 'must be a whole number >= 0');
  };
  const instant = (field: 'lastSentAt' | 'pausedUntil'): void => {
    const v = s[field];
    if (v !== null && Number.isNaN(Date.parse(v))) throw invalidState(field, 'must be an ISO date or null');
  };
  count('sentToday');
  count('sinceLastPause');
  instant('lastSentAt');
  instant('pausedUntil');
  if (s.dayKey !== null && !/^\d{4}-\d{2}-\d{2}$/.test(s.dayKey)) {
    throw invalidState('dayKey', 'must be a date yyyy-MM-dd or null');
  }
  if (s.nextGapMs !== null && !(Number.isFinite(s.nextGapMs) && s.nextGapMs >= 0)) {
    throw invalidState('nextGapMs', 'must be a number >= 0 or null');
  }
  return { ...s };
}

/**
 * Paces one WhatsApp connection: a jittered gap between sends, a pause after every N, a daily
 * cap (warm-up caps for a new number) reset at local midnight in the cap zone. Pure and
 * clock-free: callers pass the time in, and `random` (0 <= r < 1) is injected so tests are
 * repeatable. Quiet hours and the per-contact frequency cap depend on the recipient, not the
 * connection, so the caller applies them to the time this returns.
 */
export class ConnectionPacer {
  private current: PacerState;

  constructor(
    private readonly settings: PacingSettings,
    state: PacerState = emptyPacerState(),
    private readonly random: () => number = Math.random,
  ) {
    this.current = checkedState(state);
  }

  /** The earliest instant >= now at which the next message may go. Same answer until recordSent. */
  nextSendAt(now: Date, ctx: PaceContext): Date {
    timeZone(ctx.capZone);
    let at = now.getTime();
    const s = this.current;
    if (s.lastSentAt !== null && s.nextGapMs !== null) {
      at = Math.max(at, Date.parse(s.lastSentAt) + s.nextGapMs);
    }
    if (s.pausedUntil !== null) at = Math.max(at, Date.parse(s.pausedUntil));
    const candidate = new Date(at);
    if (this.sentOn(candidate, ctx.capZone) >= effectiveDailyCap(this.settings, ctx.numberAgeDays)) {
      // Capped for today: the first moment of the next local day, whose count starts at zero.
      return nextLocalDayStart(candidate, ctx.capZone);
    }
    return candidate;
  }

  /**
   * Counts a message sent at `at`: against the local day in `ctx.capZone`, towards the next pause,
   * and draws the jittered gap before the following one.
   */
  recordSent(at: Date, ctx: Pick<PaceContext, 'capZone'>): void {
    const dayKey = localDayKey(at, ctx.capZone);
    const s = this.current;
    const sentToday = s.dayKey === dayKey ? s.sentToday + 1 : 1;
    let sinceLastPause = s.sinceLastPause + 1;
    let pausedUntil = s.pausedUntil;
    const { pauseEvery, pauseMinutes } = this.settings;
    if (pauseEvery !== null && sinceLastPause >= pauseEvery) {
      pausedUntil = new Date(at.getTime() + pauseMinutes * MINUTE_MS).toISOString();
      sinceLastPause = 0;
    }
    const last = s.lastSentAt === null ? at.getTime() : Math.max(Date.parse(s.lastSentAt), at.getTime());
    this.current = {
      dayKey,
      sentToday,
      sinceLastPause,
      lastSentAt: new Date(last).toISOString(),
      nextGapMs: this.drawGapMs(),
      pausedUntil,
    };
  }

  /** Where the pacer stands at `now`: the limits the API shows for a connection. */
  usage(now: Date, ctx: PaceContext): PacerUsage {
    const dailyCap = effectiveDailyCap(this.settings, ctx.numberAgeDays);
    const sentToday = this.sentOn(now, ctx.capZone);
    const paused = this.current.pausedUntil === null ? null : new Date(this.current.pausedUntil);
    return {
      dayKey: localDayKey(now, ctx.capZone),
      sentToday,
      dailyCap,
      remainingToday: Math.max(0, dailyCap - sentToday),
      pausedUntil: paused !== null && paused.getTime() > now.getTime() ? paused : null,
      nextSendAt: this.nextSendAt(now, ctx),
    };
  }

  /** A copy to persist; feed it to a new pacer to continue where this one stopped. */
  state(): PacerState {
    return { ...this.current };
  }

  private sentOn(at: Date, zone: string): number {
    return this.current.dayKey === localDayKey(at, zone) ? this.current.sentToday : 0;
  }

  /** 60/perMinute seconds, shrunk or stretched uniformly by up to `jitter` so sends never tick. */
  private drawGapMs(): number {
    const base = MINUTE_MS / this.settings.messagesPerMinute;
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(base * (1 + this.settings.jitter * (2 * r - 1)));
  }
}
