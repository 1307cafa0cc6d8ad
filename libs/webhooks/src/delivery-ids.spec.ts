import { Kafka } from 'kafkajs';
import { DELIVERY_ID_PATTERN, deliveryIdOf, orderKeyOf, partitionOfKey, webhookIdOf } from './delivery-ids';

describe('delivery ids', () => {
  const ep = 'whk_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
  const ev = '01JDQ8Z6W5V7Y2M3N4P5Q6R7S9';

  it('builds stable webhook ids and delivery ids without dots', () => {
    expect(webhookIdOf(ev, ep)).toBe(`msg_${ev}_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8`);
    expect(deliveryIdOf(ev, ep)).toBe(`dlv_${ev}_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8`);
    const again = deliveryIdOf(ev, ep, 'job_01JDQ8Z6W5V7Y2M3N4P5Q6R7SA');
    expect(again).toBe(`dlv_${ev}_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_01JDQ8Z6W5V7Y2M3N4P5Q6R7SA`);
    expect(DELIVERY_ID_PATTERN.test(again)).toBe(true);
    const odd = webhookIdOf('ev.with.dots', ep);
    expect(odd).not.toContain('.');
    expect(webhookIdOf('ev.with.dots', ep)).toBe(odd);
  });

  it('orders by chat, else connection, else account', () => {
    expect(orderKeyOf({ accountId: 'a', connectionId: 'c', chatId: 'x' })).toBe('x');
    expect(orderKeyOf({ accountId: 'a', connectionId: 'c' })).toBe('c');
    expect(orderKeyOf({ accountId: 'a' })).toBe('a');
  });

  it('computes the partition the kafkajs producer picks', () => {
    expect(Kafka).toBeDefined();
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const p = partitionOfKey(`chat-${i}`, 6);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(6);
      expect(partitionOfKey(`chat-${i}`, 6)).toBe(p);
      seen.add(p);
    }
    expect(seen.size).toBe(6);
  });
});
