import { Injectable } from '@nestjs/common';
import { AccountsService, Principal } from '@wwb/accounts';
import { ConnectionsService } from '@wwb/connections';
import { AppError } from '@wwb/http';
import { Clock, IdGenerator } from '@wwb/runtime';
import { deliveryIdOf, ENDPOINT_ID_PATTERN } from '../delivery/delivery-ids';
import { unknownPatterns } from './event-pattern';
import { SECRET_OVERLAP_MS, signingSecrets } from './secret-rotation';
import { SsrfGuard } from '../delivery/ssrf.guard';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { HeaderPair, Ordering, WebhookDisableRecord, WebhookEndpointRecord } from './webhook-endpoint.schema';
import { WebhookEventsProducer } from '../webhook-events.producer';
import { parseCustomHeaders, unmaskHeaders } from './webhook-headers.policy';
import { generateSecret } from '../delivery/webhook-signature';
import { CreateWebhookDto, UpdateWebhookDto } from '../webhook.dto';

export const webhookNotFound = (): AppError => AppError.notFound('Webhook endpoint');

export interface EndpointView {
  endpoint: WebhookEndpointRecord;
  disabled: WebhookDisableRecord | null;
}

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string | undefined => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return ENDPOINT_ID_PATTERN.test(id) ? id : undefined;
};
export const invalidCursor = (): AppError =>
  new AppError(400, 'validation_failed', 'Request validation failed', [
    { field: 'cursor', messages: ['cursor is not a valid cursor'] },
  ]);

