/**
 * Campaign planning benchmark (issue 10, section 5), against the local FerretDB and Kafka:
 *
 *   npm run bench:campaign
 *   BENCH_CONTACTS=10000 npm run bench:campaign
 *
 * The script compiles the bench with the libs (tsconfig.bench.json, into dist/bench) and runs the
 * JavaScript, as a worker runs in production: under @swc-node/register the transpiler alone
 * would add about 75 MB to the RSS being measured.
 *
 * In this process, the worker's campaigns part (PlatformModule + CampaignsModule.forWorker(),
 * started: topics ensured, the scheduler ticking as on a worker). Seeded straight into the store:
 * BENCH_CONTACTS (100,000) contacts tagged `bench` (a few opted out, a few without the attribute
 * the template reads), a template with a helper (formatDate), and an active one-off campaign over
 * BENCH_CONNECTIONS (4) connections with recipientLocalTime (each recipient's due time in their
 * own zone). Then one RunStarterService.start is timed: claim, audience cursor (250 contacts a
 * batch, the next one fetched while this one is rendered), render, recipient rows (insertMany
 * batches of 200), a dispatch row and a `gateway.campaign.dispatch` command per connection,
 * `campaign.run.started`, the `planned` mark.
 * Printed: counts (checked against what the seed implies), planning seconds, rows/s, RSS (peak,
 * sampled every 100 ms, and the baseline before planning), where the time went (audience cursor,
 * render, due-time computation, recipient inserts, Kafka, the rest of the planner), the MongoDB
 * commands sent while planning (driver command monitoring), and CPU of this process and of
 * FerretDB. Target: < 20 s and < 300 MB RSS. Results go to bench/results/; the database and the
 * topics are dropped at the end. Other settings: BENCH_LOG_LEVEL (warn).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import {
  CampaignRunRepository,
  CampaignSchedule,
  CampaignsModule,
  compileSchedule,
  PlanResult,
  RunStarterService,
} from '@wwb/campaigns';
import { AppConfig, loadConfig } from '@wwb/config';
import { ContactAudienceService } from '@wwb/contacts';
import { EventPublisher } from '@wwb/kafka';
import { PlatformModule } from '@wwb/platform';
import { IdGenerator } from '@wwb/runtime';
import { TemplateEngine } from '@wwb/templates';
import { testEnv } from '@wwb/testing';
import { cpuSeconds, storePid } from './support/automation-report';
import { repoRoot } from './support/repo-root';
import {
  benchCampaign,
  expectedPlan,
  ExpectedPlan,
  seedContacts,
  seedTemplate,
  TEMPLATE_BODY,
} from './support/campaign-fixtures';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SAMPLE_MS = 100;
const TARGET_S = 20;
const TARGET_RSS_MB = 300;
const ROOT = repoRoot();

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const r1 = (v: number): number => Math.round(v * 10) / 10;
const r2 = (v: number): number => Math.round(v * 100) / 100;

/** Time spent in each step of the planning, from wrappers around the prototypes (libs untouched). */
interface Phases {
  audienceMs: number;
  members: number;
  renderMs: number;
  renders: number;
  dueAtMs: number;
  insertMs: number;
  insertBatches: number;
  insertMaxMs: number;
  publishMs: number;
  publishes: number;
  firstRowsWrittenMs: number | null;
  firstCommandPublishedMs: number | null;
}

function instrument(t0: () => number): Phases {
  const p: Phases = {
    audienceMs: 0,
    members: 0,
    renderMs: 0,
    renders: 0,
    dueAtMs: 0,
    insertMs: 0,
    insertBatches: 0,
    insertMaxMs: 0,
    publishMs: 0,
    publishes: 0,
    firstRowsWrittenMs: null,
    firstCommandPublishedMs: null,
  };
  const members = ContactAudienceService.prototype.members;
  // The planner pulls members one at a time: the wait for each is the cursor (fetch + decode).
  ContactAudienceService.prototype.members = async function* (this: ContactAudienceService, ...args) {
    const inner = members.apply(this, args);
    try {
      for (;;) {
        const at = performance.now();
        const next = await inner.next();
        p.audienceMs += performance.now() - at;
        if (next.done) return;
        p.members++;
        yield next.value;
      }
    } finally {
      await inner.return(undefined);
    }
  };
  const render = TemplateEngine.prototype.render;
  TemplateEngine.prototype.render = function (this: TemplateEngine, ...args) {
    const at = performance.now();
    try {
      return render.apply(this, args);
    } finally {
      p.renderMs += performance.now() - at;
      p.renders++;
    }
  };
  const sendAt = CampaignSchedule.prototype.sendAt;
  CampaignSchedule.prototype.sendAt = function (this: CampaignSchedule, ...args) {
    const at = performance.now();
    try {
      return sendAt.apply(this, args);
    } finally {
      p.dueAtMs += performance.now() - at;
    }
  };
  const insert = CampaignRunRepository.prototype.insertRecipients;
  CampaignRunRepository.prototype.insertRecipients = async function (this: CampaignRunRepository, rows) {
    const at = performance.now();
    await insert.call(this, rows);
    const ms = performance.now() - at;
    p.insertMs += ms;
    p.insertBatches++;
    p.insertMaxMs = Math.max(p.insertMaxMs, ms);
    p.firstRowsWrittenMs ??= performance.now() - t0();
  };
  const publish = EventPublisher.prototype.publish;
  EventPublisher.prototype.publish = async function (this: EventPublisher, events, opts) {
    const at = performance.now();
    await publish.call(this, events, opts);
    p.publishMs += performance.now() - at;
    p.publishes++;
    if (opts?.topic === 'commands') p.firstCommandPublishedMs ??= performance.now() - t0();
  };
  return p;
}

