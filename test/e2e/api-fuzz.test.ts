import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { TEST_ADMIN_KEY, TEST_METRICS_TOKEN } from '@wwb/testing';
import { auth } from './support/connections-stack';
import { FuzzSeed, resolveOffline, seedFuzzData, startReceiver } from './support/fuzz-seed';
import { MessagingStack } from './support/messaging-stack';
import {
  ensureSchemathesis,
  FuzzReport,
  FuzzRunOptions,
  operationsOf,
  runSchemathesis,
} from './support/schemathesis-runner';

/*
 * Schemathesis against the live OpenAPI document (/docs/openapi.json), all phases (examples,
 * coverage, fuzzing, stateful), once with an account key and once with the operator key: no 5xx,
 * and every status code, content type, header and body the API answers is the documented one.
 *
 * Each run is bounded by a time budget (--max-time: examples and coverage first, then fuzzing and
 * stateful cycles until it is spent) and a number of examples per operation; `npm run fuzz` runs
 * the same with a larger budget. Reports: .tools/fuzz-reports/<run>/ (output.txt, JSON, JUnit).
 */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 10);
const ACCOUNT_SECONDS = Number(process.env.FUZZ_MAX_TIME ?? 120);
const OPERATOR_SECONDS = Math.max(20, Math.round(ACCOUNT_SECONDS / 4));
const REPORTS = process.env.FUZZ_REPORT_DIR ?? resolve(__dirname, '../../.tools/fuzz-reports');

jest.setTimeout((ACCOUNT_SECONDS + OPERATOR_SECONDS + 150) * 1000);

/** One line per run for the CI log: what was tested and what was found. */
function summary(title: string, r: FuzzReport): string {
  const { operations: o, test_cases: t, failures } = r.report;
  const failed = failures.map((f) => `${f.code} ${f.title}: ${f.count} (${f.operations.join(', ')})`);
  return (
    `schemathesis ${r.report.schemathesis_version} [${title}]: ${o.tested}/${o.selected} operations, ` +
    `${t.generated} test cases, ${t.with_failures} with failures, ${t.errored} errored` +
    (failed.length ? `\n  ${failed.join('\n  ')}` : '')
  );
}

/** Asserts a clean run; on failure the message carries schemathesis' own account of each case. */
function expectClean(title: string, r: FuzzReport): void {
  const { report } = r;
  const detail = `${summary(title, r)}\n\n${r.output.slice(-20_000)}`;
  if (report.failures.length || report.errors.length || report.test_cases.errored || r.exitCode !== 0)
    throw new Error(`schemathesis found problems (report in ${join(REPORTS, title)}):\n${detail}`);
  expect(report.operations.tested).toBe(report.operations.selected);
  expect(report.test_cases.generated).toBeGreaterThan(report.operations.selected);
  // Every phase ran: a phase the run skipped would hide its whole class of cases.
  for (const phase of ['examples', 'coverage', 'fuzzing', 'stateful'])
    expect({ phase, status: report.phases[phase]?.status }).toEqual({ phase, status: 'success' });
}

describe('API fuzzing with schemathesis (e2e: API + worker + gateway, simulator driver)', () => {
  let s: MessagingStack;
  let receiver: Server;
  let seed: FuzzSeed;
  let doc: { paths: Record<string, Record<string, unknown>> };
  const metrics = { bearer: TEST_METRICS_TOKEN };

  const options = (title: string, maxTime: number): Omit<FuzzRunOptions, 'auth'> => ({
    title,
    baseUrl: s.stack.baseUrl,
    operations: operationsOf(doc),
    seed,
    maxExamples: MAX_EXAMPLES,
    workDir: REPORTS,
    maxTime,
    randomSeed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
  });

  let restoreDns: () => void;

  beforeAll(async () => {
    ensureSchemathesis();
    restoreDns = resolveOffline();
    const hook = await startReceiver();
    receiver = hook.server;
    s = await MessagingStack.start({
      // The fuzzer sends thousands of requests, many with made-up credentials (ignored_auth): the
      // failed-auth throttle and the per-key bucket would turn its cases into 429s.
      AUTH_FAILURES_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      WEBHOOK_JOB_POLL_MS: '200',
    });
    await s.startWorker();
    await s.stack.startGateway();
    seed = await seedFuzzData(s, hook.url);
    doc = (await s.http.get('/docs/openapi.json').expect(200)).body;
  });

  afterAll(async () => {
    await s?.close();
    receiver?.close();
    restoreDns?.();
  });

  it('with an account key: no server error, every answer as documented', async () => {
    // The operator routes answer this key 401 (ignored_auth covers that); the operator run tests them.
    // The fuzzer never revokes its own key: DELETE /v1/api-keys/{id} is given a spare key's id,
    // and the stateful phase, which would take ids from GET /v1/api-keys, leaves it out.
    const r = await runSchemathesis(
      {
        ...options('account', ACCOUNT_SECONDS),
        auth: { bearer: { bearer: seed.key }, apiKey: { api_key: seed.key }, metrics },
      },
      ['--exclude-path-regex', '^/v1/admin/'],
    );
    console.info(summary('account key', r));
    expectClean('account', r);
    // The fuzzer's key still works after the run.
    await s.http.get('/v1/account').set(auth(seed.key)).expect(200);
  });

  it('with the operator key: no server error, every answer as documented', async () => {
    const r = await runSchemathesis(
      {
        ...options('operator', OPERATOR_SECONDS),
        auth: { admin: { bearer: TEST_ADMIN_KEY }, metrics },
      },
      ['--include-path-regex', '^/(v1/admin/|health/|metrics)'],
    );
    console.info(summary('operator key', r));
    expectClean('operator', r);
  });

  it('the checks bite: a document that still lists `details` as field errors only fails on a 409', async () => {
    // The shape the document had before: every run above would pass vacuously if schemathesis
    // did not validate error bodies, so run it once against a copy with the old, wrong schema.
    const stale = JSON.parse(JSON.stringify(doc)) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    stale.components.schemas.ErrorBodyDto.properties.details = {
      type: 'array',
      items: { $ref: '#/components/schemas/FieldErrorDto' },
    };
    const file = join(REPORTS, 'stale-openapi.json');
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(file, JSON.stringify(stale));
    // pairing-code on a ready connection: 409 connection_not_waiting_for_qr with details {status}.
    const r = await runSchemathesis(
      {
        ...options('stale-document', 30),
        seed: { ...seed, qrConnectionId: seed.connectionId },
        auth: { bearer: { bearer: seed.key }, apiKey: { api_key: seed.key } },
        schemaLocation: file,
        phases: 'examples',
      },
      ['--include-name', 'POST /v1/connections/{id}/pairing-code'],
    );
    expect(r.report.failures.map((f) => f.code)).toContain('ST108');
    expect(r.exitCode).not.toBe(0);
  });
});
