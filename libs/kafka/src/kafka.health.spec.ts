import { Admin } from 'kafkajs';
import { KafkaClient } from './kafka.client';
import { KafkaHealth } from './kafka.health';

function clientWith(admin: () => Promise<Partial<Admin>>): KafkaClient {
  return { admin } as unknown as KafkaClient;
}

describe('KafkaHealth', () => {
  it('is up with the latency and broker count when describeCluster answers', async () => {
    const health = new KafkaHealth(
      clientWith(async () => ({
        describeCluster: async () => ({
          brokers: [{ nodeId: 1, host: 'h', port: 1 }],
          controller: 1,
          clusterId: 'c',
        }),
      })),
    );
    const result = await health.check(500);
    expect(result).toMatchObject({ up: true, brokers: 1 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is down with the error when the cluster cannot be reached', async () => {
    const health = new KafkaHealth(clientWith(() => Promise.reject(new Error('Connection refused'))));
    expect(await health.check(500)).toEqual({ up: false, error: 'Connection refused' });
  });

  it('is down after the timeout when the cluster does not answer', async () => {
    const health = new KafkaHealth(clientWith(() => new Promise(() => undefined)));
    const started = Date.now();
    expect(await health.check(100)).toEqual({ up: false, error: 'timed out after 100 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
