import type { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import type { AppLogger } from '@wwb/observability';
import type { Clock } from '@wwb/runtime';
import type { AccountRepository } from '../account.repository';
import type { AccountRecord } from '../account.schema';
import { ApiKeyAuthService, LAST_USED_WRITE_INTERVAL_MS } from './api-key-auth.service';
import { ApiKeyGenerator } from './api-key.generator';
import type { ApiKeyRepository } from './api-key.repository';
import type { ApiKeyRecord } from './api-key.schema';

function setup(ttlMs = 5000) {
  let now = 1_000_000;
  const { key, prefix, hash } = new ApiKeyGenerator().generate();
  const record: ApiKeyRecord = {
    _id: 'key_1',
    accountId: 'acc_1',
    name: 'k',
    prefix,
    hash,
    createdAt: new Date(0),
  };
  const account = { _id: 'acc_1', disabled: false } as AccountRecord;
  const keys = {
    findActiveByHash: jest.fn(async (h: string) => (h === hash ? record : null)),
    touchLastUsed: jest.fn(async () => undefined),
  };
  const accounts = { get: jest.fn(async () => account) };
  const warn = jest.fn();
  const service = new ApiKeyAuthService(
    { auth: { keyCacheTtlMs: ttlMs } } as AppConfig,
    keys as unknown as ApiKeyRepository,
    accounts as unknown as AccountRepository,
    { nowMs: () => now } as Clock,
    { pino: { warn } } as unknown as AppLogger,
  );
  return { service, key, keys, accounts, account, warn, advance: (ms: number) => (now += ms) };
}

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('ApiKeyAuthService', () => {
  it('returns the principal and caches it for the TTL', async () => {
    const { service, key, keys, advance } = setup();
    const p = await service.authenticate(key);
    expect(p).toMatchObject({ accountId: 'acc_1', apiKeyId: 'key_1' });
    await service.authenticate(key);
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(1);
    advance(5000);
    await service.authenticate(key);
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(2);
  });

  it('re-reads a key in use from half the TTL without holding up its requests; a revocation elsewhere shows within the TTL', async () => {
    const { service, key, keys, advance } = setup();
    await service.authenticate(key);
    advance(2500);
    let release!: () => void;
    const slowRead = new Promise<void>((r) => (release = r));
    keys.findActiveByHash.mockImplementation(async () => {
      await slowRead;
      return null; // revoked by another process meanwhile
    });
    // Served from the cache while the re-read runs (the database is slow here).
    await expect(service.authenticate(key)).resolves.toMatchObject({ apiKeyId: 'key_1' });
    await expect(service.authenticate(key)).resolves.toMatchObject({ apiKeyId: 'key_1' });
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(2);
    release();
    await new Promise((r) => setImmediate(r));
    expect(await code(service.authenticate(key))).toBe('invalid_api_key');
  });

  it('does not cache with a TTL of 0', async () => {
    const { service, key, keys } = setup(0);
    await service.authenticate(key);
    await service.authenticate(key);
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(2);
  });

  it('refuses malformed keys without a database read', async () => {
    const { service, keys } = setup();
    expect(await code(service.authenticate('nope'))).toBe('invalid_api_key');
    expect(await code(service.authenticate(`wwb_${'a'.repeat(43)}`))).toBe('invalid_api_key');
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(1);
  });

  it('drops a key at once when it is revoked on this process', async () => {
    const { service, key, keys } = setup();
    await service.authenticate(key);
    keys.findActiveByHash.mockResolvedValue(null);
    service.invalidateKey('key_1');
    expect(await code(service.authenticate(key))).toBe('invalid_api_key');
  });

  it('does not cache a lookup that raced with an invalidation', async () => {
    const { service, key, keys } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const original = keys.findActiveByHash.getMockImplementation()!;
    keys.findActiveByHash.mockImplementationOnce(async (h: string) => {
      await gate;
      return original(h);
    });
    const pending = service.authenticate(key);
    service.invalidateKey('key_1');
    release();
    await pending;
    keys.findActiveByHash.mockResolvedValue(null);
    expect(await code(service.authenticate(key))).toBe('invalid_api_key');
  });

  it('403 account_disabled for a disabled account, and again after invalidateAccount', async () => {
    const { service, key, account } = setup();
    expect(await code(service.authenticate(key))).toBe('ok');
    account.disabled = true;
    expect(await code(service.authenticate(key))).toBe('ok'); // cached
    service.invalidateAccount('acc_1');
    expect(await code(service.authenticate(key))).toBe('account_disabled');
  });

  it('writes lastUsedAt at most once a minute, and only logs a failure', async () => {
    const { service, key, keys, warn, advance } = setup();
    await service.authenticate(key);
    await service.authenticate(key);
    expect(keys.touchLastUsed).toHaveBeenCalledTimes(1);
    advance(LAST_USED_WRITE_INTERVAL_MS - 1);
    await service.authenticate(key);
    expect(keys.touchLastUsed).toHaveBeenCalledTimes(1);
    keys.touchLastUsed.mockRejectedValueOnce(new Error('mongo down'));
    advance(1);
    expect(await code(service.authenticate(key))).toBe('ok');
    await new Promise((r) => setImmediate(r));
    expect(keys.touchLastUsed).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ err: 'mongo down' }),
      'could not record lastUsedAt',
    );
  });
});

describe('ApiKeyAuthService under load', () => {
  it('shares one lookup between concurrent requests for the same key', async () => {
    const { service, key, keys } = setup();
    const principals = await Promise.all(Array.from({ length: 50 }, () => service.authenticate(key)));
    expect(new Set(principals).size).toBe(1);
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(1);
  });

  it('a shared lookup that fails fails every waiting request, and the next one retries', async () => {
    const { service, key, keys } = setup();
    keys.findActiveByHash.mockRejectedValueOnce(new Error('mongo down'));
    const results = await Promise.all(Array.from({ length: 5 }, () => code(service.authenticate(key))));
    expect(results).toEqual(Array(5).fill('Error: mongo down'));
    expect(await code(service.authenticate(key))).toBe('ok');
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(2);
  });
});
