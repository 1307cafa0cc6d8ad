import dns from 'node:dns';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@wwb/testing';
import { auth } from './connections-stack';
import { admin } from './e2e-app';
import type { MessagingStack } from './messaging-stack';

/** Ids of the resources the fuzzer is pointed at, by the path parameter they fill. */
export interface FuzzSeed {
  accountId: string;
  /** The key the fuzzer authenticates with (never revoked during the run). */
  key: string;
  /** A second key of the account: the one DELETE /v1/api-keys/{id} may revoke. */
  spareKeyId: string;
  /** A ready connection with a chat and a sent message. */
  connectionId: string;
  /** A connection waiting for its QR scan (qr, pairing-code, scan). */
  qrConnectionId: string;
  /** A connection the fuzzer may log out, restart, disconnect and delete. */
  spareConnectionId: string;
  chatId: string;
  messageId: string;
  /** The WhatsApp id of the sent message (what simulator/ack takes). */
  waMessageId: string;
  contactId: string;
  templateId: string;
  autoReplyId: string;
  faqBotId: string;
  faqEntryId: string;
  webhookId: string;
  deliveryId: string;
  replayJobId: string;
  campaignId: string;
  /** A completed run of the campaign (its progress stream ends at once). */
  runId: string;
  /** A message scheduled for next year on the ready connection. */
  scheduledMessageId: string;
  bulkJobId: string;
  /** A second account for the operator run (GET/PATCH /v1/admin/accounts/{id}). */
  otherAccountId: string;
  /** Resources that DELETE (and PUT, which replaces a bot's entries) may consume, by kind. */
  spare: {
    contactId: string;
    templateId: string;
    autoReplyId: string;
    faqBotId: string;
    /** The bot PUT /v1/faq-bots/{id} replaces. */
    replacedFaqBotId: string;
    /** An entry of the main bot for DELETE /v1/faq-bots/{id}/entries/{entryId}. */
    faqEntryId: string;
    webhookId: string;
    campaignId: string;
    scheduledMessageId: string;
  };
}

const PEER = '+15557654321';

/**
 * Creates one of each resource through the API, so that operations with ids in their path reach
 * their handlers instead of answering 404 to every random id the fuzzer makes up.
 */
