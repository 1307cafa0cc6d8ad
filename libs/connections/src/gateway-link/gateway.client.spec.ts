import { AppConfig } from '@wwb/config';
import { GatewayReply } from '@wwb/contracts';
import { AppError } from '@wwb/http';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock, IdGenerator } from '@wwb/runtime';
import { GatewayReplyRepository } from './gateway-reply.repository';
import { GatewayClient, GatewayRequestError } from './gateway.client';

/** A clock whose sleeps advance time at once. */
class FastClock extends Clock {
  t = 1_000_000;
  override nowMs(): number {
    return this.t;
  }
  override now(): Date {
    return new Date(this.t);
  }
  override async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}

function setup(answer: (requestId: string, polls: number) => GatewayReply | null) {
  const published: { type: string; data: Record<string, unknown>; connectionId?: string }[] = [];
  const publisher = {
    publish: async (e: never, opts: { topic: string }) =>
      published.push({ ...(e as object), topic: opts.topic } as never),
  };
  let polls = 0;
  const removed: string[] = [];
  const replies = {
    find: async (_scope: unknown, requestId: string) => answer(requestId, ++polls),
    remove: async (_scope: unknown, requestId: string) => void removed.push(requestId),
  };
  const clock = new FastClock();
  const ids = new IdGenerator();
  const config = { gateway: { replyTimeoutMs: 1000 } } as AppConfig;
  const client = new GatewayClient(
    publisher as unknown as EventPublisher,
    new EventFactory(ids, clock),
    replies as unknown as GatewayReplyRepository,
    ids,
    clock,
    config,
  );
  return { client, published, removed, polls: () => polls };
}

const target = { id: 'con_1', accountId: 'acc_1' };
const reply = (requestId: string, over: Partial<GatewayReply>): GatewayReply => ({
  requestId,
  accountId: 'acc_1',
  connectionId: 'con_1',
  ok: true,
  createdAt: new Date(),
  ...over,
});

describe('GatewayClient', () => {
  it('publishes the command on the commands topic with a request id and returns the result', async () => {
    const { client, published, removed } = setup((id, polls) =>
      polls >= 3 ? reply(id, { result: { code: 'ABCD1234' } }) : null,
    );
    await expect(
      client.request(target, 'gateway.pairing_code.request', { phoneNumber: '1555' }),
    ).resolves.toEqual({
      code: 'ABCD1234',
    });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: 'gateway.pairing_code.request',
      connectionId: 'con_1',
      topic: 'commands',
      data: { phoneNumber: '1555', requestId: expect.stringMatching(/^req_/) },
    });
    expect(removed).toEqual([published[0]!.data.requestId]);
  });

  it('maps refusals to HTTP errors with stable codes', async () => {
    for (const [code, status, httpCode] of [
      ['not_ready', 409, 'connection_not_ready'],
      ['invalid_message', 400, 'invalid_message'],
      ['message_not_found', 404, 'message_not_found'],
      ['something_new', 502, 'gateway_error'],
    ] as const) {
      const { client } = setup((id) => reply(id, { ok: false, error: { code, message: 'no' } }));
      const err = await client.request(target, 'gateway.contact.check', {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayRequestError);
      expect(err).toMatchObject({ status, code: httpCode, gatewayCode: code });
    }
  });

  it('504 gateway_timeout when nobody answers in time', async () => {
    const { client, polls } = setup(() => null);
    const err = await client.request(target, 'gateway.contact.check', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 504, code: 'gateway_timeout' });
    expect((err as Error).message).toMatch(/No gateway answered within 1000 ms/);
    expect(polls()).toBeGreaterThan(3);
  });
});
