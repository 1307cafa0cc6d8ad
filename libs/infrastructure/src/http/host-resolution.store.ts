import { LRUCache } from 'lru-cache';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution as a dependency (tests point names at chosen addresses). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface HostResolutionOptions {
  /** How long an answer is reused. Default 30 s. */
  ttlMs?: number;
  /** How long a failed resolution is reused (no retry storm at a dead name). Default 5 s. */
  failureTtlMs?: number;
  /** Host names remembered at most. Default 10,000. */
  max?: number;
  nowMs?: () => number;
}

interface Entry {
  at: number;
  answer: Promise<ResolvedAddress[]>;
  failed: boolean;
}

/**
 * Resolutions shared by every outbound request of this process (webhook deliveries, media URL
 * fetches, rule HTTP actions): concurrent lookups of one name wait for the same answer, and an
 * answer (or a failure) is reused for a short while. Node's dns.lookup runs getaddrinfo on the 4
 * threads of libuv's pool, which file and crypto work share: without this, one account with
 * webhooks to a slow-resolving host queued a lookup per delivery (the API fuzz run saw 1,127
 * waiting) and stalled every other account's requests and the process's file reads. Caching
 * does not weaken the SSRF check: each connection is still checked against, and made to, the
 * addresses of the answer.
 */
export function cachingResolver(resolve: HostResolver, options: HostResolutionOptions = {}): HostResolver {
  const ttlMs = options.ttlMs ?? 30_000;
  const failureTtlMs = options.failureTtlMs ?? 5_000;
  const now = options.nowMs ?? Date.now;
  const entries = new LRUCache<string, Entry>({ max: options.max ?? 10_000 });
  return (hostname) => {
    const key = hostname.toLowerCase();
    const t = now();
    const cached = entries.get(key);
    if (cached && t - cached.at < (cached.failed ? failureTtlMs : ttlMs)) return cached.answer;
    const entry: Entry = { at: t, answer: resolve(hostname), failed: false };
    entries.set(key, entry);
    entry.answer.catch(() => {
      entry.failed = true;
      entry.at = now();
    });
    return entry.answer;
  };
}
