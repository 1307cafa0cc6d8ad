import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConnectionSupervisor } from '@wwb/gateway';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { DispatchStepService } from './dispatch-step.service';

/** Idle polling while a connection's shares wait (paused, recipients not due yet). */
const IDLE_MS = 2_000;

/**
 * The gateway side of campaign runs: one loop per connection running here that has campaign
 * shares to send (`gateway.campaign.dispatch`, or found in Mongo when the connection turns
 * ready here after a restart or hand-over). Each turn of a loop sends at most one message when
 * the connection's pacer allows (DispatchStepService); the loop ends when nothing is left, when
 * the connection moves to another gateway, or at shutdown.
 */
@Injectable()
export class CampaignDispatchRunner implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly loops = new Map<string, Promise<void>>();
  private stopping = false;
  private readonly wake = new Map<string, () => void>();

  constructor(
    private readonly supervisor: ConnectionSupervisor,
    private readonly step: DispatchStepService,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'CampaignDispatch' });
  }

  /** Makes sure the connection's loop runs (a new share arrived, or the connection is ready here). */
  ensure(connectionId: string, accountId: string): void {
    if (this.stopping) return;
    const running = this.loops.get(connectionId);
    if (running) {
      this.wake.get(connectionId)?.();
      return;
    }
    const loop = this.loop(connectionId, accountId)
      .catch((err: unknown) => this.logger.warn({ err, connectionId }, 'campaign dispatch loop failed'))
      .finally(() => this.loops.delete(connectionId));
    this.loops.set(connectionId, loop);
  }

  get running(): string[] {
    return [...this.loops.keys()];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wake.values()) wake();
    await Promise.allSettled([...this.loops.values()]);
  }

  private async loop(connectionId: string, accountId: string): Promise<void> {
    const state = await this.step.open(connectionId, accountId);
    while (!this.stopping && this.supervisor.owns(connectionId)) {
      let waitMs: number;
      try {
        // Sends of a connection that is not ready would wait in the gateway and go out in a
        // burst when it comes back: the shares wait here instead, paced as ever once it is.
        const ready = this.supervisor.runtime(connectionId)?.status === 'ready';
        const outcome = ready ? await this.step.next(state) : 'idle';
        if (outcome === 'finished') return;
        waitMs = outcome === 'idle' ? IDLE_MS : outcome;
      } catch (err) {
        // Mongo or Kafka trouble: the claim rules make a retry safe; wait and go on.
        this.logger.warn({ err, connectionId }, 'campaign dispatch step failed');
        waitMs = IDLE_MS;
      }
      if (waitMs > 0) await this.sleep(connectionId, waitMs);
    }
  }

  /** Waits `ms`, or less when the loop is woken (a new share, shutdown). */
  private async sleep(connectionId: string, ms: number): Promise<void> {
    const wake = new AbortController();
    this.wake.set(connectionId, () => wake.abort());
    try {
      await this.clock.sleep(ms, wake.signal);
    } catch {
      // woken early
    } finally {
      this.wake.delete(connectionId);
    }
  }
}
