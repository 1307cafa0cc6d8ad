import { Injectable } from '@nestjs/common';
import { KafkaClient } from './kafka.client';

export interface KafkaHealthResult {
  up: boolean;
  latencyMs?: number;
  brokers?: number;
  error?: string;
}

/** Readiness probe: can this process reach the cluster (describeCluster) within the timeout? */
@Injectable()
export class KafkaHealth {
  constructor(private readonly client: KafkaClient) {}

  async check(timeoutMs = 2000): Promise<KafkaHealthResult> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const cluster = await Promise.race([
        this.client.admin().then((admin) => admin.describeCluster()),
        timeout,
      ]);
      return { up: true, latencyMs: Date.now() - started, brokers: cluster.brokers.length };
    } catch (err) {
      return { up: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
