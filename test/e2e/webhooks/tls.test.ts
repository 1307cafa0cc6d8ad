import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { waitFor } from '@wwb/testing';
import { HttpsReceiver, Stack, startStack } from './webhook-test.harness';

jest.setTimeout(120_000);

interface Pki {
  caFile: string;
  caPem: string;
  key: string;
  cert: string;
}

/** A private CA and a server certificate it signed for 127.0.0.1 / localhost (EC P-256, 2 days). */
function makePki(dir: string): Pki {
  const openssl = (args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      'x509_extensions = ext',
      '[dn]',
      'CN = wwb e2e private CA',
      '[ext]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'server.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = 127.0.0.1',
      '[ext]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1,DNS:localhost',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', '-config', 'ca.cnf', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2']);
  openssl(['req', '-new', '-config', 'server.cnf', ...ec, '-keyout', 'server.key', '-out', 'server.csr']);
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '2',
    '-extfile',
    'server.cnf',
    '-extensions',
    'ext',
    '-out',
    'server.crt',
  ]);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    caFile: join(dir, 'ca.crt'),
    caPem: read('ca.crt'),
    key: read('server.key'),
    cert: read('server.crt'),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'wwb-webhook-tls-'));
let pki: Pki;

beforeAll(() => {
  pki = makePki(dir);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function createEndpoint(stack: Stack, url: string): Promise<{ id: string; secret: string }> {
  const res = await stack.api.http
    .post('/v1/webhooks')
    .set(stack.auth)
    .send({ url, events: ['*'] })
    .expect(201);
  return { id: res.body.id as string, secret: res.body.secret as string };
}

describe('with WEBHOOK_CA_FILE naming the private CA', () => {
  let stack: Stack | undefined;
  let receiver: HttpsReceiver | undefined;

  beforeAll(async () => {
    receiver = await new HttpsReceiver({ key: pki.key, cert: pki.cert }).start();
    stack = await startStack({ WEBHOOK_CA_FILE: pki.caFile });
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  it('delivers signed events over https to a receiver whose certificate the private CA issued', async () => {
    const s = stack!;
    const rx = receiver!;
    expect(s.api.config.webhooks.extraCa).toBe(pki.caPem);
    expect(rx.url).toBe(`https://127.0.0.1:${rx.port}/hook`);
    const ep = await createEndpoint(s, rx.url);

    const [event] = await s.publish([{ type: 'test.tls', data: { over: 'https' } }]);
    await waitFor(() => rx.requests.length >= 1, { timeoutMs: 30_000, what: 'the https delivery' });

    expect(rx.tlsErrors).toEqual([]);
    expect(rx.requests).toHaveLength(1);
    const r = rx.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/hook');
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    expect(headers['webhook-id']).toMatch(/\S/);
    expect(headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new StandardWebhook(ep.secret).verify(r.body, headers)).toBeDefined();
    expect(JSON.parse(r.body)).toMatchObject({ id: event!.id, type: 'test.tls', data: { over: 'https' } });

    const list = await waitFor(
      async () => {
        const res = await s.api.http.get(`/v1/webhooks/${ep.id}/deliveries`).set(s.auth).expect(200);
        const data = res.body.data as { status: string }[];
        return data.length === 1 && data[0]!.status === 'delivered' ? data : undefined;
      },
      { timeoutMs: 10_000, what: 'the delivery recorded as delivered' },
    );
    expect(list![0]).toMatchObject({
      eventId: event!.id,
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
    });
  });
});

describe('without WEBHOOK_CA_FILE', () => {
  let stack: Stack | undefined;
  let receiver: HttpsReceiver | undefined;

  beforeAll(async () => {
    receiver = await new HttpsReceiver({ key: pki.key, cert: pki.cert }).start();
    stack = await startStack({ WEBHOOK_CA_FILE: '' });
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  it('refuses the private certificate: the attempt fails with tls_error and no request is sent', async () => {
    const s = stack!;
    const rx = receiver!;
    expect(s.api.config.webhooks.extraCa).toBeUndefined();
    const ep = await createEndpoint(s, rx.url);

    const [event] = await s.publish([{ type: 'test.tls' }]);
    const list = await waitFor(
      async () => {
        const res = await s.api.http.get(`/v1/webhooks/${ep.id}/deliveries`).set(s.auth).expect(200);
        const data = res.body.data as { id: string; attempts: number }[];
        return data.length === 1 && data[0]!.attempts >= 1 ? data : undefined;
      },
      { timeoutMs: 30_000, what: 'the failed attempt recorded' },
    );
    const delivery = list![0]!;
    expect(delivery).toMatchObject({ eventId: event!.id, status: 'pending' });
    expect(delivery).not.toHaveProperty('lastStatusCode');

    const detail = await s.api.http
      .get(`/v1/webhooks/${ep.id}/deliveries/${delivery.id}`)
      .set(s.auth)
      .expect(200);
    const first = detail.body.attemptLog[0] as { n: number; outcome: string; error?: string };
    expect(first).toMatchObject({ n: 1, outcome: 'retrying' });
    expect(first).not.toHaveProperty('statusCode');
    expect(first.error).toMatch(/^tls_error: /);
    expect(first.error).toMatch(/certificate/);

    // The handshake reached the receiver and the client broke it off: no HTTP request got through.
    expect(rx.tlsErrors.length).toBeGreaterThanOrEqual(1);
    expect(rx.requests).toHaveLength(0);
    await s.api.http.patch(`/v1/webhooks/${ep.id}`).set(s.auth).send({ enabled: false }).expect(200);
  });
});
