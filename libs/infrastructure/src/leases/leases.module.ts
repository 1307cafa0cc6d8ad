import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LeaseRepository } from './lease.repository';
import { LEASE_MODEL, LeaseSchema } from './lease.schema';

/** The `leases` collection and its repository. Needs the global RuntimeModule and PersistenceModule. */
@Module({
  imports: [MongooseModule.forFeature([{ name: LEASE_MODEL, schema: LeaseSchema }])],
  providers: [LeaseRepository],
  exports: [LeaseRepository],
})
export class LeasesModule {}
