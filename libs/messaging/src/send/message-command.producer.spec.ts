import { EventEnvelope } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock, IdGenerator } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';
import { MessageCommandProducer } from './message-command.producer';
import type { OutboundMessageRecord } from '../outbound';

const message = (id: string): OutboundMessageRecord => ({
  _id: id,
  accountId: 'acc_1',
  connectionId: 'con_1',
  chatId: '15551234567@c.us',
  to: '+15551234567',
  type: 'text',
  content: { type: 'text', text: 'hi' },
  pending: true,
  createdAt: new Date(),
});

const noLinger = testConfig({ MESSAGE_COMMAND_LINGER_MS: '0' });

describe('MessageCommandProducer', () => {
  it('coalesces concurrent publishes into few produce calls, in arrival order', async () => {
    const calls: EventEnvelope[][] = [];
    let release!: () => void;
    const publisher = {
      publish: jest.fn(async (events: EventEnvelope[]) => {
        calls.push(events);
        if (calls.length === 1) await new Promise<void>((r) => (release = r));
      }),
    } as unknown as EventPublisher;
    const producer = new MessageCommandProducer(
      new EventFactory(new IdGenerator(), new Clock()),
      publisher,
      noLinger,
    );
    const first = producer.publishSend(message('msg_0'));
    const rest = ['msg_1', 'msg_2', 'msg_3'].map((id) => producer.publishSend(message(id)));
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([first, ...rest]);
    expect(calls.map((c) => c.map((e) => (e.data as { messageId: string }).messageId))).toEqual([
      ['msg_0'],
      ['msg_1', 'msg_2', 'msg_3'],
    ]);
    expect(calls[1]![0]).toMatchObject({
      type: 'gateway.message.send',
      connectionId: 'con_1',
      chatId: '15551234567@c.us',
    });
  });

  it('a failed produce rejects every publish of its batch, and the next batch still goes', async () => {
    let n = 0;
    const publisher = {
      publish: async () => {
        if (++n === 1) throw new Error('broker down');
      },
    } as unknown as EventPublisher;
    const producer = new MessageCommandProducer(
      new EventFactory(new IdGenerator(), new Clock()),
      publisher,
      noLinger,
    );
    await expect(producer.publishSend(message('msg_a'))).rejects.toThrow('broker down');
    await expect(producer.publishSend(message('msg_b'))).resolves.toBeUndefined();
  });

  it('with MESSAGE_COMMAND_LINGER_MS, publishes within that window share one produce (fake timers)', async () => {
    jest.useFakeTimers();
    try {
      const calls: string[][] = [];
      const publisher = {
        publish: async (events: EventEnvelope[]) => {
          calls.push(events.map((e) => (e.data as { messageId: string }).messageId));
        },
      } as unknown as EventPublisher;
      const config = testConfig({ MESSAGE_COMMAND_LINGER_MS: '5' });
      const producer = new MessageCommandProducer(
        new EventFactory(new IdGenerator(), new Clock()),
        publisher,
        config,
      );
      const sent = [producer.publishSend(message('msg_0'))];
      await jest.advanceTimersByTimeAsync(3);
      sent.push(producer.publishSend(message('msg_1')));
      expect(calls).toEqual([]);
      await jest.advanceTimersByTimeAsync(2);
      await Promise.all(sent);
      expect(calls).toEqual([['msg_0', 'msg_1']]);
    } finally {
      jest.useRealTimers();
    }
  });
});
