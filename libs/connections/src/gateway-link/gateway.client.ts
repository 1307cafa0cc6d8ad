import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventEnvelope, GatewayCommandType } from '@wwb/contracts';
import { AppError } from '@wwb/http';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock, IdGenerator } from '@wwb/runtime';
import { gatewayTimeout } from '../connection.errors';
import { GatewayReplyRepository } from './gateway-reply.repository';

/** The connection a command is for. */
export interface CommandTarget {
  id: string;
  accountId: string;
}

/** HTTP status and code of each error a gateway answers with. */
const GATEWAY_ERRORS: Record<string, { status: number; code?: string }> = {
  not_ready: { status: 409, code: 'connection_not_ready' },
  connection_not_running: { status: 409 },
  invalid_request: { status: 400 },
  invalid_message: { status: 400 },
  invalid_phone_number: { status: 400 },
  not_supported: { status: 400 },
  not_a_simulator_connection: { status: 409 },
  chat_not_found: { status: 404 },
  message_not_found: { status: 404 },
  send_failed: { status: 502 },
};

/** A gateway refused or failed a request; `gatewayCode` is what the gateway said. */
export class GatewayRequestError extends AppError {
  constructor(
    readonly gatewayCode: string,
    message: string,
  ) {
    const mapped = GATEWAY_ERRORS[gatewayCode] ?? { status: 502, code: 'gateway_error' };
    super(mapped.status, mapped.code ?? gatewayCode, message, { gatewayCode });
    this.name = 'GatewayRequestError';
  }
}

const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

/**
 * How the API talks to the gateway that owns a connection: commands on the commands topic
 * (partitioned by connection, so they reach the owner in order), and for request/reply commands
 * the answer the gateway writes into `gateway_replies`, polled until GATEWAY_REPLY_TIMEOUT_MS.
 */
@Injectable()
export class GatewayClient {
  private readonly timeoutMs: number;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly events: EventFactory,
    private readonly replies: GatewayReplyRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.timeoutMs = config.gateway.replyTimeoutMs;
  }

  /** Publishes a command for the connection's gateway; resolves once Kafka has it. */
  async send(target: CommandTarget, type: GatewayCommandType, data: object = {}): Promise<EventEnvelope> {
    const command = this.events.create({ type, accountId: target.accountId, connectionId: target.id, data });
    await this.publisher.publish(command, { topic: 'commands' });
    return command;
  }

  /**
   * Sends a request/reply command (`data` gets a `requestId`) and waits for the answer.
   * Throws GatewayRequestError when the gateway refused, 504 gateway_timeout when none answered.
   */
  async request<T>(
    target: CommandTarget,
    type: GatewayCommandType,
    data: object,
    opts: { timeoutMs?: number } = {},
  ): Promise<T> {
    const requestId = this.ids.prefixed('req');
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const scope = { accountId: target.accountId };
    const deadline = this.clock.nowMs() + timeoutMs;
    await this.send(target, type, { ...data, requestId });
    for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
      const reply = await this.replies.find(scope, requestId);
      if (reply) {
        await this.replies.remove(scope, requestId);
        if (reply.ok) return reply.result as T;
        throw new GatewayRequestError(
          reply.error?.code ?? 'gateway_error',
          reply.error?.message ?? 'The gateway failed',
        );
      }
      const left = deadline - this.clock.nowMs();
      if (left <= 0) throw gatewayTimeout(timeoutMs);
      await this.clock.sleep(Math.min(wait, left));
    }
  }
}
