import type { ExecutionContext } from '@nestjs/common';
import type { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import type { WindowCountRepository } from '@wwb/infrastructure';
import type { AppLogger } from '@wwb/observability';
import type { Clock } from '@wwb/runtime';
import { AdminGuard } from './admin.guard';
import type { ApiKeyAuthService } from '../keys/api-key-auth.service';
import { ApiKeyGuard } from '../keys/api-key.guard';
import { AuthFailureLimiterService } from './auth-failure-limiter.service';
import { Principal } from './principal.model';
import type { SessionRequestService } from '../sessions/session-request.service';

/** No session cookie in these requests: the guards never reach the session path. */
const noSessions = { tokenOf: () => undefined } as unknown as SessionRequestService;

const GOOD = `wwb_${'A'.repeat(43)}`;
const DISABLED = `wwb_${'D'.repeat(43)}`;
const ADMIN_KEY = 'x'.repeat(40);

function context(key: string | undefined, ip = '203.0.113.7') {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const resHeaders: Record<string, string> = {};
  const req = { headers, ip, socket: {} };
  const res = { setHeader: (name: string, value: string) => (resHeaders[name.toLowerCase()] = value) };
  const ctx = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { ctx, resHeaders };
}

async function outcome(run: () => boolean | Promise<boolean>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.code}`;
    throw err;
  }
}

function setup(limit = 2) {
  const clock = { now: 0, nowMs: () => clock.now };
  const config = { auth: { authFailuresPerMinute: limit, adminApiKey: ADMIN_KEY } } as AppConfig;
  const failures = new AuthFailureLimiterService(
    config,
    clock as unknown as Clock,
    {} as WindowCountRepository,
    { child: () => ({}) } as unknown as AppLogger,
  );
  const authenticate = jest.fn((presented: string) => {
    if (presented === GOOD) return Promise.resolve(new Principal('acc_1', 'key_1'));
    if (presented === DISABLED) return Promise.reject(new AppError(403, 'account_disabled', 'disabled'));
    return Promise.reject(new AppError(401, 'invalid_api_key', 'unknown'));
  });
  const apiKeys = new ApiKeyGuard({ authenticate } as unknown as ApiKeyAuthService, failures, noSessions);
  const admin = new AdminGuard(config, failures, noSessions);
  return { clock, authenticate, apiKeys, admin };
}

describe('ApiKeyGuard failure throttling', () => {
  it('answers 429 instead of 401 once the address is over budget, without looking the key up', async () => {
    const { apiKeys, authenticate } = setup(2);
    const bad = `wwb_${'b'.repeat(43)}`;
    expect(await outcome(() => apiKeys.canActivate(context(bad).ctx))).toBe('401 invalid_api_key');
    expect(await outcome(() => apiKeys.canActivate(context(bad).ctx))).toBe('401 invalid_api_key');
    const third = context(bad);
    expect(await outcome(() => apiKeys.canActivate(third.ctx))).toBe('429 too_many_auth_failures');
    expect(third.resHeaders['retry-after']).toBe('60');
    expect(authenticate).toHaveBeenCalledTimes(2);
    expect(await outcome(() => apiKeys.canActivate(context(bad, '198.51.100.1').ctx))).toBe(
      '401 invalid_api_key',
    );
  });

  it('lets a key that verified on this process through a throttled address; a success does not reset', async () => {
    const { apiKeys, clock } = setup(1);
    expect(await outcome(() => apiKeys.canActivate(context(GOOD, '10.9.9.9').ctx))).toBe('ok');
    expect(await outcome(() => apiKeys.canActivate(context('wrong').ctx))).toBe('401 invalid_api_key');
    expect(await outcome(() => apiKeys.canActivate(context(GOOD).ctx))).toBe('ok');
    expect(await outcome(() => apiKeys.canActivate(context('wrong').ctx))).toBe('429 too_many_auth_failures');
    clock.now = 60_000;
    expect(await outcome(() => apiKeys.canActivate(context('wrong').ctx))).toBe('401 invalid_api_key');
  });

  it('does not count a missing key or a disabled account as a failure', async () => {
    const { apiKeys } = setup(1);
    expect(await outcome(() => apiKeys.canActivate(context(undefined).ctx))).toBe('401 missing_api_key');
    expect(await outcome(() => apiKeys.canActivate(context(DISABLED).ctx))).toBe('403 account_disabled');
    expect(await outcome(() => apiKeys.canActivate(context('wrong').ctx))).toBe('401 invalid_api_key');
  });
});

describe('AdminGuard failure throttling', () => {
  it('429 for wrong operator keys over budget; the right key still passes; API-key failures share the budget', async () => {
    const { admin, apiKeys } = setup(2);
    expect(await outcome(() => apiKeys.canActivate(context('wrong').ctx))).toBe('401 invalid_api_key');
    expect(await outcome(() => admin.canActivate(context('y'.repeat(40)).ctx))).toBe('401 invalid_admin_key');
    const limited = context('y'.repeat(40));
    expect(await outcome(() => admin.canActivate(limited.ctx))).toBe('429 too_many_auth_failures');
    expect(limited.resHeaders['retry-after']).toBe('60');
    expect(await outcome(() => admin.canActivate(context(ADMIN_KEY).ctx))).toBe('ok');
    expect(await outcome(() => admin.canActivate(context(undefined, '10.1.1.1').ctx))).toBe(
      '401 invalid_admin_key',
    );
  });
});
