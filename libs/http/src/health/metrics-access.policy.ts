import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@wwb/config';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Who may read the process's internals on the API port (GET /metrics, which dependency is down):
 * the holder of METRICS_TOKEN only. Without a token configured nobody may there; a scraper uses
 * METRICS_PORT instead. Constant-time comparison over digests (no length leak).
 */
@Injectable()
export class MetricsAccessPolicy {
  private readonly expected: Buffer | null;

  constructor(config: AppConfig) {
    this.expected = config.metrics.token ? sha256(config.metrics.token) : null;
  }

  allows(headers: IncomingHttpHeaders): boolean {
    if (!this.expected) return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    return !!match && timingSafeEqual(sha256(match[1]!), this.expected);
  }
}
