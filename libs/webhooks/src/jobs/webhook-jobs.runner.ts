import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { DeliveryDispatcher } from '../delivery/delivery.dispatcher';
import { RECOVERY_HORIZON_MS } from '../delivery/delivery-state';
import { EndpointDirectory } from '../endpoints/endpoint.directory';
import { PartitionLeases } from '../delivery/partition.leases';
import { WebhookStatsRepository } from '../stats/webhook-stats.repository';
import { WebhookDeliveryRepository } from '../delivery/webhook-delivery.repository';
import { WebhookJobRecord } from './webhook-job.schema';
import { WebhookJobRepository } from './webhook-job.repository';
import { JobTurns } from './job-turns';
import { ReplayCursorRepository, ReplayPosition } from './replay-cursor.repository';
import { WebhookReplayService } from './webhook-replay.service';

const HOUSEKEEPING_EVERY_MS = 3_600_000;
/** Jobs loaded per poll at most (the next poll goes on after the last one). */
const MAX_JOBS_PER_POLL = 1000;
/** Stats cover 720 hours: their days are kept a little longer than that, whatever the retention
 * (counters only; a deleted endpoint's days go with the others). */
const STATS_KEEP_MS = 32 * 86_400_000;

/** A job's work on this worker: the partitions it owns that are not done, and how far each got. */
interface JobTask {
  readonly accountId: string;
  readonly job: WebhookJobRecord;
  readonly partitionsConcerned: number[];
  readonly positions: Map<number, ReplayPosition>;
}

/**
 * Polls the requests of the API (redeliveries, replays) and does, for each partition this
 * worker sends, its part: a redelivery's delivery is already stored (it is handed to the
 * dispatcher); a replay reads the account's event log page by page (WebhookReplayService).
 * Fair across accounts: every round gives each account with work one step (one page of one of
 * its jobs, JobTurns), so one account's 28-day replay does not hold back the others' jobs; a
 * poll runs rounds for about WEBHOOK_JOB_POLL_MS, then the next poll picks up new jobs. A
 * replay's position per partition is saved after each page (webhook_replay_cursors), so a
 * partition that moves or a restart goes on from there; a (job, partition) marked done is not
 * redone; delivery ids are deterministic, so work redone creates no duplicates.
 * The holder of partition 0 also purges deliveries past WEBHOOK_RETENTION_DAYS, hourly.
 */
