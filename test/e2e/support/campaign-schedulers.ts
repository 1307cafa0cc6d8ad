import type { NestExpressApplication } from '@nestjs/platform-express';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { CAMPAIGN_SCHEDULER_LEASE, CampaignSchedulerRunner, SchedulerResult } from '@wwb/campaigns';
import { loadConfig } from '@wwb/config';
import { configureHttpApp, ExpressHttpAdapter, HTTP_APP_OPTIONS, startHttpRole } from '@wwb/http';
import { Clock } from '@wwb/runtime';
import { auth } from './connections-stack';
import { MessagingStack } from './messaging-stack';

type Json = Record<string, unknown>;

/**
 * A clock that stands still at the instant it was last set. Scheduling decisions then depend on
 * the instants a test names and on nothing else; `sleep` still waits for real, so retries and
 * backoffs inside the worker keep working.
 */
export class ManualClock extends Clock {
  private at: number;

  constructor(at: Date | string) {
    super();
    this.at = new Date(at).getTime();
  }

  set(at: Date | string): void {
    this.at = new Date(at).getTime();
  }

  override now(): Date {
    return new Date(this.at);
  }

  override nowMs(): number {
    return this.at;
  }
}

/** A worker process running only the campaign scheduler, on the stack's database and topics. */
export interface SchedulerWorker {
  app: NestExpressApplication;
  runner: CampaignSchedulerRunner;
  /** Sets the worker's clock (a ManualClock) to `at` and runs one scheduler tick. */
  tickAt(at: Date | string): Promise<SchedulerResult>;
  close(): Promise<void>;
}

/**
 * Starts a worker with WORKER_CONSUMERS=campaigns whose every provider reads `clock`. With a
 * ManualClock its 2 s interval is removed, so that ticks happen only when the test calls
 * `tickAt` (a background tick would read the same clock, but would race the test's own tick
 * for the run it starts); with a real Clock the interval ticks on as in production.
 */
export async function startSchedulerWorker(s: MessagingStack, clock: Clock): Promise<SchedulerWorker> {
  const config = loadConfig({ ...s.stack.env, WORKER_CONSUMERS: 'campaigns' });
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(
    new ExpressHttpAdapter(),
    HTTP_APP_OPTIONS,
  );
  configureHttpApp(app, config);
  await app.init();
  if (clock instanceof ManualClock) app.get(SchedulerRegistry).deleteInterval(CAMPAIGN_SCHEDULER_LEASE);
  const runner = app.get(CampaignSchedulerRunner);
  let closed = false;
  return {
    app,
    runner,
    tickAt: (at) => {
      if (!(clock instanceof ManualClock)) throw new Error('tickAt needs a worker on a ManualClock');
      clock.set(at);
      return runner.run();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Closing gives the scheduler's lease back, so the next worker leads at once whatever
      // instant its own clock shows.
      await app.close();
    },
  };
}

/**
 * The stack's worker with everything but the campaign scheduler (message statuses and
 * conversations): the tests choose which schedulers run, and on which clock.
 */
export async function startWorkerWithoutScheduler(s: MessagingStack): Promise<NestExpressApplication> {
  const config = loadConfig({ ...s.stack.env, WORKER_CONSUMERS: 'messaging' });
  s.worker = await startHttpRole('worker', (c) => WorkerModule.forRoot(c), config);
  return s.worker;
}

/** Pacing that lets the tests' few messages out at once: one a second, no windows, no caps. */
export const FAST_PACING = {
  messagesPerMinute: 60,
  jitter: 0,
  pauseEvery: null,
  quietHours: null,
  frequencyCap: null,
  warmup: null,
};

/**
 * The stack of the schedule tests (API, gateway, a worker without scheduler, one ready
 * simulator connection, a template `{{label}} for {{contact.name}}`) and the schedulers and
 * campaigns a test starts, stopped and cancelled by `reset` so that none starts runs later.
 */
export class ScheduleFixture {
  private workers: SchedulerWorker[] = [];
  private campaigns: string[] = [];

  private constructor(
    readonly s: MessagingStack,
    readonly key: string,
    readonly connectionId: string,
    readonly templateId: string,
  ) {}

  static async start(): Promise<ScheduleFixture> {
    const s = await MessagingStack.start();
    await startWorkerWithoutScheduler(s);
    await s.stack.startGateway();
    const { key } = await s.stack.account();
    const con = await s.readyConnection(key, '+15551230061');
    const template = await s.http
      .post('/v1/templates')
      .set(auth(key))
      .send({
        name: 'schedule proof',
        language: 'en',
        category: 'marketing',
        body: '{{label}} for {{contact.name}}',
        variables: [{ name: 'label', example: 'Weekly' }],
      })
      .expect(201);
    return new ScheduleFixture(s, key, con, template.body.id as string);
  }

  async scheduler(clock: Clock): Promise<SchedulerWorker> {
    const w = await startSchedulerWorker(this.s, clock);
    this.workers.push(w);
    return w;
  }

  async contact(body: Json): Promise<string> {
    const res = await this.s.http.post('/v1/contacts').set(auth(this.key)).send(body).expect(201);
    return res.body.id as string;
  }

  /** A campaign on the fixture's connection and template, FAST_PACING unless `body` says otherwise. */
  async campaign(body: Json): Promise<string> {
    const res = await this.s.http
      .post('/v1/campaigns')
      .set(auth(this.key))
      .send({
        name: 'schedule',
        connectionIds: [this.connectionId],
        templateId: this.templateId,
        pacing: FAST_PACING,
        ...body,
      });
    if (res.status !== 201) {
      throw new Error(`campaign not created: ${res.status} ${JSON.stringify(res.body)}`);
    }
    this.campaigns.push(res.body.id as string);
    return res.body.id as string;
  }

  /** The runs of `campaignId` one tick at `at` started; fails unless the worker led the tick. */
  async startedAt(w: SchedulerWorker, campaignId: string, at: string): Promise<string[]> {
    const result = await w.tickAt(at);
    if (!result.leader) throw new Error(`the scheduler did not lead its tick at ${at}`);
    return result.started.filter((id) => id.startsWith(`${campaignId}_`));
  }

  runsOf(campaignId: string) {
    return this.s.stack.db.collection('campaign_runs').find({ campaignId }).sort({ occurrence: 1 }).toArray();
  }

  recipientsOf(runId: string) {
    return this.s.stack.db.collection('campaign_recipients').find({ runId }).toArray();
  }

  /** The texts of the chat with `phone` on the fixture's connection, newest first. */
  async chatTexts(phone: string): Promise<string[]> {
    const res = await this.s.http
      .get(`/v1/connections/${this.connectionId}/chats/${phone.slice(1)}@c.us/messages?limit=200`)
      .set(auth(this.key));
    return res.status === 200 ? (res.body.data as Json[]).map((m) => m.body as string) : [];
  }

  /** Stops the test's schedulers and cancels its campaigns. */
  async reset(): Promise<void> {
    for (const w of this.workers) await w.close();
    this.workers = [];
    for (const id of this.campaigns) {
      await this.s.http.post(`/v1/campaigns/${id}/cancel`).set(auth(this.key));
    }
    this.campaigns = [];
  }

  async close(): Promise<void> {
    await this.reset();
    await this.s.close();
  }
}
