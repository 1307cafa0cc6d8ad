import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LeasedJobService } from './leased-job.service';
import { LeaseRepository } from './lease.repository';
import { LEASE_MODEL, LeaseSchema } from './lease.schema';

/**
 * The `leases` collection, its repository and LeasedJobService (the periodic jobs of runners).
 * Needs the global RuntimeModule, PersistenceModule and ScheduleModule.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: LEASE_MODEL, schema: LeaseSchema }])],
  providers: [LeaseRepository, LeasedJobService],
  exports: [LeaseRepository, LeasedJobService],
})
export class LeasesModule {}
