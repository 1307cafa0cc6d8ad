export * from './test-config';
export * from './wait-for';
export * from './memory-window-counts';
export * from './manual-clock';
