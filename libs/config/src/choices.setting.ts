/** The closed lists some settings choose from (LOG_LEVEL, NODE_ENV, WHATSAPP_DRIVER, WORKER_CONSUMERS). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const WHATSAPP_DRIVERS = ['webjs', 'simulator'] as const;
/** Consumer sets a worker process can run (WORKER_CONSUMERS). */
export const WORKER_CONSUMER_SETS = [
  'webhooks',
  'event-log',
  'messaging',
  'automation',
  'campaigns',
  'analytics',
] as const;
export type WorkerConsumerSet = (typeof WORKER_CONSUMER_SETS)[number];
