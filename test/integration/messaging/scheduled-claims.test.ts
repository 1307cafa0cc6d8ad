/**
 * The action claim that serializes changes to a scheduled message, against the real FerretDB
 * (which applies concurrent updates of one document as read-modify-write): of a fire, a cancel
 * and reschedules racing on one version, exactly one is recorded and every loser learns which.
 */
import { Test, TestingModule } from '@nestjs/testing';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ConfigModule } from '@wwb/config';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { RuntimeModule } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';
import { MESSAGING_MODELS, ScheduledMessageRepository } from '@wwb/messaging';

jest.setTimeout(60_000);

const config = testConfig();
let moduleRef: TestingModule;
let repo: ScheduledMessageRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      RuntimeModule,
      ObservabilityModule,
      PersistenceModule,
      MongooseModule.forFeature(MESSAGING_MODELS),
    ],
    providers: [ScheduledMessageRepository],
  }).compile();
  await moduleRef.init();
  repo = moduleRef.get(ScheduledMessageRepository);
  await repo.ready();
});

afterAll(async () => {
  await moduleRef.get<Connection>(getConnectionToken()).dropDatabase();
  await moduleRef.close();
});

describe('scheduled message action claims (FerretDB)', () => {
  it('one of 12 racing actions on a version wins; the others see what won', async () => {
    const id = 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
    const actions = ['fire', 'cancel', 'reschedule'] as const;
    const at = new Date('2026-12-07T10:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => repo.claim(id, 3, actions[i % 3]!, at).then((r) => ({ r, i }))),
    );
    const winners = results.filter(({ r }) => r.won);
    expect(winners).toHaveLength(1);
    const won = actions[winners[0]!.i % 3];
    for (const { r } of results) if (!r.won) expect(r.recorded).toBe(won);
  });

  it('a new version is claimed afresh, and removing the message clears its claims', async () => {
    const id = 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S9';
    const at = new Date('2026-12-07T10:00:00Z');
    expect(await repo.claim(id, 0, 'reschedule', at)).toEqual({ won: true });
    expect(await repo.claim(id, 0, 'fire', at)).toEqual({ won: false, recorded: 'reschedule' });
    expect(await repo.claim(id, 1, 'fire', at)).toEqual({ won: true });
    await repo.remove(id);
    expect(await repo.claim(id, 1, 'cancel', at)).toEqual({ won: true });
  });
});
