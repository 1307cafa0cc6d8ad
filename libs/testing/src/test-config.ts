import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@wwb/config';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';
/** METRICS_TOKEN of test processes: `Authorization: Bearer <it>` reads /metrics. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

/**
 * A configuration for one test file: its own Mongo database and its own Kafka topics, so that
 * test files never see each other's data. Returns the env as well, for child processes.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const tag = randomBytes(4).toString('hex');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HTTP_PORT: '0',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    MONGO_URI: `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27017}/t_${tag}`,
    KAFKA_BROKERS: `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`,
    KAFKA_TOPIC_PREFIX: `t${tag}.`,
    KAFKA_CLIENT_ID: `test-${tag}`,
    KAFKA_EVENTS_PARTITIONS: '3',
    KAFKA_COMMANDS_PARTITIONS: '3',
    CONSUMER_RETRY_BASE_MS: '20',
    CONSUMER_RETRY_MAX_MS: '200',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}