export async function seedFuzzData(s: MessagingStack, receiverUrl: string): Promise<FuzzSeed> {
  const http = s.http;
  const ok = async <T = Record<string, unknown>>(
    what: string,
    req: PromiseLike<{ status: number; body: unknown }>,
  ): Promise<T> => {
    const res = await req;
    if (res.status >= 300) throw new Error(`seed ${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const acc = await ok(
    'account',
    http.post('/v1/admin/accounts').set(admin).send({ name: 'fuzz', plan: 'enterprise' }),
  );
  const accountId = acc.id as string;
  const newKey = (name: string) =>
    ok(`key ${name}`, http.post(`/v1/admin/accounts/${accountId}/api-keys`).set(admin).send({ name }));
  const key = (await newKey('fuzzer')).key as string;
  const spareKeyId = (await newKey('revocable')).id as string;
  const other = await ok(
    'other account',
    http.post('/v1/admin/accounts').set(admin).send({ name: 'other', plan: 'starter' }),
  );
  const a = auth(key);

  const connectionId = await s.readyConnection(key, '+15550001111');
  const newConnection = async (name: string) =>
    (await ok(`connection ${name}`, http.post('/v1/connections').set(a).send({ name, driver: 'simulator' })))
      .id as string;
  const qrConnectionId = await newConnection('waiting');
  const spareConnectionId = await newConnection('spare');
  await s.stack.waitForStatus(key, qrConnectionId, 'qr');

  const contact = (n: number) =>
    ok(
      'contact',
      http
        .post('/v1/contacts')
        .set(a)
        .send({ phone: `${PEER.slice(0, -1)}${n}`, name: 'Fuzz Peer' }),
    );
  const template = (name: string) =>
    ok(
      'template',
      http
        .post('/v1/templates')
        .set(a)
        .send({ name, language: 'en', category: 'utility', body: 'Hello {{contact.name}}' }),
    );
  const autoReply = () =>
    ok(
      'auto-reply',
      http
        .post('/v1/auto-replies')
        .set(a)
        .send({ name: 'fuzz rule', enabled: false, actions: [{ type: 'reply', text: 'hi' }] }),
    );
  const faqBot = (name: string) =>
    ok(
      'faq bot',
      http
        .post('/v1/faq-bots')
        .set(a)
        .send({
          name,
          enabled: false,
          entries: [
            { id: 'hours', questions: ['When are you open?'], answer: { text: '9 to 5' } },
            { id: 'spare', questions: ['Where are you?'], answer: { text: 'Here' } },
          ],
        }),
    );
  const [
    mainContact,
    spareContact,
    mainTemplate,
    spareTemplate,
    mainRule,
    spareRule,
    bot,
    spareBot,
    replacedBot,
  ] = await Promise.all([
    contact(1),
    contact(2),
    template('fuzz_hello'),
    template('fuzz_spare'),
    autoReply(),
    autoReply(),
    faqBot('fuzz bot'),
    faqBot('spare bot'),
    faqBot('replaced bot'),
  ]);

  await ok(
    'inbound',
    http.post(`/v1/connections/${connectionId}/simulator/inbound`).set(a).send({ from: PEER, text: 'hi' }),
  );
  const sent = await ok(
    'send',
    http
      .post(`/v1/connections/${connectionId}/messages`)
      .set(a)
      .send({ to: PEER, type: 'text', text: 'hello' }),
  );
  const messageId = sent.id as string;
  const message = await s.waitForMessage(
    key,
    connectionId,
    messageId,
    (m) => typeof m.waMessageId === 'string',
  );

  const newWebhook = async () =>
    (
      await ok(
        'webhook',
        http
          .post('/v1/webhooks')
          .set(a)
          .send({ url: receiverUrl, events: ['*'] }),
      )
    ).id as string;
  const [webhookId, spareWebhookId] = await Promise.all([newWebhook(), newWebhook()]);
  await ok('webhook test', http.post(`/v1/webhooks/${webhookId}/test`).set(a).send({}));
  const deliveryId = (await waitFor(
    async () => {
      const res = await http.get(`/v1/webhooks/${webhookId}/deliveries`).set(a);
      return (res.body?.data as { id: string }[] | undefined)?.[0]?.id;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'a webhook delivery' },
  )) as string;
  const replay = await ok(
    'replay',
    http
      .post(`/v1/webhooks/${webhookId}/replay`)
      .set(a)
      .send({ since: new Date(Date.now() - 3_600_000).toISOString() }),
  );

  // Campaigns (fast pacing, no quiet hours: the run completes within seconds), a completed run,
  // scheduled messages and a bulk job.
  const nextYear = `${new Date().getUTCFullYear() + 1}-06-01T09:00`;
  const pacing = { messagesPerMinute: 60, jitter: 0, quietHours: null, pauseEvery: null, frequencyCap: null };
  const newCampaign = async (name: string) =>
    (
      await ok(
        `campaign ${name}`,
        http
          .post('/v1/campaigns')
          .set(a)
          .send({
            name,
            connectionIds: [connectionId],
            templateId: mainTemplate.id,
            audience: { contactIds: [mainContact.id] },
            schedule: { type: 'once', at: nextYear, timeZone: 'UTC' },
            pacing,
          }),
      )
    ).id as string;
  const [campaignId, spareCampaignId] = await Promise.all([newCampaign('fuzz'), newCampaign('spare')]);
  const runId = (await ok('run now', http.post(`/v1/campaigns/${campaignId}/run-now`).set(a).send({})))
    .runId as string;
  await waitFor(
    async () =>
      (await http.get(`/v1/campaigns/${campaignId}/runs/${runId}`).set(a)).body?.state === 'completed',
    { timeoutMs: 60_000, intervalMs: 250, what: 'the seed run completed' },
  );
  const schedule = async () =>
    (
      await ok(
        'scheduled message',
        http
          .post(`/v1/connections/${connectionId}/messages`)
          .set(a)
          .send({ to: PEER, type: 'text', text: 'later', sendAt: `${nextYear}:00Z` }),
      )
    ).id as string;
  const [scheduledMessageId, spareScheduledId] = await Promise.all([schedule(), schedule()]);
  const bulk = await ok(
    'bulk',
    http
      .post(`/v1/connections/${connectionId}/bulk`)
      .set(a)
      .send({ templateId: mainTemplate.id, recipients: [{ to: PEER }], pacing }),
  );

  return {
    accountId,
    key,
    spareKeyId,
    connectionId,
    qrConnectionId,
    spareConnectionId,
    chatId: `${PEER.slice(1)}@c.us`,
    messageId,
    waMessageId: message.waMessageId as string,
    contactId: mainContact.id as string,
    templateId: mainTemplate.id as string,
    autoReplyId: mainRule.id as string,
    faqBotId: bot.id as string,
    faqEntryId: 'hours',
    webhookId,
    deliveryId,
    replayJobId: (replay.jobId ?? replay.id) as string,
    campaignId,
    runId,
    scheduledMessageId,
    bulkJobId: bulk.id as string,
    otherAccountId: other.id as string,
    spare: {
      contactId: spareContact.id as string,
      templateId: spareTemplate.id as string,
      autoReplyId: spareRule.id as string,
      faqBotId: spareBot.id as string,
      replacedFaqBotId: replacedBot.id as string,
      faqEntryId: 'spare',
      webhookId: spareWebhookId,
      campaignId: spareCampaignId,
      scheduledMessageId: spareScheduledId,
    },
  };
}

/** A webhook receiver on loopback that answers 204 to everything (the fuzzer's webhooks point here). */
export async function startReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

/**
 * Answers host lookups of this process without the network: `localhost` is loopback, any other
 * name is ENOTFOUND at once. The fuzzer creates webhooks (and media URLs) for made-up hosts and
 * example.com; on a machine whose resolver is slow or unreachable, the deliveries' lookups would
 * fill libuv's thread pool and the API's own URL checks would wait behind them, so the run would
 * measure the machine's DNS instead of the API. Returns the function that restores the lookup.
 */
export function resolveOffline(): () => void {
  const original = dns.promises.lookup;
  const offline = async (hostname: string, options?: unknown): Promise<unknown> => {
    if (hostname === 'localhost') {
      const loopback = { address: '127.0.0.1', family: 4 };
      return (options as { all?: boolean } | undefined)?.all ? [loopback] : loopback;
    }
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
  };
  dns.promises.lookup = offline as typeof dns.promises.lookup;
  return () => {
    dns.promises.lookup = original;
  };
}
