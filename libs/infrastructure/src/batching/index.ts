export * from './coalescing.queue';
