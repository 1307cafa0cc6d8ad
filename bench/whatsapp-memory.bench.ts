/**
 * Memory per ready WhatsApp connection with the real driver (whatsapp-web.js 1.34.7 + Debian's
 * Chromium) on the fake WhatsApp Web page, as PSS (/proc/<pid>/smaps_rollup: shared pages are
 * split between the processes sharing them, so the sum is not inflated the way RSS sums are).
 *
 *   node -r @swc-node/register bench/whatsapp-memory.bench.ts
 *
 * For each count (BENCH_COUNTS, default 1,5,20) and variant, N connections are started, scanned
 * and ready; after BENCH_SETTLE_MS (default 5000) the PSS of every Chromium process of those
 * connections (the marked browser and all its descendants) and of this Node process is summed.
 * Variants (BENCH_VARIANTS, default stock,base,ours):
 * - stock: `new Client()` as the whatsapp-web.js README shows it (LocalAuth, headless), plus
 *   only what root needs (--no-sandbox) and our marker to find its processes;
 * - base: our WebJsDriver with the base flags only (leanChromium: false);
 * - ours: our WebJsDriver as configured by default (lean flags).
 * BENCH_EXTRA_ARGS adds Chromium flags to `ours` (to try tuning). Results go to
 * bench/results/whatsapp-memory-<time>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { Client, LocalAuth } from 'whatsapp-web.js';
import {
  connectionMarker,
  findMarkedProcesses,
  killMarkedProcesses,
  listProcesses,
  readPssKb,
  WebJsDriver,
  withDescendants,
} from '@wwb/whatsapp';
import {
  fakeWebOptions,
  FakeWhatsAppWebControl,
} from '../test/fixtures/fake-whatsapp-web/fake-whatsapp-web.control';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COUNTS = (process.env.BENCH_COUNTS ?? '1,5,20').split(',').map(Number);
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'stock,base,ours').split(',') as Variant[];
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const EXTRA_ARGS = (process.env.BENCH_EXTRA_ARGS ?? '').split(' ').filter(Boolean);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 4);

type Variant = 'stock' | 'base' | 'ours';

interface Sample {
  variant: Variant;
  connections: number;
  chromiumProcesses: number;
  chromiumPssMb: number;
  nodePssMb: number;
  totalPssMb: number;
  perConnectionMb: number;
  /** Chromium only, per connection (the part that grows with connections). */
  chromiumPerConnectionMb: number;
  startSeconds: number;
}

const mb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;

function gc(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function measure(markers: string[]): { processes: number; chromiumKb: number; nodeKb: number } {
  const procs = listProcesses();
  const roots = markers.flatMap((m) => findMarkedProcesses(m, procs));
  const pids = withDescendants(roots, procs);
  return {
    processes: pids.length,
    chromiumKb: pids.reduce((sum, pid) => sum + readPssKb(pid), 0),
    nodeKb: readPssKb(process.pid),
  };
}

interface Running {
  markers: string[];
  stop(): Promise<void>;
}

async function startOurs(n: number, lean: boolean, dataDir: string, run: string): Promise<Running> {
  const control = new FakeWhatsAppWebControl();
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' });
  const drivers = Array.from(
    { length: n },
    (_, i) =>
      new WebJsDriver({
        connectionId: `bench_${run}_${i}`,
        logger,
        chromiumPath: CHROMIUM,
        dataDir,
        leanChromium: lean,
        extraChromiumArgs: lean ? EXTRA_ARGS : [],
        pageObserver: control,
        healthCheckIntervalMs: 0,
        ...fakeWebOptions(),
      }),
  );
  await inBatches(drivers, START_CONCURRENCY, async (d) => {
    await d.start();
    await d.waitForStatus('qr', 60_000);
    await control.scan(d.connectionId, {
      phone: `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    });
    await d.waitForStatus('ready', 60_000);
  });
  return {
    markers: drivers.map((d) => d.marker),
    stop: async () => {
      await Promise.all(drivers.map((d) => d.stop()));
    },
  };
}

async function startStock(n: number, dataDir: string, run: string): Promise<Running> {
  const clients: Client[] = [];
  const markers: string[] = [];
  await inBatches(
    Array.from({ length: n }, (_, i) => i),
    START_CONCURRENCY,
    async (i) => {
      const marker = connectionMarker(`stock_${run}_${i}`);
      markers.push(marker);
      const client = new Client({
        authStrategy: new LocalAuth({ clientId: `stock_${run}_${i}`, dataPath: dataDir }),
        puppeteer: { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', marker] },
        ...fakeWebOptions(),
      });
      clients.push(client);
      const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
      const qr = new Promise<void>((resolve) => client.once('qr', () => resolve()));
      await client.initialize();
      await qr;
      await client.pupPage!.evaluate(() =>
        (globalThis as unknown as { __fakeWa: { scan(a: object): Promise<boolean> } }).__fakeWa.scan({}),
      );
      await ready;
    },
  );
  return {
    markers,
    stop: async () => {
      await Promise.allSettled(clients.map((c) => c.destroy()));
      await Promise.all(markers.map((m) => killMarkedProcesses(m)));
    },
  };
}

async function main(): Promise<void> {
  const samples: Sample[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  console.log(
    `Chromium ${CHROMIUM}; counts ${COUNTS.join(',')}; variants ${VARIANTS.join(',')}; settle ${SETTLE_MS} ms`,
  );
  if (EXTRA_ARGS.length) console.log(`extra args for ours: ${EXTRA_ARGS.join(' ')}`);
  let run = 0;
  for (const n of COUNTS) {
    for (const variant of VARIANTS) {
      run += 1;
      const dataDir = mkdtempSync(join(tmpdir(), `wwb-bench-${variant}-`));
      gc();
      const started = Date.now();
      const running =
        variant === 'stock'
          ? await startStock(n, dataDir, `${stamp}_${run}`)
          : await startOurs(n, variant === 'ours', dataDir, `${stamp.slice(-8)}_${run}`);
      const startSeconds = (Date.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      gc();
      const m = measure(running.markers);
      const total = m.chromiumKb + m.nodeKb;
      const sample: Sample = {
        variant,
        connections: n,
        chromiumProcesses: m.processes,
        chromiumPssMb: mb(m.chromiumKb),
        nodePssMb: mb(m.nodeKb),
        totalPssMb: mb(total),
        perConnectionMb: mb(total / n),
        chromiumPerConnectionMb: mb(m.chromiumKb / n),
        startSeconds: Math.round(startSeconds * 10) / 10,
      };
      samples.push(sample);
      console.log(
        `${variant.padEnd(5)} n=${String(n).padStart(2)}: ${String(m.processes).padStart(3)} chromium processes, ` +
          `chromium ${sample.chromiumPssMb} MB + node ${sample.nodePssMb} MB = ${sample.totalPssMb} MB ` +
          `-> ${sample.perConnectionMb} MB/connection (chromium ${sample.chromiumPerConnectionMb}); started in ${sample.startSeconds} s`,
      );
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.table(samples);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = join(__dirname, 'results', `whatsapp-memory-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify({ chromium: CHROMIUM, extraArgs: EXTRA_ARGS, settleMs: SETTLE_MS, samples }, null, 2),
  );
  console.log(`results: ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
