import pino from 'pino';
import { EventEnvelope } from '@wwb/contracts';
import { ConsumerRunner, RetryableError } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { MessageLinkRecord, SendClaimRepository } from '../gateway';
import { MessageStatusConsumer, UNLINKED_ACK_ATTEMPTS } from './message-status.consumer';
import { NewStatus, OutboundMessageRepository } from '../outbound';

const WA = 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718';

describe('MessageStatusConsumer', () => {
  let links: Map<string, MessageLinkRecord>;
  let inFlight: boolean;
  let recorded: NewStatus[];
  let consumer: MessageStatusConsumer;

  const ack = (status: string, extra: object = {}): EventEnvelope => ({
    id: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    type: 'message.status',
    version: 1,
    occurredAt: '2026-12-01T10:00:00.000Z',
    accountId: 'acc_1',
    connectionId: 'con_1',
    chatId: '15557654321@c.us',
    data: {
      waMessageId: WA,
      chatId: '15557654321@c.us',
      status,
      timestamp: '2026-12-01T10:00:02.000Z',
      ...extra,
    },
  });

  beforeEach(() => {
    links = new Map();
    inFlight = false;
    recorded = [];
    const claims = {
      findLink: async (c: string, w: string) => links.get(`${c}/${w}`) ?? null,
      hasSendInFlight: async () => inFlight,
    } as unknown as SendClaimRepository;
    const messages = {
      recordStatus: async (s: NewStatus) => void recorded.push(s),
    } as unknown as OutboundMessageRepository;
    consumer = new MessageStatusConsumer(
      {} as ConsumerRunner,
      messages,
      claims,
      { now: () => new Date(), nowMs: () => Date.now() } as Clock,
      { child: () => pino({ level: 'silent' }) } as unknown as AppLogger,
    );
  });

  const link = () =>
    links.set(`con_1/${WA}`, {
      _id: `con_1/${WA}`,
      messageId: 'msg_1',
      accountId: 'acc_1',
      connectionId: 'con_1',
      waMessageId: WA,
      createdAt: new Date(),
    });

  it('maps an ack to our message through the link', async () => {
    link();
    await consumer.onEvent(ack('delivered'), { attempt: 1 });
    expect(recorded).toEqual([
      expect.objectContaining({
        messageId: 'msg_1',
        status: 'delivered',
        at: new Date('2026-12-01T10:00:02.000Z'),
      }),
    ]);
  });

  it('retries an ack that overtook the link of a send in flight, then records it', async () => {
    inFlight = true;
    await expect(consumer.onEvent(ack('sent'), { attempt: 1 })).rejects.toBeInstanceOf(RetryableError);
    link();
    await consumer.onEvent(ack('sent'), { attempt: 2 });
    expect(recorded).toHaveLength(1);
  });

  it('gives up quietly on an unlinked ack after the attempts, and ignores phone-typed messages', async () => {
    inFlight = true;
    await consumer.onEvent(ack('sent'), { attempt: UNLINKED_ACK_ATTEMPTS });
    inFlight = false;
    await consumer.onEvent(ack('read'), { attempt: 1 });
    expect(recorded).toEqual([]);
  });

  it('ignores our own correlation events and other types', async () => {
    link();
    await consumer.onEvent(ack('sent', { messageId: 'msg_1' }), { attempt: 1 });
    await consumer.onEvent({ ...ack('sent'), type: 'message.sent' }, { attempt: 1 });
    expect(recorded).toEqual([]);
  });

  it('a failed ack carries a reason', async () => {
    link();
    await consumer.onEvent(ack('failed', { reason: 'rejected' }), { attempt: 1 });
    expect(recorded[0]).toMatchObject({
      status: 'failed',
      reason: { code: 'whatsapp_error', message: 'rejected' },
    });
  });
});
