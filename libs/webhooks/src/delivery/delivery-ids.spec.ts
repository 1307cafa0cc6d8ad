import { DELIVERY_ID_PATTERN, deliveryIdOf, orderKeyOf, partitionOfKey, webhookIdOf } from './delivery-ids';

/**
 * Kafka's own partitioner (org.apache.kafka.common.utils.Utils.murmur2 and
 * BuiltInPartitioner.partitionForKey), written from the Java source rather than taken from kafkajs,
 * so that a change in how we compute partitions cannot agree with itself.
 */
function javaMurmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ data.length;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length % 4; // the Java switch falls through from 3 to 1
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) {
    h ^= data[whole]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

const javaPartitionOf = (key: string, partitions: number): number =>
  (javaMurmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;

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

  it("the reference murmur2 matches the vectors of Kafka's own UtilsTest", () => {
    expect(javaMurmur2(Buffer.from('21'))).toBe(-973932308);
    expect(javaMurmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(javaMurmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(javaMurmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(javaMurmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(javaMurmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it("computes the partition Kafka's default partitioner picks for a key", () => {
    const keys = [
      ...Array.from({ length: 500 }, (_, i) => `chat-${i}`),
      '4915112345678@c.us',
      '120363025246125888@g.us',
      'conn_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
      'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
      'ä-ünïcödé-😀',
      'x',
      'xy',
      'xyz',
    ];
    for (const partitions of [1, 3, 6, 12, 64]) {
      const seen = new Set<number>();
      for (const key of keys) {
        const p = partitionOfKey(key, partitions);
        expect([key, partitions, p]).toEqual([key, partitions, javaPartitionOf(key, partitions)]);
        seen.add(p);
      }
      expect(seen.size).toBe(partitions); // every partition is used: the keys spread
    }
  });
});
