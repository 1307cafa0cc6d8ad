import { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { ConfigModule } from '@wwb/config';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { Clock, RuntimeModule } from '@wwb/runtime';
import { ManualClock, testConfig } from '@wwb/testing';

/** A clock the test moves by hand (shared by every "node" of the test). */
export { ManualClock };

/** A Nest context on this test file's own FerretDB database (dropped by stopContext). */
export async function startContext(
  metadata: ModuleMetadata,
  clock?: Clock,
): Promise<INestApplicationContext> {
  let builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig()),
      RuntimeModule,
      ObservabilityModule,
      PersistenceModule,
      ...(metadata.imports ?? []),
    ],
    providers: metadata.providers ?? [],
  });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  await moduleRef.init();
  return moduleRef;
}

export async function stopContext(context: INestApplicationContext): Promise<void> {
  await context.get<Connection>(getConnectionToken()).dropDatabase();
  await context.close();
}
