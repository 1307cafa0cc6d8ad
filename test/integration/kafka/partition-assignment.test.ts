/** ConsumerRunner reports the partitions a member owns (the gateway's placement rests on it). */
import { INestApplicationContext } from '@nestjs/common';
import { ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { testConfig, waitFor } from '@wwb/testing';
import { startKafkaApp, stopKafkaApp } from '../../support/kafka-test.harness';

jest.setTimeout(90_000);

const config = testConfig({ KAFKA_COMMANDS_PARTITIONS: '4' });
let app: INestApplicationContext;
const handles: ConsumerHandle[] = [];

beforeAll(async () => {
  app = await startKafkaApp(config);
});

afterAll(async () => {
  await Promise.all(handles.map((h) => h.stop()));
  await stopKafkaApp(app, config);
});

it('tells each member its partitions on every rebalance, and [] once stopped', async () => {
  const runner = app.get(ConsumerRunner);
  const seen: { a: number[][]; b: number[][] } = { a: [], b: [] };
  const member = async (name: 'a' | 'b') => {
    const handle = await runner.run({
      groupId: 'assignment',
      topic: 'commands',
      sessionTimeoutMs: 6000,
      handler: async () => undefined,
      onAssignment: (partitions) => seen[name].push(partitions),
    });
    handles.push(handle);
    return handle;
  };

  const a = await member('a');
  await a.joined;
  await waitFor(() => a.assignedPartitions.length === 4, { what: 'a owns all four partitions' });
  expect(seen.a.at(-1)).toEqual([0, 1, 2, 3]);

  const b = await member('b');
  await waitFor(
    () => b.assignedPartitions.length > 0 && a.assignedPartitions.length + b.assignedPartitions.length === 4,
    { timeoutMs: 60_000, what: 'the two members share the partitions' },
  );
  expect([...a.assignedPartitions, ...b.assignedPartitions].sort()).toEqual([0, 1, 2, 3]);
  expect(seen.b.at(-1)).toEqual(b.assignedPartitions);

  await b.stop();
  expect(b.assignedPartitions).toEqual([]);
  expect(seen.b.at(-1)).toEqual([]);
  await waitFor(() => a.assignedPartitions.length === 4, {
    timeoutMs: 60_000,
    what: 'a takes the partitions back',
  });
  expect(seen.a.at(-1)).toEqual([0, 1, 2, 3]);
});
