import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { IdGenerator } from '@wwb/runtime';
import { LeasedJob } from './leased.job';
import { LeaseRepository } from './lease.repository';

/** What a runner says about its cluster-wide periodic job (the rest is this service's). */
export interface LeasedJobSpec {
  /** Lease and timer name (one per job, cluster-wide). */
  name: string;
  intervalMs: number;
  /** How long a taken lease lasts; renewed at every run, so a few intervals. */
  leaseMs: number;
  logger: Logger;
}

/**
 * Builds the LeasedJob of a runner with this node's scheduler, lease store and a holder id of
 * its own, so that each runner states only its name, timing and logger (start it from
 * onApplicationBootstrap, stop it before shutdown).
 */
@Injectable()
export class LeasedJobService {
  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly leases: LeaseRepository,
    private readonly ids: IdGenerator,
  ) {}

  create(spec: LeasedJobSpec): LeasedJob {
    return new LeasedJob({
      ...spec,
      leases: this.leases,
      scheduler: this.scheduler,
      holder: LeasedJob.holderId(this.ids.ulid()),
    });
  }
}
