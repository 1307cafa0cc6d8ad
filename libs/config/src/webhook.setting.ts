import { csv, int, num, pemFile, spec } from './setting.parsers';

/** Webhook delivery settings (part of SETTINGS, in this order). */
export const WEBHOOK_SETTINGS = {
  WEBHOOK_ALLOWED_NETWORKS: spec({
    parse: csv,
    doc: 'Networks (CIDRs, comma-separated) webhook URLs may reach although they are private, loopback or link-local (tests, private deployments); empty = none (SSRF guard)',
  }),
  WEBHOOK_CA_FILE: spec({
    parse: pemFile,
    doc: 'PEM file of extra CA certificates trusted for https webhook URLs, on top of the public roots (receivers with a private CA); empty = public roots only',
  }),
  WEBHOOK_TIMEOUT_MS: spec({
    parse: int({ min: 100, max: 120000 }),
    doc: 'Time limit of one webhook delivery attempt (connect, send, response)',
  }),
  WEBHOOK_RETRY_SCALE: spec({
    parse: num({ min: 0.000001, max: 100 }),
    doc: 'Multiplies the webhook retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h); below 1 compresses time for tests',
  }),
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: spec({
    parse: int({ min: 1, max: 1000 }),
    doc: 'Concurrent requests to one webhook endpoint from one worker process',
  }),
  WEBHOOK_MAX_HELD_PER_ENDPOINT: spec({
    parse: int({ min: 10, max: 10000000 }),
    doc: 'Deliveries of one endpoint a worker keeps in memory; beyond that they wait in MongoDB and are read back in order as the endpoint catches up (a dead endpoint cannot fill the memory)',
  }),
  WEBHOOK_LEASE_MS: spec({
    parse: int({ min: 1000, max: 600000 }),
    doc: "Lease a worker holds on a partition of webhook deliveries (renewed at a third); must exceed WEBHOOK_TIMEOUT_MS. A dead worker's deliveries move after this long",
  }),
  WEBHOOK_CONSUMER_SESSION_TIMEOUT_MS: spec({
    parse: int({ min: 6000, max: 300000 }),
    doc: "Kafka session timeout of the `webhooks` consumer group (how soon a dead worker's partitions move)",
  }),
  WEBHOOK_AUTO_DISABLE_AFTER_MS: spec({
    parse: int({ min: 1000 }),
    doc: 'An endpoint with nothing but failed deliveries for this long is disabled (default 5 days)',
  }),
  WEBHOOK_JOB_POLL_MS: spec({
    parse: int({ min: 50, max: 60000 }),
    doc: 'How often workers look for redelivery and replay requests',
  }),
  WEBHOOK_RETENTION_DAYS: spec({
    parse: int({ min: 1, max: 3650 }),
    doc: 'How long webhook deliveries and their attempts are kept',
  }),
} as const;
