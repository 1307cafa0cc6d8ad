import { Consumer, ConsumerRunConfig, EachBatchPayload, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { EventEnvelope, EventValidator } from '@wwb/contracts';
import { MetricsRegistry } from '@wwb/observability';
import { Clock, RequestContext } from '@wwb/runtime';
import { PermanentError, RetryableError } from './consumer.errors';
import { ConsumerSession } from './consumer.session';
import { RunOptions } from './consumer.types';
import { DeadLetterInfo, DeadLetterProducer } from './dead-letter.producer';
import { RetryPolicy } from './retry.policy';

function envelope(n: number, extra: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: `01JDQ8Z6W5V7Y2M3N4P5Q6R${String(n).padStart(3, '0')}`,
    type: 'test.happened',
    version: 1,
    occurredAt: '2026-12-01T10:00:00.000Z',
    accountId: 'acc_1',
    data: { n },
    ...extra,
  };
}

function message(offset: number, value: string | null, headers: Record<string, string> = {}): KafkaMessage {
  return {
    key: null,
    value: value === null ? null : Buffer.from(value),
    headers,
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}

const asMessages = (events: EventEnvelope[]) => events.map((e, i) => message(i, JSON.stringify(e)));

interface Harness {
  session: ConsumerSession;
  deadLetters: { message: KafkaMessage; info: DeadLetterInfo }[];
  metrics: MetricsRegistry;
  /** Runs one kafkajs batch through the session; returns the offsets it resolved. */
  batch(
    messages: KafkaMessage[],
    opts?: { highWatermark?: number },
  ): Promise<{ resolved: string[]; committed: number }>;
  startBatch(messages: KafkaMessage[]): { done: Promise<void>; resolved: string[] };
}

async function harness(
  options: Partial<RunOptions> & Pick<RunOptions, 'handler' | 'handlerBatch'>,
  retry = {},
) {
  let eachBatch: ConsumerRunConfig['eachBatch'];
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: () => () => undefined,
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (cfg: ConsumerRunConfig) => {
      eachBatch = cfg.eachBatch;
    },
    disconnect: async () => undefined,
  } as unknown as Consumer;
  const deadLetters: Harness['deadLetters'] = [];
  const metrics = new MetricsRegistry();
  const session = new ConsumerSession(
    {
      consumer,
      validator: new EventValidator(),
      deadLetters: {
        send: async (m: KafkaMessage, info: DeadLetterInfo) => {
          deadLetters.push({ message: m, info });
        },
      } as unknown as DeadLetterProducer,
      metrics,
      clock: new Clock(),
      logger: pino({ level: 'silent' }),
      retry: new RetryPolicy({ maxAttempts: 3, baseMs: 1, maxMs: 2, ...retry }),
      shutdownTimeoutMs: 1000,
    },
    { groupId: 'g', topic: 'events', ...options } as RunOptions,
    'wwb.events',
    () => undefined,
  );
  await session.start();

  const payloadFor = (messages: KafkaMessage[], resolved: string[], commits: { n: number }, hw?: number) =>
    ({
      batch: {
        topic: 'wwb.events',
        partition: 0,
        highWatermark: String(hw ?? messages.length),
        messages,
      },
      resolveOffset: (o: string) => resolved.push(o),
      heartbeat: async () => undefined,
      commitOffsetsIfNecessary: async () => {
        commits.n++;
      },
      uncommittedOffsets: () => ({
        topics: [{ topic: 'wwb.events', partitions: [{ partition: 0, offset: '1' }] }],
      }),
      isRunning: () => true,
      isStale: () => false,
      pause: () => () => undefined,
    }) as unknown as EachBatchPayload;

  const h: Harness = {
    session,
    deadLetters,
    metrics,
    async batch(messages, opts = {}) {
      const resolved: string[] = [];
      const commits = { n: 0 };
      await eachBatch!(payloadFor(messages, resolved, commits, opts.highWatermark));
      return { resolved, committed: commits.n };
    },
    startBatch(messages) {
      const resolved: string[] = [];
      return { done: eachBatch!(payloadFor(messages, resolved, { n: 0 })), resolved };
    },
  };
  return h;
}

