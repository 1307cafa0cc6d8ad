import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LeasedJobService } from './leased-job.service';
import { LeaseRepository } from './lease.repository';
import { LEASE_MODEL, LeaseSchema } from './lease.schema';

/** The `leases` collection and its repository. Needs the global RuntimeModule and PersistenceModule. */
@Module({
  imports: [MongooseModule.forFeature([{ name: LEASE_MODEL, schema: LeaseSchema }])],
  providers: [LeaseRepository],
  exports: [LeaseRepository],
})
export class LeasesModule {}

/**
 * LeasedJobService (the cluster-wide periodic jobs of runners) with the leases. Its own module:
 * it needs the global ScheduleModule's SchedulerRegistry, which a module using only leases
 * (and its race tests) does not have.
 */
@Module({
  imports: [LeasesModule],
  providers: [LeasedJobService],
  exports: [LeasesModule, LeasedJobService],
})
export class LeasedJobsModule {}