@Injectable()
export class WebhookJobsRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  private lastHousekeeping = 0;
  private jobsAfter: string | undefined;
  private readonly partitions: number;
  private readonly logger: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: WebhookJobRepository,
    private readonly cursors: ReplayCursorRepository,
    private readonly replays: WebhookReplayService,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly stats: WebhookStatsRepository,
    private readonly directory: EndpointDirectory,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly leases: PartitionLeases,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.partitions = config.kafka.topics.events.partitions;
    this.logger = appLogger.child({ context: 'WebhookJobsRunner' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([this.jobs.ready(), this.cursors.ready()]);
    this.timer = setInterval(() => void this.tick(), this.config.webhooks.jobPollMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const active = new Set(this.dispatcher.activePartitions());
      if (active.size > 0) await this.runJobs(active);
      if (active.has(0) && this.clock.nowMs() - this.lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
        this.lastHousekeeping = this.clock.nowMs();
        await this.housekeeping();
      }
    } catch (err) {
      this.logger.warn({ err }, 'webhook jobs poll failed');
    } finally {
      this.running = false;
    }
  }

  private async runJobs(active: Set<number>): Promise<void> {
    const turns = new JobTurns<JobTask>();
    for (const task of await this.tasks(active)) turns.add(task);
    const deadline = this.clock.nowMs() + this.config.webhooks.jobPollMs;
    for (let round = turns.round(); round.length > 0 && !this.stopped; round = turns.round()) {
      for (const task of round) {
        if (this.stopped) return;
        if (await this.step(task)) turns.add(task);
      }
      if (this.clock.nowMs() >= deadline) return;
    }
  }

  /** The pending jobs (a page of them) as tasks for the partitions active here. */
  private async tasks(active: Set<number>): Promise<JobTask[]> {
    const now = this.clock.nowMs();
    const jobs = await this.jobs.pending(
      new Date(now - RECOVERY_HORIZON_MS),
      this.jobsAfter,
      MAX_JOBS_PER_POLL,
    );
    this.jobsAfter = jobs.length === MAX_JOBS_PER_POLL ? jobs[jobs.length - 1]!._id : undefined;
    if (jobs.length === 0) return [];
    const ids = jobs.map((j) => j._id);
    const done = new Set((await this.jobs.progressOf(ids)).map((p) => p._id));
    const saved = new Map(
      (await this.cursors.ofJobs(jobs.filter((j) => j.kind === 'replay').map((j) => j._id))).map((c) => [
        c._id,
        { after: c.after, deliveries: c.deliveries },
      ]),
    );
    const tasks: JobTask[] = [];
    for (const job of jobs) {
      const concerned = job.partitions ?? Array.from({ length: this.partitions }, (_, p) => p);
      const open = concerned.filter((p) => !done.has(`${job._id}:${p}`));
      if (open.length === 0) {
        // Its last partitions were marked by workers that each missed the other's mark.
        await this.jobs.markFinished(job._id, this.clock.now());
        continue;
      }
      const mine = open.filter((p) => active.has(p));
      if (mine.length === 0) continue;
      const positions = new Map(
        mine.map((p) => [p, saved.get(`${job._id}:${p}`) ?? this.replays.start(job)] as const),
      );
      tasks.push({ accountId: job.accountId, job, partitionsConcerned: concerned, positions });
    }
    return tasks;
  }

  /** One step of a task; true if it has more to do here. */
  private async step(task: JobTask): Promise<boolean> {
    const { job, positions } = task;
    let finished: boolean;
    if (job.kind === 'redeliver') {
      finished = true;
      const count = await this.redeliver(job);
      for (const p of positions.values()) p.deliveries = count;
    } else {
      finished = await this.replays.step(job, positions);
    }
    // A partition lost meanwhile: its next owner goes on from its last saved position.
    for (const partition of [...positions.keys()])
      if (!this.leases.holds(partition)) positions.delete(partition);
    if (!finished) {
      await this.cursors.save(job._id, positions, this.clock.now());
      return positions.size > 0;
    }
    await this.markDone(task);
    return false;
  }

  private async redeliver(job: WebhookJobRecord): Promise<number> {
    if (!job.deliveryId) return 0;
    const records = await this.deliveries.deliveriesByIds([job.deliveryId]);
    this.dispatcher.accept(records);
    return records.length;
  }

  private async markDone(task: JobTask): Promise<void> {
    const { job, positions } = task;
    const at = this.clock.now();
    for (const [partition, p] of positions) await this.jobs.markDone(job._id, partition, p.deliveries, at);
    if (job.kind === 'replay') {
      let created = 0;
      for (const p of positions.values()) created += p.deliveries;
      this.logger.info({ jobId: job._id, partitions: [...positions.keys()], created }, 'replay part done');
    }
    const done = await this.jobs.progressOf([job._id]);
    if (done.length >= task.partitionsConcerned.length) await this.jobs.markFinished(job._id, at);
  }

  private async housekeeping(): Promise<void> {
    const now = this.clock.nowMs();
    const withDeliveries = await this.deliveries.endpointIdsWithDeliveries();
    await this.directory.load();
    const deleted = withDeliveries.filter((id) => !this.directory.get(id));
    const purged = await this.deliveries.purge(
      new Date(now - this.config.webhooks.retentionDays * 86_400_000),
      deleted,
    );
    await this.stats.dropDaysBefore(now - STATS_KEEP_MS);
    await this.jobs.purge(new Date(now - RECOVERY_HORIZON_MS));
    await this.cursors.purge(new Date(now - RECOVERY_HORIZON_MS));
    if (purged)
      this.logger.info({ purged, deletedEndpoints: deleted.length }, 'old webhook deliveries purged');
  }
}
