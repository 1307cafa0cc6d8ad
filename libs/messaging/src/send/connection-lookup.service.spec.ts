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

  it('reads once per second per account and connection, concurrent callers included', async () => {
    const scope = scopeOf('acc_1');
    await Promise.all([lookup.get(scope, 'con_1'), lookup.get(scope, 'con_1'), lookup.get(scope, 'con_1')]);
    expect(reads).toBe(1);
    now += 999;
    await lookup.get(scope, 'con_1');
    expect(reads).toBe(1);
    now += 2;
    await lookup.get(scope, 'con_1');
    expect(reads).toBe(2);
    await lookup.get(scopeOf('acc_2'), 'con_1');
    expect(reads).toBe(3);
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