async function counter(metrics: MetricsRegistry, outcome: string): Promise<number> {
  return (await metrics.consumedTotal.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

describe('ConsumerSession (single mode)', () => {
  it('handles messages in order and resolves each offset after its handler', async () => {
    const seen: number[] = [];
    const h = await harness({
      handler: async (e) => {
        seen.push((e.data as { n: number }).n);
      },
    });
    const { resolved } = await h.batch(asMessages([envelope(0), envelope(1), envelope(2)]));
    expect(seen).toEqual([0, 1, 2]);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(await counter(h.metrics, 'ok')).toBe(3);
  });

  it('runs the handler in the request context of the correlation-id header', async () => {
    const seen: (string | undefined)[] = [];
    const h = await harness({
      handler: async () => {
        seen.push(RequestContext.current().correlationId);
      },
    });
    await h.batch([
      message(0, JSON.stringify(envelope(0)), { 'correlation-id': 'from-header' }),
      message(1, JSON.stringify(envelope(1, { correlationId: 'from-envelope' }))),
      message(2, JSON.stringify(envelope(2))),
    ]);
    expect(seen).toEqual(['from-header', 'from-envelope', undefined]);
  });

  it('retries retryable and unknown errors, then dead-letters with the attempt count', async () => {
    const attempts: Record<string, number[]> = {};
    const h = await harness({
      handler: async (e, ctx) => {
        (attempts[e.id] ??= []).push(ctx.attempt);
        if (e.data && (e.data as { n: number }).n === 0 && ctx.attempt < 2) throw new RetryableError('later');
        if ((e.data as { n: number }).n === 1) throw new Error('always');
      },
    });
    const { resolved } = await h.batch(asMessages([envelope(0), envelope(1), envelope(2)]));
    expect(resolved).toEqual(['0', '1', '2']);
    expect(Object.values(attempts)).toEqual([[1, 2], [1, 2, 3], [1]]);
    expect(h.deadLetters).toHaveLength(1);
    expect(h.deadLetters[0]!.info).toMatchObject({
      reason: 'max_attempts',
      attempts: 3,
      error: 'Error: always',
    });
    expect(await counter(h.metrics, 'retried')).toBe(3);
    expect(await counter(h.metrics, 'dead_lettered')).toBe(1);
    expect(await counter(h.metrics, 'ok')).toBe(2);
  });

  it('dead-letters permanent errors and invalid messages at once', async () => {
    let calls = 0;
    const h = await harness({
      handler: async () => {
        calls++;
        throw new PermanentError('nope');
      },
    });
    const { resolved } = await h.batch([message(0, 'garbage'), message(1, JSON.stringify(envelope(1)))]);
    expect(resolved).toEqual(['0', '1']);
    expect(calls).toBe(1);
    expect(h.deadLetters.map((d) => [d.info.reason, d.info.attempts])).toEqual([
      ['invalid_message', 0],
      ['permanent_error', 1],
    ]);
  });

  it('stop() cuts a retry sleep short and leaves the message unresolved, then commits', async () => {
    let calls = 0;
    const h = await harness(
      {
        handler: async () => {
          calls++;
          throw new RetryableError('down');
        },
      },
      { baseMs: 60_000, maxMs: 60_000 },
    );
    const run = h.startBatch(asMessages([envelope(0), envelope(1)]));
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await h.session.stop();
    await run.done;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(run.resolved).toEqual([]);
    expect(calls).toBe(1);
  });

  it('lets the in-flight handler finish on stop() and resolves it, but starts no other', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    const h = await harness({
      handler: async (e) => {
        seen.push((e.data as { n: number }).n);
        await gate;
      },
    });
    const run = h.startBatch(asMessages([envelope(0), envelope(1)]));
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    const stopping = h.session.stop();
    release();
    await Promise.all([stopping, run.done]);
    expect(seen).toEqual([0]);
    expect(run.resolved).toEqual(['0']);
  });

  it('reports the lag after the batch', async () => {
    const h = await harness({ handler: async () => undefined });
    await h.batch(asMessages([envelope(0), envelope(1)]), { highWatermark: 10 });
    const lag = (await h.metrics.consumerLag.get()).values[0]!;
    expect(lag.labels).toEqual({ group: 'g', topic: 'wwb.events', partition: '0' });
    expect(lag.value).toBe(8);
  });
});

describe('ConsumerSession (batch mode)', () => {
  it('hands chunks of at most maxBatchSize valid events and resolves each chunk', async () => {
    const calls: number[][] = [];
    const h = await harness({
      maxBatchSize: 2,
      handlerBatch: async (events) => {
        calls.push(events.map((e) => (e.data as { n: number }).n));
      },
    });
    const messages = asMessages([0, 1, 2, 3, 4].map((n) => envelope(n)));
    messages.splice(2, 0, message(99, '{'));
    messages.forEach((m, i) => (m.offset = String(i)));
    const { resolved } = await h.batch(messages);
    expect(calls).toEqual([[0, 1], [2], [3, 4]]);
    expect(resolved).toEqual(['1', '3', '5']);
    expect(h.deadLetters.map((d) => d.info.reason)).toEqual(['invalid_message']);
  });

  it('falls back to one event at a time when the batch call fails', async () => {
    const calls: number[][] = [];
    const h = await harness({
      maxBatchSize: 10,
      handlerBatch: async (events) => {
        calls.push(events.map((e) => (e.data as { n: number }).n));
        if (events.some((e) => (e.data as { n: number }).n === 1)) throw new PermanentError('bad one');
      },
    });
    const { resolved } = await h.batch(asMessages([0, 1, 2].map((n) => envelope(n))));
    expect(calls).toEqual([[0, 1, 2], [0], [1], [2]]);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(h.deadLetters.map((d) => [d.message.offset, d.info.reason])).toEqual([['1', 'permanent_error']]);
  });
});
