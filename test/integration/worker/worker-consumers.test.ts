import { Test } from '@nestjs/testing';
import { EventLogConsumer } from '@wwb/event-log';
import { ConversationsConsumer } from '@wwb/messaging';
import { testConfig } from '@wwb/testing';
import { WebhookFanoutConsumer } from '@wwb/webhooks';
import { WorkerModule } from '../../../apps/worker/src/worker.module';

jest.setTimeout(30_000);

/** Which consumers a worker process builds, per WORKER_CONSUMERS (compiled, not started). */
async function consumersOf(sets: string): Promise<string[]> {
  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(testConfig({ WORKER_CONSUMERS: sets }))],
  }).compile();
  try {
    return [WebhookFanoutConsumer, EventLogConsumer, ConversationsConsumer]
      .filter((type) => {
        try {
          moduleRef.get(type, { strict: false });
          return true;
        } catch {
          return false;
        }
      })
      .map((type) => type.name);
  } finally {
    await moduleRef.close();
  }
}

it('a worker runs the consumer sets WORKER_CONSUMERS names, all by default', async () => {
  expect(await consumersOf('webhooks')).toEqual(['WebhookFanoutConsumer']);
  expect(await consumersOf('event-log,messaging')).toEqual(['EventLogConsumer', 'ConversationsConsumer']);
  expect(await consumersOf('webhooks,event-log,messaging')).toEqual([
    'WebhookFanoutConsumer',
    'EventLogConsumer',
    'ConversationsConsumer',
  ]);
});
