import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { ConnectionsService, ConnectionView } from '@wwb/connections';
import { Clock } from '@wwb/runtime';

/** How long a connection read for the send path is reused. */
export const CONNECTION_CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;

/**
 * The connection of a send request, read through ConnectionsService.getForPrincipal (404 for
 * another account's connection or one outside a restricted key) and reused for a second per
 * account and connection, with one read in flight per key: the accept path runs at hundreds of
 * requests per second for a handful of connections. The key's restriction is checked on every
 * call (getForPrincipal does it before anything else); only the connection's state may be up to
 * a second old, which at worst accepts a message for a connection stopped within that second
 * (the gateway then fails it `not_ready`).
 */
@Injectable()
export class ConnectionLookupService {
  private readonly cache = new Map<string, { at: number; view: Promise<ConnectionView> }>();

  constructor(
    private readonly connections: ConnectionsService,
    private readonly clock: Clock,
  ) {}

  get(principal: Principal, connectionId: string): Promise<ConnectionView> {
    if (!principal.mayUseConnection(connectionId))
      return this.connections.getForPrincipal(principal, connectionId);
    const key = `${principal.accountId}/${connectionId}`;
    const now = this.clock.nowMs();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CONNECTION_CACHE_MS) return hit.view;
    const view = this.connections.getForPrincipal(principal, connectionId);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { at: now, view });
    view.catch(() => this.cache.delete(key));
    return view;
  }
}
