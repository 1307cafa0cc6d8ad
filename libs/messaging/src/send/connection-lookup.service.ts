import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { ConnectionsService, ConnectionView } from '@wwb/connections';
import { AppError } from '@wwb/http';
import { RefreshAheadStore } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';

/** How long a connection read for the send path is reused. */
export const CONNECTION_CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;

export const connectionNotFound = (): DomainError => DomainError.notFound('Connection');

/**
 * A restricted API key reaches only its connections; any other is 404, as if it did not exist.
 * The HTTP side checks it before calling a use case (which knows accounts, not keys).
 */
export function assertConnectionReach(principal: Principal, connectionId: string): void {
  if (!principal.mayUseConnection(connectionId)) throw connectionNotFound();
}

/**
 * The connection of a send, read through ConnectionsService (404 `not_found` for another
 * account's connection or a deleted one) and reused for a second per account and connection:
 * the send path runs at hundreds of messages per second for a handful of connections. From half
 * a second on it is re-read in the background while sends keep using it (RefreshAheadStore), so
 * no send waits for that read once the connection is known. Only the connection's state may be
 * up to a second old, which at worst accepts a message for a connection stopped within that
 * second (the gateway then fails it `not_ready`).
 */
@Injectable()
export class ConnectionLookupService {
  private readonly cache: RefreshAheadStore<ConnectionView>;

  constructor(
    private readonly connections: ConnectionsService,
    clock: Clock,
  ) {
    this.cache = new RefreshAheadStore<ConnectionView>(
      { ttlMs: CONNECTION_CACHE_MS, refreshAfterMs: CONNECTION_CACHE_MS / 2, maxEntries: MAX_ENTRIES },
      clock,
    );
  }

  async get(scope: AccountScope, connectionId: string): Promise<ConnectionView> {
    const view = await this.cache.get(`${scope.accountId}/${connectionId}`, () =>
      this.connections.get(scope, connectionId).catch((err: unknown) => {
        // ConnectionsService still speaks HTTP errors; callers of the use case get domain errors.
        throw err instanceof AppError && err.status === 404 ? connectionNotFound() : err;
      }),
    );
    return view!;
  }
}
