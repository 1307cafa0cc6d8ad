import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FuzzSeed } from './fuzz-seed';

const ROOT = resolve(__dirname, '../../..');
export const SCHEMATHESIS_VENV = process.env.SCHEMATHESIS_VENV ?? join(ROOT, '.tools/schemathesis-venv');
const ST = join(SCHEMATHESIS_VENV, 'bin/st');

/** Installs the pinned schemathesis into the venv when a fresh clone runs the e2e tier without CI's step. */
export function ensureSchemathesis(): string {
  if (!existsSync(ST)) execFileSync(join(ROOT, 'scripts/install-schemathesis.sh'), { stdio: 'inherit' });
  return ST;
}

/**
 * The checks the run enforces: no 5xx, every status code, content type, header and body the
 * server answers is documented, a deleted resource is gone and a created one can be read, and
 * no operation answers 2xx without credentials.
 *
 * Left out, on purpose:
 * - positive_data_acceptance / negative_data_rejection: the OpenAPI schemas carry the types of
 *   each field, not the rules across fields or against stored data (a template id that exists,
 *   an E.164 number, "exactly one of text, templateId or media"), so schema-valid bodies get a
 *   documented 400 with a code, and `null` for an optional field means "absent" by design.
 * - unsupported_method: an undeclared method answers the documented 404 not_found, not 405.
 * - object_level_authorization: needs two sets of credentials in one run; the cross-account
 *   404s have their own e2e tests.
 */
export const ENFORCED_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'use_after_free',
  'ensure_resource_availability',
  'ignored_auth',
  'missing_required_header',
] as const;

interface OperationRef {
  method: string;
  path: string;
}

/** Reads the operations of an OpenAPI document as `METHOD /path`. */
export function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): OperationRef[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => methods.includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
}

/**
 * The seeded id for each path parameter of an operation. Destructive operations get resources of
 * their own (a spare key, a spare connection), so that a DELETE, logout or revoke early in the run
 * does not turn every later case into a 404, and so that the fuzzer never revokes its own key.
 */
export function pathParameters(op: OperationRef, seed: FuzzSeed): Record<string, string> | undefined {
  const { method, path } = op;
  const p: Record<string, string> = {};
  if (path.startsWith('/v1/admin/accounts/{id}')) p.id = seed.otherAccountId;
  else if (path === '/v1/api-keys/{id}') p.id = seed.spareKeyId;
  else if (path.startsWith('/v1/connections/{id}')) {
    if (
      /\/(logout|restart|simulator\/disconnect)$/.test(path) ||
      (method === 'DELETE' && path.endsWith('{id}'))
    )
      p.id = seed.spareConnectionId;
    else if (/\/(qr|pairing-code|simulator\/scan)$/.test(path)) p.id = seed.qrConnectionId;
    else p.id = seed.connectionId;
  } else {
    const kinds: [string, keyof FuzzSeed['spare'] & keyof FuzzSeed][] = [
      ['/v1/contacts/{id}', 'contactId'],
      ['/v1/templates/{id}', 'templateId'],
      ['/v1/auto-replies/{id}', 'autoReplyId'],
      ['/v1/faq-bots/{id}', 'faqBotId'],
      ['/v1/webhooks/{id}', 'webhookId'],
      ['/v1/campaigns/{id}', 'campaignId'],
    ];
    const deletesResource = method === 'DELETE' && path.endsWith('/{id}');
    for (const [prefix, field] of kinds)
      if (path.startsWith(prefix)) p.id = deletesResource ? seed.spare[field] : seed[field];
    if (method === 'PUT' && path === '/v1/faq-bots/{id}') p.id = seed.spare.replacedFaqBotId;
  }
  if (path.includes('/scheduled-messages/{messageId}'))
    p.messageId = method === 'DELETE' ? seed.spare.scheduledMessageId : seed.scheduledMessageId;
  else if (path.includes('{messageId}')) p.messageId = seed.messageId;
  if (path.includes('{runId}')) p.runId = seed.runId;
  if (path.includes('{chatId}')) p.chatId = seed.chatId;
  if (path.includes('{entryId}')) p.entryId = method === 'DELETE' ? seed.spare.faqEntryId : seed.faqEntryId;
  if (path.includes('{deliveryId}')) p.deliveryId = seed.deliveryId;
  if (path.includes('/bulk/{jobId}')) p.jobId = seed.bulkJobId;
  else if (path.includes('{jobId}')) p.jobId = seed.replayJobId;
  return Object.keys(p).length ? p : undefined;
}

