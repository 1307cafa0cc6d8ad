import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@wwb/contracts';
import { Clock, IdGenerator, RequestContext } from '@wwb/runtime';

export interface NewEvent<TData> {
  type: string;
  version?: number;
  accountId: string;
  connectionId?: string;
  chatId?: string;
  sequence?: number;
  correlationId?: string;
  data: TData;
}

/** Builds envelopes: a ULID id, the current time, and the correlation id of the current request. */
@Injectable()
export class EventFactory {
  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  create<TData>(e: NewEvent<TData>): EventEnvelope<TData> {
    const correlationId = e.correlationId ?? RequestContext.current().correlationId;
    const out: EventEnvelope<TData> = {
      id: this.ids.ulid(),
      type: e.type,
      version: e.version ?? 1,
      occurredAt: this.clock.now().toISOString(),
      accountId: e.accountId,
      data: e.data,
    };
    if (e.connectionId) out.connectionId = e.connectionId;
    if (e.chatId) out.chatId = e.chatId;
    if (e.sequence !== undefined) out.sequence = e.sequence;
    if (correlationId) out.correlationId = correlationId;
    return out;
  }
}
