import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { EventEnvelope, EventValidator } from '@wwb/contracts';
import { waitFor } from '@wwb/testing';
import { admin, bearer, E2eApp, startApi } from './support/e2e-app';

interface Received {
  key: string | null;
  headers: Record<string, string>;
  raw: string;
  event: EventEnvelope<Record<string, unknown>>;
}

describe('account events on Kafka (e2e)', () => {
  let api: E2eApp;
  let consumer: Consumer;
  const received: Received[] = [];

  beforeAll(async () => {
    api = await startApi();
    const kafka = new Kafka({
      clientId: `e2e-events-${randomBytes(3).toString('hex')}`,
      brokers: api.config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({
      groupId: `e2e-events-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: api.config.kafka.topics.events.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          if (v !== undefined) headers[k] = v.toString();
        const raw = message.value?.toString() ?? '';
        received.push({ key: message.key?.toString() ?? null, headers, raw, event: JSON.parse(raw) });
      },
    });
  }, 60_000);

  afterAll(async () => {
    await consumer.disconnect();
    await api.close();
  }, 30_000);

  const eventsOf = (accountId: string, type: string) =>
    received.filter((r) => r.event.accountId === accountId && r.event.type === type);

  it('publishes account.created, api_key.created (never with the key), api_key.revoked and account.updated', async () => {
    const validator = new EventValidator();
    const acc = await api.http
      .post('/v1/admin/accounts')
      .set(admin)
      .set('X-Correlation-Id', 'corr-e2e-events')
      .send({ name: 'Events Inc', plan: 'professional' })
      .expect(201);
    const accountId = acc.body.id as string;
    const issued = await api.http
      .post(`/v1/admin/accounts/${accountId}/api-keys`)
      .set(admin)
      .send({ name: 'crm', connectionIds: ['con_1'] })
      .expect(201);
    await api.http.delete(`/v1/api-keys/${issued.body.id}`).set(bearer(issued.body.key)).expect(204);
    await api.http
      .patch(`/v1/admin/accounts/${accountId}`)
      .set(admin)
      .send({ plan: 'enterprise' })
      .expect(200);

    await waitFor(
      () =>
        ['account.created', 'api_key.created', 'api_key.revoked', 'account.updated'].every(
          (t) => eventsOf(accountId, t).length === 1,
        ),
      { timeoutMs: 20_000, what: 'the four account events' },
    );

    const created = eventsOf(accountId, 'account.created')[0]!;
    expect(created.event.data).toEqual({ name: 'Events Inc', plan: 'professional' });
    expect(created.event.correlationId).toBe('corr-e2e-events');
    expect(created.headers['correlation-id']).toBe('corr-e2e-events');
    expect(created.key).toBe(accountId);

    const keyCreated = eventsOf(accountId, 'api_key.created')[0]!;
    expect(keyCreated.event).toMatchObject({
      type: 'api_key.created',
      version: 1,
      accountId,
      data: {
        apiKeyId: issued.body.id,
        name: 'crm',
        prefix: issued.body.prefix,
        connectionIds: ['con_1'],
        createdAt: issued.body.createdAt,
      },
    });
    expect(keyCreated.raw).not.toContain(issued.body.key);
    expect(keyCreated.raw).not.toContain(issued.body.key.slice(12));
    expect(JSON.stringify(keyCreated.headers)).not.toContain(issued.body.key);

    expect(eventsOf(accountId, 'api_key.revoked')[0]!.event.data).toMatchObject({ apiKeyId: issued.body.id });
    expect(eventsOf(accountId, 'account.updated')[0]!.event.data).toEqual({
      name: 'Events Inc',
      plan: 'enterprise',
      disabled: false,
    });

    for (const r of received.filter((x) => x.event.accountId === accountId)) {
      expect(validator.validate(r.event)).toEqual({ ok: true, event: r.event });
    }
  }, 60_000);
});
