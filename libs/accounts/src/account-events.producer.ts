import { Injectable } from '@nestjs/common';
import type {
  AccountCreatedData,
  AccountUpdatedData,
  ApiKeyCreatedData,
  ApiKeyRevokedData,
} from '@wwb/contracts';
import { EventFactory, EventPublisher, NewEvent } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { AccountRecord } from './account.schema';
import { ApiKeyRecord } from './keys/api-key.schema';

/** How long a request waits for Kafka before it answers anyway (the publish goes on in the background). */
export const PUBLISH_WAIT_MS = 3000;

/**
 * Publishes account and API-key events after the write. The write is the source of truth:
 * if Kafka is down the request still succeeds and the failure is logged (no outbox yet, so
 * such an event is lost).
 */
@Injectable()
export class AccountEventsProducer {
  constructor(
    private readonly factory: EventFactory,
    private readonly publisher: EventPublisher,
    private readonly logger: AppLogger,
  ) {}

  accountCreated(a: AccountRecord): Promise<void> {
    return this.publish({
      type: 'account.created',
      accountId: a._id,
      data: { name: a.name, plan: a.plan } satisfies AccountCreatedData,
    });
  }

  accountUpdated(a: AccountRecord): Promise<void> {
    return this.publish({
      type: 'account.updated',
      accountId: a._id,
      data: { name: a.name, plan: a.plan, disabled: a.disabled } satisfies AccountUpdatedData,
    });
  }

  apiKeyCreated(k: ApiKeyRecord): Promise<void> {
    const data: ApiKeyCreatedData = {
      apiKeyId: k._id,
      name: k.name,
      prefix: k.prefix,
      createdAt: k.createdAt.toISOString(),
    };
    if (k.connectionIds?.length) data.connectionIds = k.connectionIds;
    return this.publish({ type: 'api_key.created', accountId: k.accountId, data });
  }

  apiKeyRevoked(accountId: string, apiKeyId: string, revokedAt: Date): Promise<void> {
    return this.publish({
      type: 'api_key.revoked',
      accountId,
      data: { apiKeyId, revokedAt: revokedAt.toISOString() } satisfies ApiKeyRevokedData,
    });
  }

  private async publish(e: NewEvent<unknown>): Promise<void> {
    const event = this.factory.create(e);
    try {
      await waitAtMost(this.publisher.publish(event), PUBLISH_WAIT_MS);
    } catch (err) {
      this.logger.pino.error(
        {
          eventId: event.id,
          type: event.type,
          accountId: event.accountId,
          err: err instanceof Error ? err.message : String(err),
        },
        'event not published',
      );
    }
  }
}

function waitAtMost(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`publish still pending after ${ms} ms`)), ms);
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
