import { StateWriter } from './state.writer';

interface S {
  n: number;
}

describe('StateWriter', () => {
  it('writes whole snapshots one at a time; changes made during a save go out together next', async () => {
    const saved: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const writer = new StateWriter<S>(
      { n: 0 },
      {
        save: async (s) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 10));
          saved.push(s.n);
          inFlight--;
          return true;
        },
        onError: () => undefined,
      },
    );
    for (let i = 1; i <= 5; i++) writer.update((s) => ({ n: s.n + 1 }));
    await writer.flush();
    expect(maxInFlight).toBe(1);
    expect(saved).toEqual([1, 5]);
    expect(writer.value).toEqual({ n: 5 });
  });

  it('retries a failed save until it succeeds', async () => {
    let attempts = 0;
    const errors: unknown[] = [];
    const writer = new StateWriter<S>(
      { n: 0 },
      {
        retryMs: 5,
        save: async () => {
          attempts++;
          if (attempts < 3) throw new Error('mongo down');
          return true;
        },
        onError: (err) => errors.push(err),
      },
    );
    writer.update(() => ({ n: 1 }));
    await writer.flush();
    expect(attempts).toBe(3);
    expect(errors).toHaveLength(2);
  });

  it('stops writing once the document is gone, and after close()', async () => {
    const saved: number[] = [];
    const gone = new StateWriter<S>(
      { n: 0 },
      { save: async (s) => (saved.push(s.n), false), onError: () => undefined },
    );
    gone.update(() => ({ n: 1 }));
    await gone.flush();
    gone.update(() => ({ n: 2 }));
    await gone.flush();
    expect(saved).toEqual([1]);

    const stored: number[] = [];
    const closing = new StateWriter<S>(
      { n: 0 },
      { save: async (s) => (stored.push(s.n), true), onError: () => undefined },
    );
    closing.update(() => ({ n: 1 }));
    await closing.close();
    closing.update(() => ({ n: 2 }));
    await closing.flush();
    expect(stored).toEqual([1]);
    expect(closing.value).toEqual({ n: 2 });
  });

  it('close() gives up after one more failed attempt', async () => {
    let attempts = 0;
    const writer = new StateWriter<S>(
      { n: 0 },
      {
        retryMs: 60_000,
        save: async () => {
          attempts++;
          throw new Error('mongo down');
        },
        onError: () => undefined,
      },
    );
    writer.update(() => ({ n: 1 }));
    await new Promise((r) => setTimeout(r, 5));
    await writer.close();
    expect(attempts).toBe(2);
  });
});
