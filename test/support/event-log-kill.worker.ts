/**
 * A worker process for the kill -9 test: the real EventLogModule consumer, made slow so that
 * the test can kill it in the middle of its work. Run with `node -r @swc-node/register`
 * (tsconfig paths resolve through @swc-node/register). Environment: the test's settings plus
 * WORKER_SLOW_MS (pause after each stored chunk), WORKER_BATCH (events per chunk) and
 * WORKER_SESSION_TIMEOUT_MS. Prints one JSON line per stored chunk; exits 0 after a clean SIGTERM shutdown.
 */
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { AppendResult, EventLogModule, EventLogRepository } from '@wwb/event-log';
import { KafkaModule } from '@wwb/kafka';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { RuntimeModule } from '@wwb/runtime';

const slowMs = Number(process.env.WORKER_SLOW_MS ?? 0);

@Injectable()
class SlowEventLogRepository extends EventLogRepository {
  override async append(events: EventEnvelope[]): Promise<AppendResult> {
    const result = await super.append(events);
    process.stdout.write(`${JSON.stringify({ stored: result })}\n`);
    if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
    return result;
  }
}

async function main(): Promise<void> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig(process.env)),
      RuntimeModule,
      ObservabilityModule,
      PersistenceModule,
      KafkaModule,
      EventLogModule.withConsumer({
        maxBatchSize: Number(process.env.WORKER_BATCH ?? 500),
        sessionTimeoutMs: Number(process.env.WORKER_SESSION_TIMEOUT_MS ?? 30_000),
      }),
    ],
  })
    .overrideProvider(EventLogRepository)
    .useClass(SlowEventLogRepository)
    .compile();
  await moduleRef.init();
  // Graceful stop on SIGTERM: the consumer finishes its chunk, commits and leaves the group.
  process.once('SIGTERM', () => {
    moduleRef.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(2);
      },
    );
  });
  process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
