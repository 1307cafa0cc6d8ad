export * from './window-count.schema';
export * from './window-count.repository';
export * from './window-counts.module';
export * from './window-counter.store';
