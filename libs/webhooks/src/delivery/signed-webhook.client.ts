import { describeError } from '@wwb/infrastructure';
import { CachedEndpoint } from '../endpoints/endpoint.directory';
import { PendingDelivery } from './delivery-queue';
import { WebhookHttpClient, WebhookResult } from './webhook-http.client';
import { signatureHeader } from './webhook-signature';

/** One delivery attempt as a signed request (Standard Webhooks headers) to its endpoint. */
export class SignedWebhookClient {
  constructor(
    private readonly http: WebhookHttpClient,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Whatever the request cannot even be built from (a stored header node refuses, say) counts
   * as a failed attempt: retried on the schedule and counted towards auto-disable, not retried
   * every few seconds forever without a trace.
   */
  async send(
    endpoint: CachedEndpoint,
    d: PendingDelivery,
    body: string,
    timestamp: number,
    signal: AbortSignal | undefined,
  ): Promise<WebhookResult> {
    try {
      return await this.http.send({
        url: endpoint.record.url,
        headers: {
          ...endpoint.headers,
          'webhook-id': d.webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(endpoint.keys, d.webhookId, timestamp, body),
        },
        body,
        timeoutMs: this.timeoutMs,
        signal,
      });
    } catch (err) {
      return { kind: 'error', code: 'invalid_request', message: describeError(err), latencyMs: 0 };
    }
  }
}
