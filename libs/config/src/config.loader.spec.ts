import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { SETTINGS } from './app-config';
import { configDocsMarkdown } from './config-docs';
import { ConfigValidationError, loadConfig } from './config.loader';

const CONFIG_DIR = join(__dirname, '../../../config');
const base = { ADMIN_API_KEY: 'x'.repeat(40) };

describe('loadConfig', () => {
  it('applies config/default.json and lets the environment override it', () => {
    const config = loadConfig({ ...base, HTTP_PORT: '8081', KAFKA_BROKERS: 'a:1, b:2' }, CONFIG_DIR);
    expect(config.http.port).toBe(8081);
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.kafka.topics.events.name).toBe('wwb.events');
    expect(config.mongo.autoIndex).toBe(true);
  });

  it('refuses to start without ADMIN_API_KEY and names the setting', () => {
    expect(() => loadConfig({}, CONFIG_DIR)).toThrow(/ADMIN_API_KEY is required/);
  });

  it('reports every bad value at once, naming each setting and the problem', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, HTTP_PORT: 'eighty', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'nohost' }, CONFIG_DIR);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^HTTP_PORT must be an integer/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
        expect.stringMatching(/^KAFKA_BROKERS "nohost" is not host:port/),
      ]),
    );
  });

  it('never prints a secret value in a validation error', () => {
    const secret = 'short-secret';
    expect(() => loadConfig({ ADMIN_API_KEY: secret }, CONFIG_DIR)).toThrow(
      /ADMIN_API_KEY must be at least 32/,
    );
    try {
      loadConfig({ ...base, MONGO_URI: 'http://user:pa55@host/db' }, CONFIG_DIR);
    } catch (e) {
      expect((e as Error).message).toContain('MONGO_URI');
      expect((e as Error).message).not.toContain('pa55');
    }
    expect.assertions(3);
  });

  it('keeps config/default.json and .env.example in step with the settings schema', () => {
    const defaults = Object.keys(JSON.parse(readFileSync(join(CONFIG_DIR, 'default.json'), 'utf8')));
    const example = readFileSync(join(CONFIG_DIR, '../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    for (const name of Object.keys(SETTINGS)) expect(documented).toContain(name);
    for (const name of defaults) expect(Object.keys(SETTINGS)).toContain(name);
    for (const name of documented) expect(Object.keys(SETTINGS)).toContain(name);
  });
});

describe('WEBHOOK_CA_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wwb-config-ca-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the PEM text of a file holding a certificate', () => {
    const file = join(dir, 'ca.pem');
    const pem = rootCertificates[0]!;
    writeFileSync(file, pem);
    expect(loadConfig({ ...base, WEBHOOK_CA_FILE: file }, CONFIG_DIR).webhooks.extraCa).toBe(pem);
    expect(loadConfig(base, CONFIG_DIR).webhooks.extraCa).toBeUndefined();
  });

  it('refuses a missing file or one without a PEM certificate, naming the setting', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => loadConfig({ ...base, WEBHOOK_CA_FILE: missing }, CONFIG_DIR)).toThrow(
      `WEBHOOK_CA_FILE cannot read ${missing}: ENOENT`,
    );
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, '-----BEGIN PRIVATE KEY-----\nnot a certificate\n-----END PRIVATE KEY-----\n');
    expect(() => loadConfig({ ...base, WEBHOOK_CA_FILE: junk }, CONFIG_DIR)).toThrow(
      `WEBHOOK_CA_FILE ${junk} holds no PEM certificate`,
    );
  });
});

describe('docs/configuration.md', () => {
  it('is up to date (run `npm run docs`)', () => {
    expect(readFileSync(join(CONFIG_DIR, '../docs/configuration.md'), 'utf8')).toBe(
      configDocsMarkdown(CONFIG_DIR),
    );
  });
});
