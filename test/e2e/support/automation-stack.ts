import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { configureHttpApp, ExpressHttpAdapter, HTTP_APP_OPTIONS } from '@wwb/http';
import { Clock } from '@wwb/runtime';
import { waitFor } from '@wwb/testing';
import { auth } from './connections-stack';
import { MessagingStack } from './messaging-stack';

export type Json = Record<string, unknown>;

/** Settings of the automation e2e tests: a small loop-breaker cap, loopback HTTP actions and webhooks. */
export const AUTOMATION_TEST_ENV: Record<string, string> = {
  AUTOMATION_MAX_REPLIES_PER_CHAT: '3',
  AUTOMATION_HUMAN_PAUSE_MINUTES: '30',
  OPT_OUT_CONFIRMATION: 'You are unsubscribed. Reply START to come back.',
  OPT_IN_CONFIRMATION: 'Welcome back!',
  WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
  WEBHOOK_RETRY_SCALE: '0.001',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_MS: '6000',
  WEBHOOK_CONSUMER_SESSION_TIMEOUT_MS: '6000',
  WEBHOOK_JOB_POLL_MS: '200',
};

/** The chat id of a phone number (`+15550001111` -> `15550001111@c.us`). */
export const chatOf = (phone: string): string => `${phone.replace(/^\+/, '')}@c.us`;

/**
 * Helpers over MessagingStack (API + worker + gateway, simulator driver) for automation: rules and
 * bots through the API, inbound messages through the simulator, and the chat as the API shows it.
 */
export class AutomationDriver {
  constructor(
    readonly s: MessagingStack,
    readonly key: string,
    readonly connectionId: string,
  ) {}

  async rule(body: Json): Promise<Json> {
    const res = await this.s.http.post('/v1/auto-replies').set(auth(this.key)).send(body);
    if (res.status !== 201) throw new Error(`rule not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Json;
  }

  async faqBot(body: Json): Promise<Json> {
    const res = await this.s.http.post('/v1/faq-bots').set(auth(this.key)).send(body);
    if (res.status !== 201) throw new Error(`bot not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Json;
  }

  /** A message from `from` arrives at the connection (message.received follows). */
  async inbound(from: string, text: string, extra: Json = {}): Promise<string> {
    const res = await this.s.http
      .post(`/v1/connections/${this.connectionId}/simulator/inbound`)
      .set(auth(this.key))
      .send({ from, text, ...extra })
      .expect(200);
    return res.body.waMessageId as string;
  }

  async messages(chatId: string): Promise<Json[]> {
    const res = await this.s.http
      .get(`/v1/connections/${this.connectionId}/chats/${encodeURIComponent(chatId)}/messages?limit=200`)
      .set(auth(this.key));
    if (res.status === 404) return [];
    if (res.status !== 200)
      throw new Error(`messages of ${chatId}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.data as Json[]).slice().reverse(); // oldest first
  }

  /** Our messages in the chat (oldest first). */
  async outgoing(chatId: string): Promise<Json[]> {
    return (await this.messages(chatId)).filter((m) => m.fromMe === true);
  }

  /** Waits until the chat holds `n` of our messages matching `match`; returns them. */
  async waitOutgoing(chatId: string, n: number, match: (m: Json) => boolean = () => true): Promise<Json[]> {
    let last: Json[] = [];
    try {
      await waitFor(
        async () => {
          last = (await this.outgoing(chatId)).filter(match);
          return last.length >= n;
        },
        { timeoutMs: 30_000, intervalMs: 150, what: `${n} outgoing message(s) in ${chatId}` },
      );
      return last;
    } catch (err) {
      throw new Error(`${(err as Error).message}; got ${JSON.stringify(last).slice(0, 1500)}`);
    }
  }

  /**
   * Waits until automation applied `n` events of the chat (its state remembers them): the way to
   * know a message was handled when the right outcome is silence.
   */
  async waitHandled(chatId: string, n: number): Promise<void> {
    const states = this.s.stack.db.collection('automation_chat_states');
    await waitFor(
      async () => {
        const doc = await states.findOne({ connectionId: this.connectionId, chatId });
        return ((doc?.handledEventIds as string[] | undefined)?.length ?? 0) >= n;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `${n} handled event(s) in ${chatId}` },
    );
  }
}

/** Lets the worker's rule cache see rules just written (it checks for changes every second). */
export const ruleCacheCatchUp = (): Promise<void> => new Promise((r) => setTimeout(r, 1500));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A Clock that can be set to any instant and runs on from there at real speed. It never stands
 * still: leases, backoffs and the rule cache's once-a-second revision check keep working, and
 * `sleep` waits for real. Only set it forward once a worker uses it (stored expiries then run
 * out, never last longer than meant).
 */
export class SettableClock extends Clock {
  private offsetMs = 0;

  set(at: Date | string): void {
    this.offsetMs = new Date(at).getTime() - Date.now();
  }

  override now(): Date {
    return new Date(this.nowMs());
  }

  override nowMs(): number {
    return Date.now() + this.offsetMs;
  }
}

/**
 * Starts the stack's worker (as MessagingStack.startWorker does, without listening on HTTP) with
 * `clock` in place of the Clock every one of its providers reads; the stack closes it.
 */
export async function startWorkerWithClock(s: MessagingStack, clock: Clock): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(s.stack.config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(
    new ExpressHttpAdapter(),
    HTTP_APP_OPTIONS,
  );
  configureHttpApp(app, s.stack.config);
  await app.init();
  s.worker = app;
  return app;
}
