import { Principal } from '@wwb/accounts';
import { ConnectionsService, ConnectionView } from '@wwb/connections';
import { AppError } from '@wwb/http';
import { AccountScope, scopeOf } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';
import { assertConnectionReach, ConnectionLookupService } from './connection-lookup.service';

describe('ConnectionLookupService', () => {
  let now: number;
  let reads: number;
  let fail: boolean;
  let lookup: ConnectionLookupService;

  beforeEach(() => {
    now = 1_000_000;
    reads = 0;
    fail = false;
    const connections = {
      get: async (scope: AccountScope, id: string) => {
        reads++;
        if (fail) throw AppError.notFound('Connection');
        return { id, accountId: scope.accountId } as ConnectionView;
      },
    } as unknown as ConnectionsService;
    lookup = new ConnectionLookupService(connections, { nowMs: () => now } as Clock);
  });

  it('reads once per account and connection for concurrent callers, re-reads in the background from 0.5 s, never serves a read 1 s old', async () => {
    const scope = scopeOf('acc_1');
    await Promise.all([lookup.get(scope, 'con_1'), lookup.get(scope, 'con_1'), lookup.get(scope, 'con_1')]);
    expect(reads).toBe(1);
    now += 499;
    await lookup.get(scope, 'con_1');
    expect(reads).toBe(1);
    now += 1;
    await lookup.get(scope, 'con_1'); // answered from the cache, re-read started
    await lookup.get(scope, 'con_1'); // shares that re-read
    expect(reads).toBe(2);
    await new Promise((r) => setImmediate(r));
    now += 999; // 999 ms after the re-read started
    await lookup.get(scope, 'con_1');
    expect(reads).toBe(3);
    await new Promise((r) => setImmediate(r));
    now += 1_001; // nothing read for over a second: the read waits
    fail = true;
    await expect(lookup.get(scope, 'con_1')).rejects.toMatchObject({ code: 'not_found' });
    fail = false;
    await lookup.get(scopeOf('acc_2'), 'con_1');
    expect(reads).toBe(5);
  });

  it('a missing connection is a domain not_found, and failures are not cached', async () => {
    fail = true;
    await expect(lookup.get(scopeOf('acc_1'), 'con_9')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'not_found',
    });
    fail = false;
    await expect(lookup.get(scopeOf('acc_1'), 'con_9')).resolves.toMatchObject({ id: 'con_9' });
  });

  it('a restricted key reaches only its connections (404 otherwise)', () => {
    expect(() => assertConnectionReach(new Principal('acc_1', 'key_1'), 'con_1')).not.toThrow();
    expect(() => assertConnectionReach(new Principal('acc_1', 'key_r', ['con_2']), 'con_2')).not.toThrow();
    expect(() => assertConnectionReach(new Principal('acc_1', 'key_r', ['con_2']), 'con_1')).toThrow(
      DomainError,
    );
  });
});
