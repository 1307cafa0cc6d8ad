import { TimeoutError, withTimeout } from './with-timeout';

describe('withTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('settles like the promise when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 100, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 100, 'x')).rejects.toThrow('no');
    await expect(withTimeout(Promise.reject('text'), 100, 'x')).rejects.toThrow('text');
  });

  it('rejects with TimeoutError naming what timed out', async () => {
    const never = new Promise<never>(() => undefined);
    const p = withTimeout(never, 500, 'client.destroy');
    jest.advanceTimersByTime(499);
    let settled = false;
    void p.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    jest.advanceTimersByTime(1);
    await expect(p).rejects.toThrow(new TimeoutError('client.destroy', 500));
    await expect(p).rejects.toMatchObject({ code: 'ETIMEOUT', what: 'client.destroy', ms: 500 });
  });
});