/** Webhook endpoints: create (within the plan), read, change, delete, rotate the secret, test. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly repository: WebhookEndpointRepository,
    private readonly accounts: AccountsService,
    private readonly connections: ConnectionsService,
    private readonly guard: SsrfGuard,
    private readonly events: WebhookEventsProducer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async create(
    principal: Principal,
    body: CreateWebhookDto,
  ): Promise<{ view: EndpointView; secret: string }> {
    const scope = principal.scope;
    const connectionIds = await this.checkConnections(principal, body.connectionIds ?? []);
    await this.checkUrl(body.url);
    this.checkEvents(body.events);
    const headers = this.checkHeaders(body.headers ?? {});

    const id = this.ids.prefixed('whk');
    await this.accounts.reserve(scope, 'webhooks', id);
    const now = this.clock.now();
    const endpoint: WebhookEndpointRecord = {
      _id: id,
      accountId: scope.accountId,
      url: body.url,
      events: [...new Set(body.events)],
      connectionIds,
      headers,
      ordering: body.ordering ?? 'none',
      createdAt: now,
      updatedAt: now,
      enabledAt: now,
    };
    if (body.description) endpoint.description = body.description;
    const secret = generateSecret();
    try {
      await this.repository.insert(endpoint, {
        _id: this.ids.prefixed('wsec'),
        endpointId: id,
        accountId: scope.accountId,
        secret,
        createdAt: now,
      });
    } catch (err) {
      await this.accounts.release(scope, 'webhooks', id);
      throw err;
    }
    return { view: { endpoint, disabled: null }, secret };
  }

  async list(
    principal: Principal,
    opts: { cursor?: string; limit?: number },
  ): Promise<{ data: EndpointView[]; nextCursor: string | null }> {
    const limit = opts.limit ?? 20;
    let afterId: string | undefined;
    if (opts.cursor !== undefined) {
      afterId = decodeCursor(opts.cursor);
      if (!afterId) throw invalidCursor();
    }
    const rows = await this.repository.list(principal.scope, { afterId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const visible = page.filter((e) => this.visibleTo(principal, e));
    const disables = new Map(
      (
        await this.repository.disablesOf(
          principal.scope,
          visible.map((e) => e._id),
        )
      ).map((d) => [d._id, d]),
    );
    return {
      data: visible.map((endpoint) => ({ endpoint, disabled: disables.get(endpoint._id) ?? null })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!._id) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<EndpointView> {
    const endpoint = await this.getRecord(principal, id);
    return { endpoint, disabled: await this.repository.disableOf(principal.scope, id) };
  }

  /** The endpoint as the caller may see it, or 404. */
  async getRecord(principal: Principal, id: string): Promise<WebhookEndpointRecord> {
    if (!ENDPOINT_ID_PATTERN.test(id)) throw webhookNotFound();
    const endpoint = await this.repository.get(principal.scope, id);
    if (!endpoint || !this.visibleTo(principal, endpoint)) throw webhookNotFound();
    return endpoint;
  }

  async update(principal: Principal, id: string, body: UpdateWebhookDto): Promise<EndpointView> {
    const scope = principal.scope;
    const current = await this.getRecord(principal, id);
    const now = this.clock.now();
    const patch: Parameters<WebhookEndpointRepository['update']>[2] = { updatedAt: now };
    if (body.url !== undefined) {
      await this.checkUrl(body.url);
      patch.url = body.url;
    }
    if (body.events !== undefined) {
      this.checkEvents(body.events);
      patch.events = [...new Set(body.events)];
    }
    if (body.connectionIds !== undefined)
      patch.connectionIds = await this.checkConnections(principal, body.connectionIds);
    if (body.description !== undefined) patch.description = body.description;
    if (body.headers !== undefined)
      patch.headers = this.checkHeaders(unmaskHeaders(body.headers, current.headers));
    if (body.ordering !== undefined) patch.ordering = body.ordering as Ordering;

    let disabled = await this.repository.disableOf(scope, id);
    if (body.enabled === true && disabled) {
      patch.enabledAt = now; // the auto-disable window starts again
      await this.repository.enable(scope, id);
      disabled = null;
    }
    const updated = (await this.repository.update(scope, id, patch)) ?? current;
    if (body.enabled === false && !disabled) {
      const record: WebhookDisableRecord = {
        _id: id,
        accountId: scope.accountId,
        reason: 'manual',
        disabledAt: now,
      };
      if (await this.repository.disable(record)) await this.events.disabled(updated.url, record);
      disabled = await this.repository.disableOf(scope, id);
    }
    return { endpoint: updated, disabled };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.getRecord(principal, id);
    if (!(await this.repository.delete(principal.scope, id))) throw webhookNotFound();
    await this.accounts.release(principal.scope, 'webhooks', id);
  }

  /** A new secret; the previous ones keep signing for 24 h. */
  async rotateSecret(principal: Principal, id: string): Promise<{ secret: string; previousExpiresAt: Date }> {
    const endpoint = await this.getRecord(principal, id);
    const now = this.clock.now();
    const secret = generateSecret();
    await this.repository.addSecret({
      _id: this.ids.prefixed('wsec'),
      endpointId: endpoint._id,
      accountId: endpoint.accountId,
      secret,
      createdAt: now,
    });
    const { expiredIds } = signingSecrets(
      await this.repository.secretsOf(principal.scope, id),
      now.getTime(),
    );
    await this.repository.deleteSecrets(expiredIds);
    return { secret, previousExpiresAt: new Date(now.getTime() + SECRET_OVERLAP_MS) };
  }

  /** Publishes a `webhook.test` event for this endpoint (delivered through the normal path). */
  async test(principal: Principal, id: string): Promise<{ eventId: string; deliveryId: string }> {
    const endpoint = await this.getRecord(principal, id);
    if (await this.repository.disableOf(principal.scope, id)) {
      throw new AppError(
        409,
        'endpoint_disabled',
        'The endpoint is disabled; re-enable it with PATCH {"enabled": true} first',
      );
    }
    const event = await this.events.test(endpoint.accountId, endpoint._id);
    return { eventId: event.id, deliveryId: deliveryIdOf(event.id, endpoint._id) };
  }

  /** A key restricted to some connections sees only endpoints limited to those connections. */
  private visibleTo(principal: Principal, endpoint: WebhookEndpointRecord): boolean {
    return principal.mayGrant(endpoint.connectionIds.length ? endpoint.connectionIds : undefined);
  }

  private async checkUrl(url: string): Promise<void> {
    const check = await this.guard.checkUrl(url);
    if (check.ok) return;
    if (check.reason === 'blocked') throw new AppError(400, 'webhook_url_forbidden', check.message);
    throw new AppError(400, 'invalid_webhook_url', check.message);
  }

  private checkEvents(events: string[]): void {
    const unknown = unknownPatterns(events);
    if (unknown.length) {
      throw new AppError(
        400,
        'unknown_event_type',
        'events lists types or patterns that match no event type (see docs/events)',
        { unknown },
      );
    }
  }

  private checkHeaders(headers: Record<string, unknown>): HeaderPair[] {
    const parsed = parseCustomHeaders(headers);
    if (!parsed.ok)
      throw new AppError(400, 'invalid_webhook_header', 'headers are not acceptable', parsed.problems);
    return parsed.pairs;
  }

  private async checkConnections(principal: Principal, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (!principal.mayGrant(unique.length ? unique : undefined)) {
      throw new AppError(
        403,
        'forbidden_scope',
        'A key restricted to some connections can only manage endpoints limited to those connections',
      );
    }
    const unknown: string[] = [];
    for (const id of unique) {
      try {
        await this.connections.get(principal.scope, id);
      } catch (err) {
        if (err instanceof AppError && err.status === 404) unknown.push(id);
        else throw err;
      }
    }
    if (unknown.length) {
      throw new AppError(
        400,
        'unknown_connection',
        'connectionIds lists connections this account does not have',
        {
          unknown,
        },
      );
    }
    return unique;
  }
}