const toml = (v: unknown): string => JSON.stringify(v);

export interface FuzzRunOptions {
  title: string;
  baseUrl: string;
  /** Auth per OpenAPI security scheme name. */
  auth: Record<string, { bearer: string } | { api_key: string }>;
  operations: OperationRef[];
  seed: FuzzSeed;
  maxExamples: number;
  workDir: string;
  /** Hypothesis seed; fixed so that a CI failure can be replayed locally. */
  randomSeed?: number;
  /** Time budget of the run in seconds (--max-time). */
  maxTime: number;
  /** Where the document is read from; the live /docs/openapi.json by default. */
  schemaLocation?: string;
  /** Comma-separated phases; all four by default. */
  phases?: string;
}

/** The schemathesis.toml of one run: auth, checks, phases and the seeded path parameters. */
export function buildConfig(o: FuzzRunOptions): string {
  const lines: string[] = [
    `workers = 1`,
    `request-timeout = 15`,
    `max-failures = 200`,
    `[generation]`,
    `max-examples = ${o.maxExamples}`,
    // Hypothesis' example database would replay yesterday's ids against today's fresh database.
    `database = "none"`,
    // The coverage phase would also send TRACE, OPTIONS, ... to every path: unsupported_method is not enforced.
    `[phases.coverage]`,
    `unexpected-methods = []`,
    `[phases.stateful]`,
    `max-steps = 8`,
  ];
  for (const [scheme, value] of Object.entries(o.auth)) {
    lines.push(`[auth.openapi.${scheme}]`);
    for (const [k, v] of Object.entries(value)) lines.push(`${k} = ${toml(v)}`);
  }
  for (const op of o.operations) {
    const params = pathParameters(op, o.seed);
    const isStream =
      (op.path.endsWith('/events') || op.path.endsWith('/progress')) && op.path.includes('{id}');
    if (!params && !isStream) continue;
    lines.push(`[[operations]]`, `include-name = ${toml(`${op.method} ${op.path}`)}`);
    // An SSE stream never ends by itself: read the first event (the `connection` snapshot), then hang up.
    if (isStream) lines.push(`max-stream-events = 1`);
    if (params) {
      lines.push(`[operations.parameters]`);
      for (const [k, v] of Object.entries(params)) lines.push(`${toml(`path.${k}`)} = ${toml(v)}`);
    }
    // The stateful phase would feed it ids from GET /v1/api-keys, whose list holds the fuzzer's
    // own key: revoking it would turn the rest of the run into 401s.
    if (op.method === 'DELETE' && op.path === '/v1/api-keys/{id}')
      lines.push(`[operations.phases.stateful]`, `enabled = false`);
  }
  return `${lines.join('\n')}\n`;
}

export interface FuzzReport {
  exitCode: number | null;
  output: string;
  /** The JSON run report schemathesis writes (--report json). */
  report: {
    schemathesis_version: string;
    operations: { selected: number; tested: number; errored: number };
    phases: Record<string, { status: string; skip_reason: string | null }>;
    test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
    failures: { code: string; title: string; count: number; operations: string[] }[];
    errors: unknown[];
  };
}

/** Runs `st run` against the live document with the config of `o`; resolves with its JSON report. */
export async function runSchemathesis(o: FuzzRunOptions, extraArgs: string[] = []): Promise<FuzzReport> {
  const st = ensureSchemathesis();
  const dir = join(o.workDir, o.title);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const reportPath = join(dir, 'report.json');
  const configPath = join(dir, 'schemathesis.toml');
  writeFileSync(configPath, buildConfig(o));
  const args = [
    '--config-file',
    configPath,
    'run',
    o.schemaLocation ?? `${o.baseUrl}/docs/openapi.json`,
    '--url',
    o.baseUrl,
    '--checks',
    ENFORCED_CHECKS.join(','),
    '--phases',
    o.phases ?? 'examples,coverage,fuzzing,stateful',
    '--max-time',
    String(o.maxTime),
    '--report-json-path',
    reportPath,
    '--report-junit-path',
    join(dir, 'junit.xml'),
    '--seed',
    String(o.randomSeed ?? 20261206),
    '--no-color',
    ...extraArgs,
  ];
  const child = spawn(st, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exitCode = await new Promise<number | null>((done) => child.on('close', done));
  writeFileSync(join(dir, 'output.txt'), output);
  if (!existsSync(reportPath))
    throw new Error(`schemathesis wrote no report (exit ${exitCode}):\n${output.slice(-4000)}`);
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as FuzzReport['report'];
  return { exitCode, output, report };
}
