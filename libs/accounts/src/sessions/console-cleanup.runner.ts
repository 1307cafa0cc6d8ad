import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { LeasedJob, LeasedJobService } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { InvitationRepository } from '../users/invitation.repository';
import { SessionRepository } from './session.repository';

export const CONSOLE_CLEANUP_LEASE = 'console.cleanup';
const CLEANUP_TICK_MS = 3_600_000;
/**
 * Expired invitations stay listed for a while, so that an admin sees "expired" and re-invites,
 * rather than wondering where the invitation went.
 */
export const EXPIRED_INVITATION_KEEP_MS = 30 * 86_400_000;

/**
 * Deletes console sessions past their expiry and invitations expired a month ago, hourly, on one
 * process at a time (Mongo lease). Expired records are refused when read anyway; this only keeps
 * the collections from growing with every sign-in of every user.
 */
@Injectable()
export class ConsoleCleanupRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: LeasedJob;
  private readonly logger: Logger;

  constructor(
    jobs: LeasedJobService,
    private readonly sessions: SessionRepository,
    private readonly invitations: InvitationRepository,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ConsoleCleanup' });
    this.job = jobs.create({
      name: CONSOLE_CLEANUP_LEASE,
      intervalMs: CLEANUP_TICK_MS,
      leaseMs: 2 * CLEANUP_TICK_MS,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.sweep());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Deletes what is past its time; returns how many sessions and invitations. */
  async sweep(): Promise<{ sessions: number; invitations: number }> {
    const now = this.clock.nowMs();
    const sessions = await this.sessions.removeExpired(new Date(now));
    const invitations = await this.invitations.removeExpiredBefore(
      new Date(now - EXPIRED_INVITATION_KEEP_MS),
    );
    if (sessions + invitations > 0)
      this.logger.info({ sessions, invitations }, 'expired console records deleted');
    return { sessions, invitations };
  }
}
