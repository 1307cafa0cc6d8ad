import { isDomainError } from '@wwb/runtime';
import type { ApiUsageRepository } from './api-usage.repository';
import type { ApiUsageRecord } from './api-usage.schema';
import { ApiUsageService } from './api-usage.service';

const DAY = Date.UTC(2025, 2, 14);
const HOUR = 3_600_000;

type Doc = ApiUsageRecord & Record<string, unknown>;

/** Day tables in memory (by UTC midnight); records the reads and how many were in flight. */
class FakeRepository {
  readonly tables = new Map<number, Doc[]>();
  readonly reads: { accountId: string; dayMs: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  async ofAccountDay(accountId: string, dayMs: number): Promise<ApiUsageRecord[]> {
    this.reads.push({ accountId, dayMs });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setImmediate(r));
    this.inFlight -= 1;
    return (this.tables.get(dayMs) ?? []).filter((d) => d.accountId === accountId);
  }
  put(dayMs: number, doc: Doc): void {
    this.tables.set(dayMs, [...(this.tables.get(dayMs) ?? []), doc]);
  }
}

const doc = (
  apiKeyId: string,
  processId: string,
  hours: Record<string, unknown>,
  accountId = 'acc_1',
): Doc => ({
  _id: `${apiKeyId}/${processId}`,
  accountId,
  apiKeyId,
  ...hours,
});

describe('ApiUsageService', () => {
  let repository: FakeRepository;
  let service: ApiUsageService;

  beforeEach(() => {
    repository = new FakeRepository();
    service = new ApiUsageService(repository as unknown as ApiUsageRepository);
  });

  it('adds the hour counters of every process of a key, per key, hours ascending', async () => {
    repository.put(
      DAY,
      doc('key_a', 'P1', { h10: { requests: 5, messages: 2, errors: 1 }, h09: { requests: 1 } }),
    );
    repository.put(DAY, doc('key_a', 'P2', { h10: { requests: 3, messages: 1 } }));
    repository.put(DAY, doc('key_b', 'P1', { h10: { requests: 7, errors: 7 } }));
    repository.put(DAY, doc('key_c', 'P1', { h10: { requests: 100 } }, 'acc_other'));
    const usage = await service.usageByKey('acc_1', DAY, DAY + 24 * HOUR);
    expect([...usage.keys()]).toEqual(['key_a', 'key_b']);
    expect(usage.get('key_a')).toEqual([
      { startMs: DAY + 9 * HOUR, requests: 1, messages: 0, errors: 0 },
      { startMs: DAY + 10 * HOUR, requests: 8, messages: 3, errors: 1 },
    ]);
    expect(usage.get('key_b')).toEqual([{ startMs: DAY + 10 * HOUR, requests: 7, messages: 0, errors: 7 }]);
    expect(repository.reads).toEqual([{ accountId: 'acc_1', dayMs: DAY }]);
  });

  it('keeps the hours whose start is in [from, to), across days', async () => {
    repository.put(
      DAY,
      doc('key_a', 'P1', { h09: { requests: 1 }, h10: { requests: 2 }, h23: { requests: 4 } }),
    );
    repository.put(DAY + 24 * HOUR, doc('key_a', 'P1', { h00: { requests: 8 }, h01: { requests: 16 } }));
    // From 09:30 (the 09:00 hour starts before it) to 01:00 the next day (excluded).
    const usage = await service.usageByKey('acc_1', DAY + 9.5 * HOUR, DAY + 25 * HOUR);
    expect(usage.get('key_a')!.map((h) => [(h.startMs - DAY) / HOUR, h.requests])).toEqual([
      [10, 2],
      [23, 4],
      [24, 8],
    ]);
    expect(repository.reads.map((r) => r.dayMs)).toEqual([DAY, DAY + 24 * HOUR]);
  });

  it('leaves out keys with no hour in the range, and does not read the day a range ends at', async () => {
    repository.put(DAY, doc('key_a', 'P1', { h02: { requests: 1 } }));
    repository.put(DAY + 24 * HOUR, doc('key_b', 'P1', { h00: { requests: 1 } }));
    const usage = await service.usageByKey('acc_1', DAY + 3 * HOUR, DAY + 24 * HOUR);
    expect(usage.size).toBe(0);
    expect(repository.reads.map((r) => r.dayMs)).toEqual([DAY]);
    await expect(service.usageByKey('acc_1', DAY, DAY)).resolves.toEqual(new Map());
  });

  it('reads one table per day, at most 4 at once', async () => {
    for (let d = 0; d < 9; d++)
      repository.put(DAY + d * 24 * HOUR, doc('key_a', 'P1', { h12: { requests: d + 1 } }));
    const usage = await service.usageByKey('acc_1', DAY, DAY + 9 * 24 * HOUR);
    expect(repository.reads).toHaveLength(9);
    expect(repository.maxInFlight).toBe(4);
    expect(usage.get('key_a')!.reduce((n, h) => n + h.requests, 0)).toBe(45);
  });

  it('rejects a range that ends before it starts or is not finite', async () => {
    for (const [from, to] of [
      [DAY + 1, DAY],
      [DAY, Number.POSITIVE_INFINITY],
      [Number.NaN, DAY],
    ] as const) {
      const err: unknown = await service.usageByKey('acc_1', from, to).catch((e: unknown) => e);
      expect(isDomainError(err) && err.code).toBe('invalid_usage_range');
    }
    expect(repository.reads).toHaveLength(0);
  });
});
