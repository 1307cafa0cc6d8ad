import { cachingResolver, ResolvedAddress } from './host-resolution.store';

const A: ResolvedAddress[] = [{ address: '93.184.216.34', family: 4 }];

describe('cachingResolver', () => {
  let now: number;
  let calls: string[];
  let pending: { resolve(a: ResolvedAddress[]): void; reject(e: Error): void }[];
  const resolver = () =>
    cachingResolver(
      (host) => {
        calls.push(host);
        return new Promise<ResolvedAddress[]>((resolve, reject) => pending.push({ resolve, reject }));
      },
      { ttlMs: 30_000, failureTtlMs: 5_000, nowMs: () => now },
    );

  beforeEach(() => {
    now = 1_000_000;
    calls = [];
    pending = [];
  });

  it('concurrent lookups of one name share one resolution (case-insensitive)', async () => {
    const resolve = resolver();
    const answers = Promise.all([
      resolve('hooks.example.com'),
      resolve('HOOKS.example.com'),
      resolve('hooks.example.com'),
    ]);
    expect(calls).toEqual(['hooks.example.com']);
    pending[0]!.resolve(A);
    expect(await answers).toEqual([A, A, A]);
  });

  it('reuses an answer for ttlMs, then resolves again', async () => {
    const resolve = resolver();
    const first = resolve('a.example');
    pending[0]!.resolve(A);
    await first;
    now += 29_999;
    await resolve('a.example');
    expect(calls).toHaveLength(1);
    now += 1;
    void resolve('a.example');
    expect(calls).toHaveLength(2);
  });

  it('remembers a failure for failureTtlMs only', async () => {
    const resolve = resolver();
    const first = resolve('dead.example');
    pending[0]!.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
    await expect(first).rejects.toThrow('ENOTFOUND');
    now += 4_999;
    await expect(resolve('dead.example')).rejects.toThrow('ENOTFOUND');
    expect(calls).toHaveLength(1);
    now += 1;
    void resolve('dead.example').catch(() => undefined);
    expect(calls).toHaveLength(2);
  });

  it('keeps names apart', () => {
    const resolve = resolver();
    void resolve('a.example');
    void resolve('b.example');
    expect(calls).toEqual(['a.example', 'b.example']);
  });
});