interface CommandStat {
  key: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

/** MongoDB commands by `<command> <collection>` (the driver's events; MONGO_URI has monitorCommands). */
function watchCommands(db: Connection): { on: boolean; stats: Map<string, CommandStat> } {
  const w = { on: false, stats: new Map<string, CommandStat>() };
  const keys = new Map<number, string>();
  const client = db.getClient();
  client.on('commandStarted', (e) => {
    if (!w.on) return;
    // getMore names its collection under `collection` (its own field is the cursor id)
    const target: unknown = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    keys.set(e.requestId, `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
  });
  const done = (e: { requestId: number; duration: number }) => {
    const key = keys.get(e.requestId);
    if (key === undefined) return;
    keys.delete(e.requestId);
    const s = w.stats.get(key) ?? { key, count: 0, totalMs: 0, maxMs: 0 };
    s.count++;
    s.totalMs += e.duration;
    s.maxMs = Math.max(s.maxMs, e.duration);
    w.stats.set(key, s);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  return w;
}

function sameCounts(result: PlanResult, want: ExpectedPlan): boolean {
  return (
    result.targeted === want.targeted &&
    result.pending === want.pending &&
    (result.skipped.opted_out ?? 0) === want.skipped.opted_out &&
    (result.skipped.template_render_failed ?? 0) === want.skipped.template_render_failed &&
    Object.keys(result.skipped).every((k) => k === 'opted_out' || k === 'template_render_failed')
  );
}

async function deleteTopics(config: AppConfig): Promise<void> {
  const admin = new Kafka({ brokers: config.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = Object.values(config.kafka.topics).map((t) => t.name);
    await admin.deleteTopics({ topics: topics.filter((t) => existing.has(t)) });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const env = testEnv({ LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', WORKER_CONSUMERS: 'campaigns' });
  const config = loadConfig({ ...env, MONGO_URI: `${env.MONGO_URI}?monitorCommands=true` });
  let planStartedAt = 0;
  const phases = instrument(() => planStartedAt);
  const m = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), CampaignsModule.forWorker()],
  }).compile();
  await m.init();
  const db = m.get<Connection>(getConnectionToken());
  await db.asPromise();
  const store = db.db!;
  const commands = watchCommands(db);
  try {
    const ids = new IdGenerator();
    const accountId = ids.prefixed('acc');
    const templateId = ids.prefixed('tpl');
    const connectionIds = Array.from({ length: CONNECTIONS }, () => ids.prefixed('con'));
    console.log(
      `campaign planning: ${CONTACTS} contacts, ${CONNECTIONS} connections; ` +
        `machine: ${cpus().length} CPUs, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const seedAt = performance.now();
    await seedTemplate(store, accountId, templateId);
    await seedContacts(store, accountId, CONTACTS);
    const now = new Date();
    const campaign = benchCampaign({ accountId, templateId, connectionIds, now });
    await store.collection('campaigns').insertOne(campaign as never);
    const seedSeconds = (performance.now() - seedAt) / 1000;
    console.log(`seeded in ${seedSeconds.toFixed(1)} s`);

    const schedule = compileSchedule(campaign.schedule);
    const at = schedule.nextAfter(now);
    if (!at) throw new Error('the bench campaign has no occurrence');
    const starter = m.get(RunStarterService);

    global.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    let samples = 0;
    const sample = () => {
      const u = process.memoryUsage();
      peakRss = Math.max(peakRss, u.rss);
      peakHeap = Math.max(peakHeap, u.heapUsed);
      samples++;
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const cpuBefore = { bench: process.cpuUsage(), store: cpuSeconds(storePid(ROOT)) };
    commands.on = true;
    planStartedAt = performance.now();
    const { run, started } = await starter.start(campaign, {
      kind: 'scheduled',
      at,
      id: schedule.occurrenceId(at),
    });
    const planningMs = performance.now() - planStartedAt;
    sample();
    clearInterval(sampler);
    commands.on = false;
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    const storeCpuS = cpuSeconds(storePid(ROOT)) - cpuBefore.store;

    const planned = await store
      .collection('campaign_run_marks')
      .findOne({ _id: `${run._id}/planned` as never });
    const result = planned?.data as PlanResult | undefined;
    const rows = await store.collection('campaign_recipients').countDocuments({ runId: run._id });
    const dispatches = await store.collection('campaign_dispatches').countDocuments({ runId: run._id });
    const want = expectedPlan(CONTACTS);
    const correct =
      started && !!result && sameCounts(result, want) && rows === CONTACTS && dispatches === CONNECTIONS;

    const seconds = planningMs / 1000;
    const ok = correct && seconds < TARGET_S && mb(peakRss) < TARGET_RSS_MB;
    const known = phases.audienceMs + phases.renderMs + phases.dueAtMs + phases.insertMs + phases.publishMs;
    const breakdown = {
      audienceCursorMs: Math.round(phases.audienceMs),
      renderMs: Math.round(phases.renderMs),
      dueAtMs: Math.round(phases.dueAtMs),
      recipientInsertsMs: Math.round(phases.insertMs),
      kafkaPublishMs: Math.round(phases.publishMs),
      // claim, template read, dispatch rows, marks, and the planner's own per-row work (ids, hash, objects)
      restMs: Math.round(planningMs - known),
    };
    const mongo = [...commands.stats.values()]
      .sort((a, b) => b.totalMs - a.totalMs)
      .map((c) => ({ ...c, totalMs: Math.round(c.totalMs), maxMs: r1(c.maxMs) }));
    const report = {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg().map(r1) },
      settings: { contacts: CONTACTS, connections: CONNECTIONS, template: TEMPLATE_BODY },
      seedSeconds: r1(seedSeconds),
      contacts: CONTACTS,
      targeted: result?.targeted ?? null,
      pending: result?.pending ?? null,
      skipped: result?.skipped ?? null,
      expected: want,
      rowsWritten: rows,
      dispatches,
      countsCorrect: correct,
      planningSeconds: r2(seconds),
      rowsPerSecond: Math.round(CONTACTS / seconds),
      firstRowsWrittenSeconds: phases.firstRowsWrittenMs && r2(phases.firstRowsWrittenMs / 1000),
      firstCommandPublishedSeconds:
        phases.firstCommandPublishedMs && r2(phases.firstCommandPublishedMs / 1000),
      peakRssMb: mb(peakRss),
      baselineRssMb: mb(baseline.rss),
      peakHeapMb: mb(peakHeap),
      baselineHeapMb: mb(baseline.heapUsed),
      rssSamples: samples,
      targetMet: ok,
      breakdownMs: breakdown,
      counts: {
        members: phases.members,
        renders: phases.renders,
        insertBatches: phases.insertBatches,
        insertMaxMs: r1(phases.insertMaxMs),
        publishes: phases.publishes,
      },
      cpuSeconds: { bench: r2((benchCpu.user + benchCpu.system) / 1e6), ferretdb: r2(storeCpuS) },
      mongoCommands: mongo,
    };
    const r = report;
    console.log(
      `\ncontacts ${r.contacts}, targeted ${r.targeted}, pending ${r.pending}, skipped ${JSON.stringify(r.skipped)}` +
        `\nrows written ${r.rowsWritten}, dispatches ${r.dispatches}; counts as seeded: ${r.countsCorrect ? 'yes' : 'NO'}` +
        ` (expected pending ${r.expected.pending}, skipped ${JSON.stringify(r.expected.skipped)})` +
        `\nplanning ${r.planningSeconds} s (${r.rowsPerSecond} rows/s); first rows written at ${r.firstRowsWrittenSeconds} s, ` +
        `first command published at ${r.firstCommandPublishedSeconds} s` +
        `\npeak RSS ${r.peakRssMb} MB (baseline before planning ${r.baselineRssMb} MB, ${r.rssSamples} samples); ` +
        `heap peak ${r.peakHeapMb} MB (baseline ${r.baselineHeapMb} MB)` +
        `\nCPU while planning: this process ${r.cpuSeconds.bench} s, FerretDB ${r.cpuSeconds.ferretdb} s`,
    );
    console.log('\nwhere the planning time went (ms):');
    for (const [k, v] of Object.entries(breakdown)) console.log(`  ${k.padEnd(20)} ${String(v).padStart(8)}`);
    console.log(
      "\nMongoDB commands while planning (besides the worker's scheduler tick every 2 s: leases, campaigns, runs, cursors):\n  command                                  count  total ms  mean ms   max ms",
    );
    for (const c of mongo) {
      console.log(
        `  ${c.key.slice(0, 40).padEnd(40)} ${String(c.count).padStart(5)} ${String(c.totalMs).padStart(9)} ` +
          `${(c.totalMs / c.count).toFixed(1).padStart(8)} ${c.maxMs.toFixed(1).padStart(8)}`,
      );
    }
    console.log(
      `\ntarget < ${TARGET_S} s and < ${TARGET_RSS_MB} MB RSS: ${ok ? 'MET' : 'NOT MET'} ` +
        `(${r.planningSeconds} s, peak RSS ${r.peakRssMb} MB${r.countsCorrect ? '' : ', counts WRONG'})`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(
      ROOT,
      'bench',
      'results',
      `campaign-plan-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`written to ${file}`);
    if (!correct) process.exitCode = 1;
  } finally {
    await db.dropDatabase();
    await m.close();
    await deleteTopics(config);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
