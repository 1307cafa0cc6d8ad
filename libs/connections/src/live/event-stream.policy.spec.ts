import type { AppConfig } from '@wwb/config';
import { MetricsRegistry } from '@wwb/observability';
import { DomainError } from '@wwb/runtime';
import { EventStreamPolicy } from './event-stream.policy';

const policyWith = (max: number) =>
  new EventStreamPolicy({ auth: { sseMaxStreamsPerKey: max } } as AppConfig, new MetricsRegistry());

describe('EventStreamPolicy', () => {
  it('gives a key at most SSE_MAX_STREAMS_PER_KEY slots; one more is 429 too_many_streams', () => {
    const policy = policyWith(5);
    const releases = Array.from({ length: 5 }, () => policy.acquire('key_a'));
    expect(policy.openFor('key_a')).toBe(5);
    let error: unknown;
    try {
      policy.acquire('key_a');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'limit_reached', code: 'too_many_streams' });
    expect((error as Error).message).toMatch(/at most 5/);
    // Another key is not affected.
    expect(() => policy.acquire('key_b')).not.toThrow();
    // Releasing twice frees one slot only.
    releases[0]!();
    releases[0]!();
    expect(policy.openFor('key_a')).toBe(4);
    policy.acquire('key_a');
    expect(() => policy.acquire('key_a')).toThrow(DomainError);
    for (const r of releases) r();
    expect(policy.openFor('key_a')).toBe(1);
  });

  it('drops a stream over 1 MiB buffered or stalled 10 s without drain', () => {
    const policy = policyWith(5);
    expect(policy.mustDrop(1024 * 1024, null, 0)).toBe(false);
    expect(policy.mustDrop(1024 * 1024 + 1, null, 0)).toBe(true);
    expect(policy.mustDrop(20_000, 1_000, 10_999)).toBe(false);
    expect(policy.mustDrop(20_000, 1_000, 11_000)).toBe(true);
  });

  it('counts server-side closes by reason and open streams in metrics', async () => {
    const metrics = new MetricsRegistry();
    const policy = new EventStreamPolicy({ auth: { sseMaxStreamsPerKey: 3 } } as AppConfig, metrics);
    policy.acquire('key_a');
    policy.acquire('key_b');
    policy.recordClosed('slow_client');
    const text = await metrics.render();
    expect(text).toMatch(/^wwb_sse_streams_open 2$/m);
    expect(text).toMatch(/^wwb_sse_streams_closed_total\{reason="slow_client"\} 1$/m);
  });
});
