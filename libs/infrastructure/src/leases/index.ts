export * from './lease.schema';
export * from './lease.repository';
export * from './leases.module';
export * from './leased.job';
export * from './leased-job.service';
