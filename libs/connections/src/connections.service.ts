import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { AppError } from '@wwb/http';
import { AccountScope } from '@wwb/persistence';
import { connectionNotFound } from './connection.errors';
import { ConnectionStateRepository } from './connection-state.repository';
import { ConnectionRepository } from './connection.repository';
import { ConnectionView, toConnectionView } from './connection.view';

export const CONNECTION_ID_PATTERN = /^con_[0-9A-HJKMNP-TV-Z]{26}$/;
export const DEFAULT_CONNECTION_PAGE = 20;

export interface ConnectionPage {
  data: ConnectionView[];
  nextCursor: string | null;
}

const encodeCursor = (lastId: string): string => Buffer.from(lastId, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string | undefined {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return CONNECTION_ID_PATTERN.test(id) ? id : undefined;
}

export const invalidCursor = (): AppError =>
  new AppError(400, 'validation_failed', 'Request validation failed', [
    { field: 'cursor', messages: ['cursor is not a valid cursor'] },
  ]);

/**
 * Reading connections as a caller may see them. Other features (messages, chats) use
 * `getForPrincipal()` to resolve the connection of a request: 404 `not_found` for a connection
 * of another account, a deleted one, or one outside a restricted key's connections.
 */
@Injectable()
export class ConnectionsService {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly states: ConnectionStateRepository,
  ) {}

  /** The connection `id` as `principal` may see it, or 404 not_found. */
  async getForPrincipal(principal: Principal, id: string): Promise<ConnectionView> {
    if (!principal.mayUseConnection(id)) throw connectionNotFound();
    return this.get(principal.scope, id);
  }

  /** The connection `id` of the account, or 404 not_found. */
  async get(scope: AccountScope, id: string): Promise<ConnectionView> {
    if (!CONNECTION_ID_PATTERN.test(id)) throw connectionNotFound();
    const [connection, state] = await Promise.all([
      this.connections.get(scope, id),
      this.states.latest(scope, id),
    ]);
    if (!connection) throw connectionNotFound();
    return toConnectionView(connection, state);
  }

  /** The connections the caller may see, in creation order, a page at a time. */
  async list(principal: Principal, opts: { cursor?: string; limit?: number }): Promise<ConnectionPage> {
    const limit = opts.limit ?? DEFAULT_CONNECTION_PAGE;
    let afterId: string | undefined;
    if (opts.cursor !== undefined) {
      afterId = decodeCursor(opts.cursor);
      if (!afterId) throw invalidCursor();
    }
    const rows = await this.connections.page(principal.scope, {
      limit: limit + 1,
      ...(afterId ? { afterId } : {}),
      ...(principal.restricted ? { ids: principal.connectionIds } : {}),
    });
    const page = rows.slice(0, limit);
    const states = await this.states.latestOf(
      principal.scope,
      page.map((c) => c._id),
    );
    return {
      data: page.map((c) => toConnectionView(c, states.get(c._id) ?? null)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!._id) : null,
    };
  }
}
