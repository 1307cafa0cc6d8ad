import type { EventEnvelope } from '@wwb/contracts';
import { EventOutbox } from './event.outbox';

const event = (n: number): EventEnvelope => ({
  id: `e${n}`,
  type: 'test.event',
  version: 1,
  occurredAt: new Date(0).toISOString(),
  accountId: 'acc',
  data: { n },
});

describe('EventOutbox', () => {
  it('publishes in push order, batching what piles up while a send is in flight', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    let first = true;
    const outbox = new EventOutbox({
      publish: async (events) => {
        batches.push(events.map((e) => e.id));
        if (first) {
          first = false;
          await new Promise<void>((r) => (release = r));
        }
      },
      onError: () => undefined,
    });
    outbox.push(event(1));
    for (let i = 2; i <= 5; i++) outbox.push(event(i));
    expect(outbox.queued).toBe(4);
    release();
    await outbox.flush();
    expect(batches).toEqual([['e1'], ['e2', 'e3', 'e4', 'e5']]);
    expect(outbox.queued).toBe(0);
  });

  it('respects maxBatch and keeps going after a failed batch (reported)', async () => {
    const sent: string[][] = [];
    const failed: string[][] = [];
    let calls = 0;
    const outbox = new EventOutbox({
      maxBatch: 2,
      publish: async (events) => {
        calls++;
        if (calls === 2) throw new Error('broker gone');
        sent.push(events.map((e) => e.id));
      },
      onError: (_err, events) => failed.push(events.map((e) => e.id)),
    });
    for (let i = 1; i <= 5; i++) outbox.push(event(i));
    await outbox.flush();
    expect(sent).toEqual([['e1'], ['e4', 'e5']]);
    expect(failed).toEqual([['e2', 'e3']]);
  });
});
