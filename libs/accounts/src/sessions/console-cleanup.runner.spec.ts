import type { LeasedJobService } from '@wwb/infrastructure';
import type { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import type { InvitationRepository } from '../users/invitation.repository';
import { ConsoleCleanupRunner, EXPIRED_INVITATION_KEEP_MS } from './console-cleanup.runner';
import type { SessionRepository } from './session.repository';

class FakeClock extends Clock {
  constructor(public ms: number) {
    super();
  }
  override nowMs(): number {
    return this.ms;
  }
  override now(): Date {
    return new Date(this.ms);
  }
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-12-07T10:00:00Z');

/** Records with their expiry, and the cut-offs the runner asked the repositories for. */
function setup() {
  const sessions = [T0 - 1, T0, T0 + 1].map((ms) => ({ expiresAt: new Date(ms) }));
  const invitations = [T0 - EXPIRED_INVITATION_KEEP_MS - 1, T0 - 5 * DAY, T0 + 6 * DAY].map((ms) => ({
    expiresAt: new Date(ms),
  }));
  const sessionRepo = {
    removeExpired: jest.fn(async (now: Date) => {
      const before = sessions.length;
      sessions.splice(0, sessions.length, ...sessions.filter((s) => s.expiresAt > now));
      return before - sessions.length;
    }),
  };
  const invitationRepo = {
    removeExpiredBefore: jest.fn(async (cut: Date) => {
      const before = invitations.length;
      invitations.splice(0, invitations.length, ...invitations.filter((i) => i.expiresAt >= cut));
      return before - invitations.length;
    }),
  };
  const job = { start: jest.fn(), stop: jest.fn(async () => undefined) };
  const jobs = { create: jest.fn(() => job) } as unknown as LeasedJobService;
  const logger = { child: () => ({ info: jest.fn() }) } as unknown as AppLogger;
  const clock = new FakeClock(T0);
  const runner = new ConsoleCleanupRunner(
    jobs,
    sessionRepo as unknown as SessionRepository,
    invitationRepo as unknown as InvitationRepository,
    clock,
    logger,
  );
  return { runner, sessions, invitations, job, jobs, clock };
}

describe('ConsoleCleanupRunner', () => {
  it('deletes sessions expired by now and invitations expired over a month ago', async () => {
    const { runner, sessions, invitations } = setup();
    await expect(runner.sweep()).resolves.toEqual({ sessions: 2, invitations: 1 });
    expect(sessions.map((s) => s.expiresAt.getTime())).toEqual([T0 + 1]);
    // An invitation that expired five days ago is still listed, marked expired, for its admin.
    expect(invitations.map((i) => i.expiresAt.getTime())).toEqual([T0 - 5 * DAY, T0 + 6 * DAY]);
  });

  it('follows the clock: the next sweep a month later takes what has expired since', async () => {
    const { runner, sessions, invitations, clock } = setup();
    await runner.sweep();
    clock.ms = T0 + 26 * DAY;
    await expect(runner.sweep()).resolves.toEqual({ sessions: 1, invitations: 1 });
    expect(sessions).toEqual([]);
    expect(invitations.map((i) => i.expiresAt.getTime())).toEqual([T0 + 6 * DAY]);
  });

  it('runs hourly under its own lease, started at bootstrap and stopped at shutdown, not in its constructor', async () => {
    const { runner, job, jobs } = setup();
    expect(jobs.create).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'console.cleanup', intervalMs: 3_600_000 }),
    );
    expect(job.start).not.toHaveBeenCalled();
    runner.onApplicationBootstrap();
    expect(job.start).toHaveBeenCalledTimes(1);
    await runner.beforeApplicationShutdown();
    expect(job.stop).toHaveBeenCalledTimes(1);
  });
});
