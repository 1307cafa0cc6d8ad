import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { OutboundHttpClient, OutboundHttpError } from '@wwb/infrastructure';
import { ProcessedEventStore } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { signatureHeader, secretKey } from '@wwb/webhooks';
import type { HttpAction } from '../rules';
import { AutomationTurn, pending } from './automation-turn.model';
import { SigningSecretStore } from './signing-secret.store';

/** A rule's HTTP call must not hold the chat's partition long: one attempt, this deadline. */
export const HTTP_ACTION_TIMEOUT_MS = 5_000;
export const HTTP_ACTION_MAX_RESPONSE_BYTES = 64 * 1024;
/** ProcessedEventStore consumer name: one call per (event, rule, action). */
export const HTTP_ACTION_ONCE = 'automation-http';

interface Failure {
  code: string;
  message: string;
}

/**
 * A rule's `http` action: POSTs `{event, rule, contact}` as JSON through the SSRF-checked
 * OutboundHttpClient, signed like a webhook (Standard Webhooks: `webhook-id` =
 * `<eventId>:<ruleId>`, `webhook-timestamp`, `webhook-signature` = HMAC-SHA256 with the account's
 * signing secret). One attempt, never retried: a failure (no answer, a status outside 2xx, a
 * refused address) is logged and published as `automation.action.failed`. At most once per
 * inbound message, rule and action, even after a crash or a rebalance (ProcessedEventStore).
 */
@Injectable()
export class HttpActionClient implements OnApplicationShutdown {
  private readonly logger: Logger;

  constructor(
    private readonly http: OutboundHttpClient,
    private readonly secrets: SigningSecretStore,
    private readonly processed: ProcessedEventStore,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'HttpActionClient' });
  }

  onApplicationShutdown(): void {
    this.http.close();
  }

  async call(
    turn: AutomationTurn,
    rule: { id: string; name: string },
    action: HttpAction,
    index: number,
  ): Promise<void> {
    const eventId = turn.event.id;
    const outcome = await this.processed.once(
      HTTP_ACTION_ONCE,
      `${eventId}:${rule.id}:${index}`,
      () => this.post(turn, rule, action),
      { leaseMs: HTTP_ACTION_TIMEOUT_MS * 4 },
    );
    const failure = outcome.skipped ? null : outcome.value;
    if (!failure) return;
    this.logger.warn(
      { eventId, ruleId: rule.id, accountId: turn.scope.accountId, url: redact(action.url), ...failure },
      'rule http action failed',
    );
    turn.events.push(
      pending('automation.action.failed', {
        ruleId: rule.id,
        action: 'http',
        code: failure.code,
        message: failure.message,
        triggerEventId: eventId,
        chatId: turn.chatId,
      }),
    );
  }

  private async post(
    turn: AutomationTurn,
    rule: { id: string; name: string },
    action: HttpAction,
  ): Promise<Failure | null> {
    const body = JSON.stringify({
      event: turn.event,
      rule: { id: rule.id, name: rule.name },
      contact: turn.contact,
    });
    const webhookId = `${turn.event.id}:${rule.id}`;
    const timestamp = Math.floor(turn.now.getTime() / 1000);
    const secret = await this.secrets.get(turn.scope);
    try {
      const res = await this.http.request({
        url: action.url,
        method: 'POST',
        headers: {
          ...(action.headers ?? {}),
          'content-type': 'application/json',
          'webhook-id': webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader([secretKey(secret)], webhookId, timestamp, body),
        },
        body,
        timeoutMs: HTTP_ACTION_TIMEOUT_MS,
        maxResponseBytes: HTTP_ACTION_MAX_RESPONSE_BYTES,
      });
      if (res.status >= 200 && res.status < 300) return null;
      return { code: 'http_status', message: `the endpoint answered ${res.status}` };
    } catch (err) {
      if (err instanceof OutboundHttpError) return { code: err.code, message: err.message };
      throw err;
    }
  }
}

/** The URL without its query (it may carry a token). */
function redact(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}
