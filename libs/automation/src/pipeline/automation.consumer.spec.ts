import { EVENT_DEFINITIONS, EventEnvelope } from '@wwb/contracts';
import { AutomationConsumer, CHATS_IN_PARALLEL } from './automation.consumer';
import type { InboundAutomationService } from './inbound-automation.service';
import type { ChatHandoffService } from './chat-handoff.service';

const event = (n: number, chatId: string, type = 'message.received'): EventEnvelope =>
  ({
    id: `evt_${n}`,
    type,
    version: Math.max(...EVENT_DEFINITIONS.filter((d) => d.type === type).map((d) => d.version)),
    accountId: 'acc_1',
    connectionId: 'con_1',
    chatId,
    occurredAt: new Date(0).toISOString(),
    data: { chatId },
  }) as unknown as EventEnvelope;

describe('AutomationConsumer.onEvents (one chunk of a partition)', () => {
  let log: string[];
  let running: number;
  let peak: number;
  let fail: Set<string>;
  let consumer: AutomationConsumer;

  beforeEach(() => {
    log = [];
    running = 0;
    peak = 0;
    fail = new Set();
    const handle = async (e: EventEnvelope) => {
      running++;
      peak = Math.max(peak, running);
      log.push(`start ${e.id}`);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (fail.has(e.id)) throw new Error(`failed ${e.id}`);
      log.push(`end ${e.id}`);
    };
    consumer = new AutomationConsumer(
      {} as never,
      {} as never,
      { onInbound: handle } as unknown as InboundAutomationService,
      { onOutbound: handle } as unknown as ChatHandoffService,
      {} as never,
    );
  });

  it('handles different chats side by side, each chat in offset order', async () => {
    const events = [
      event(1, 'a'),
      event(2, 'b'),
      event(3, 'a', 'message.sent'),
      event(4, 'c'),
      event(5, 'b'),
    ];
    await consumer.onEvents(events);
    expect(peak).toBe(3);
    const order = (id: string) => log.indexOf(`start ${id}`);
    expect(log.indexOf('end evt_1')).toBeLessThan(order('evt_3'));
    expect(log.indexOf('end evt_2')).toBeLessThan(order('evt_5'));
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(5);
  });

  it(`runs at most ${CHATS_IN_PARALLEL} chats at once`, async () => {
    await consumer.onEvents(Array.from({ length: 40 }, (_, i) => event(i, `chat${i}`)));
    expect(peak).toBe(CHATS_IN_PARALLEL);
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(40);
  });

  it('a failure stops its chat (no later event overtakes it) and is thrown once the others settled', async () => {
    fail.add('evt_1');
    const events = [event(1, 'a'), event(2, 'b'), event(3, 'a')];
    await expect(consumer.onEvents(events)).rejects.toThrow('failed evt_1');
    expect(log).not.toContain('start evt_3');
    expect(log).toContain('end evt_2');
    expect(running).toBe(0);
  });

  it('stops between events when the runner stops (the rest is redelivered)', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(consumer.onEvents([event(1, 'a'), event(2, 'a')], { signal: abort.signal })).rejects.toThrow(
      'stopping',
    );
    expect(log).toEqual([]);
  });
});
