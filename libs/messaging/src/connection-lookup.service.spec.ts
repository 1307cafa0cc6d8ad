import { Principal } from '@wwb/accounts';
import { ConnectionsService, ConnectionView } from '@wwb/connections';
import { AppError } from '@wwb/http';
import { Clock } from '@wwb/runtime';
import { ConnectionLookupService } from './connection-lookup.service';

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
      getForPrincipal: async (p: Principal, id: string) => {
        reads++;
        if (fail || !p.mayUseConnection(id)) throw AppError.notFound('Connection');
        return { id, accountId: p.accountId } as ConnectionView;
      },
    } as unknown as ConnectionsService;
    lookup = new ConnectionLookupService(connections, { nowMs: () => now } as Clock);
  });

  it('reads once per second per account and connection, concurrent callers included', async () => {
    const p = new Principal('acc_1', 'key_1');
    await Promise.all([lookup.get(p, 'con_1'), lookup.get(p, 'con_1'), lookup.get(p, 'con_1')]);
    expect(reads).toBe(1);
    now += 999;
    await lookup.get(p, 'con_1');
    expect(reads).toBe(1);
    now += 2;
    await lookup.get(p, 'con_1');
    expect(reads).toBe(2);
    await lookup.get(new Principal('acc_2', 'key_2'), 'con_1');
    expect(reads).toBe(3);
  });

  it('a restricted key never gets a cached connection outside its list; failures are not cached', async () => {
    await lookup.get(new Principal('acc_1', 'key_1'), 'con_1');
    await expect(lookup.get(new Principal('acc_1', 'key_r', ['con_2']), 'con_1')).rejects.toBeInstanceOf(
      AppError,
    );
    fail = true;
    await expect(lookup.get(new Principal('acc_1', 'key_1'), 'con_9')).rejects.toBeInstanceOf(AppError);
    fail = false;
    await expect(lookup.get(new Principal('acc_1', 'key_1'), 'con_9')).resolves.toMatchObject({
      id: 'con_9',
    });
  });
});
