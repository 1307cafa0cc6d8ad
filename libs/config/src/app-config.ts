import {
  bool,
  csv,
  hostPortList,
  int,
  listOf,
  oneOf,
  SettingError,
  SettingSpec,
  spec,
  str,
  url,
} from './setting.parsers';
import { planLimitOverrides } from './plan-limits.setting';
import { WEBHOOK_SETTINGS } from './webhook.setting';
import { ANALYTICS_SETTINGS } from './analytics.setting';
import { CONSOLE_SETTINGS } from './console.setting';
import {
  LOG_LEVELS,
  NODE_ENVS,
  WHATSAPP_DRIVERS,
  WORKER_CONSUMER_SETS,
  WorkerConsumerSet,
} from './choices.setting';

export * from './choices.setting';

/**
 * Every setting the platform reads. Defaults live in config/default.json; the environment
 * overrides them; .env.example documents each one (a unit test keeps the three in step).
 */
export const SETTINGS = {
  NODE_ENV: spec({ parse: oneOf(NODE_ENVS), doc: 'development, production or test' }),
  LOG_LEVEL: spec({ parse: oneOf(LOG_LEVELS), doc: 'pino log level' }),
  HTTP_HOST: spec({ parse: str({ minLength: 1 }), doc: 'Interface the HTTP API listens on' }),
  HTTP_PORT: spec({ parse: int({ min: 0, max: 65535 }), doc: 'Port of the HTTP API (0 = any free port)' }),
  HTTP_BODY_LIMIT_BYTES: spec({
    parse: int({ min: 1024, max: 64 * 1024 * 1024 }),
    doc: 'Largest accepted JSON request body, in bytes',
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: spec({
    parse: int({ min: 1000, max: 120_000 }),
    doc: "How long an idle keep-alive connection stays open. Keep it above the idle timeout of any load balancer in front (60 s on AWS's): the side that closes first races the other's next request, and a balancer whose connection the server closed answers 502",
  }),
  PUBLIC_BASE_URL: spec({ parse: url(['http:', 'https:']), doc: 'Base URL printed in logs and docs' }),
  ADMIN_API_KEY: spec({
    parse: str({ minLength: 32 }),
    secret: true,
    doc: 'Operator key for /v1/admin (at least 32 characters). Required.',
  }),
  METRICS_TOKEN: spec({
    parse: (raw: string) => {
      if (raw !== '' && raw.length < 16)
        throw new SettingError('must be empty or at least 16 characters long');
      return raw;
    },
    secret: true,
    doc: 'Bearer token for GET /metrics and the detailed GET /health/ready body (which dependency is down) on HTTP_PORT; empty = neither is served there (use METRICS_PORT). /health/live and the readiness status stay open',
  }),
  METRICS_PORT: spec({
    parse: int({ min: 0, max: 65535 }),
    doc: 'Separate port (on HTTP_HOST) serving GET /metrics and the detailed GET /health/ready without a token, for a scraper on a private network; 0 = none',
  }),
  RATE_LIMIT_PER_SECOND: spec({
    parse: int({ min: 1 }),
    doc: 'Sustained requests per second allowed per API key, over all API processes together',
  }),
  RATE_LIMIT_BURST: spec({
    parse: int({ min: 1 }),
    doc: 'Requests one API key may make at once; also the per-key budget of each window of BURST/PER_SECOND seconds (at least 1 s), over all API processes',
  }),
  AUTH_FAILURES_PER_MINUTE: spec({
    parse: int({ min: 1 }),
    doc: 'Failed authentications (API key or operator key) allowed per client address and minute, over all API processes; further failures get 429 too_many_auth_failures',
  }),
  RATE_LIMIT_SYNC_MS: spec({
    parse: int({ min: 0, max: 10000 }),
    doc: 'How often each API process shares its rate-limit and failed-authentication counts with the others through MongoDB (ms); 0 = each process limits on its own',
  }),
  TRUST_PROXY: spec({
    parse: int({ min: 0, max: 10 }),
    doc: 'Number of reverse proxies in front of the API whose X-Forwarded-For is trusted for the client address (0 = the socket address)',
  }),
  SSE_MAX_STREAMS_PER_KEY: spec({
    parse: int({ min: 1, max: 1000 }),
    doc: 'Live event streams (GET /v1/connections/:id/events) one API key may hold open at once, per API process; one more is 429 too_many_streams',
  }),
  PLAN_LIMITS: spec({
    parse: planLimitOverrides,
    doc: 'Per-plan limits replacing the built-in ones, as JSON: `{"<plan>":{"<resource>":<integer or null>}}` (null = unlimited), e.g. `{"starter":{"pendingMessages":200,"mediaBytes":104857600}}`. Resources: apiKeys, connections, webhooks, templates, autoReplies, faqBots, campaigns, users, contacts, pendingMessages, mediaBytes, sseStreams, webhookJobs, mediaFetches, scheduledMessages, bulkJobs; the built-in values are in docs/api.md (Plans and limits). An unknown plan or resource stops the process at start-up',
  }),
  API_KEY_CACHE_TTL_MS: spec({
    parse: int({ min: 0, max: 60000 }),
    doc: 'How long an API process caches a verified key (revocation on other processes waits at most this long)',
  }),
  MONGO_URI: spec({
    parse: url(['mongodb:', 'mongodb+srv:']),
    secret: true,
    doc: 'MongoDB (7+) or FerretDB connection string, with the database name',
  }),
  MONGO_AUTO_INDEX: spec({ parse: bool, doc: 'Create indexes at start-up' }),
  KAFKA_BROKERS: spec({ parse: hostPortList, doc: 'Comma-separated Kafka bootstrap brokers' }),
  KAFKA_CLIENT_ID: spec({ parse: str({ minLength: 1 }), doc: 'Kafka client id' }),
  KAFKA_TOPIC_PREFIX: spec({ parse: str(), doc: 'Prefix of every topic name' }),
  KAFKA_EVENTS_PARTITIONS: spec({ parse: int({ min: 1, max: 1000 }), doc: 'Partitions of the events topic' }),
  KAFKA_COMMANDS_PARTITIONS: spec({
    parse: int({ min: 1, max: 1000 }),
    doc: 'Partitions of the gateway commands topic',
  }),
  KAFKA_REPLICATION_FACTOR: spec({
    parse: int({ min: 1, max: 10 }),
    doc: 'Replication factor of new topics',
  }),
  CONSUMER_MAX_ATTEMPTS: spec({
    parse: int({ min: 1, max: 100 }),
    doc: 'Attempts for a retryable consumer error before the message goes to the dead-letter topic',
  }),
  CONSUMER_RETRY_BASE_MS: spec({
    parse: int({ min: 1 }),
    doc: 'First retry delay of a consumer, doubled each time',
  }),
  CONSUMER_RETRY_MAX_MS: spec({ parse: int({ min: 1 }), doc: 'Largest retry delay of a consumer' }),
  SHUTDOWN_TIMEOUT_MS: spec({ parse: int({ min: 100 }), doc: 'Grace period for in-flight work at shutdown' }),
  WORKER_CONSUMERS: spec({
    parse: listOf(WORKER_CONSUMER_SETS),
    doc: 'Consumer sets a worker process runs, comma-separated: webhooks (fan-out and delivery), event-log (stores every event), messaging (send queue sweeper, statuses, conversations), automation (contacts from inbound messages, opt-outs, auto-reply rules, FAQ bots), campaigns (the campaign scheduler and planner), analytics (the daily counters of GET /v1/analytics). Every set must run somewhere; split them to scale one on its own (e.g. dedicated webhook workers)',
  }),
  WHATSAPP_DRIVER: spec({
    parse: listOf(WHATSAPP_DRIVERS),
    doc: 'WhatsApp drivers allowed, comma-separated: webjs (real WhatsApp Web) and/or simulator; the first is the default for new connections',
  }),
  CHROMIUM_PATH: spec({ parse: str({ minLength: 1 }), doc: 'Chromium executable the webjs driver launches' }),
  WHATSAPP_DATA_DIR: spec({
    parse: str({ minLength: 1 }),
    doc: 'Folder for WhatsApp browser profiles and local session archives',
  }),
  GATEWAY_SESSION_TIMEOUT_MS: spec({
    parse: int({ min: 6000, max: 300000 }),
    doc: "Kafka session timeout of the gateway group: how soon a dead gateway's connections move to the others",
  }),
  GATEWAY_HANDOFF_WAIT_MS: spec({
    parse: int({ min: 0, max: 600000 }),
    doc: 'Longest wait of a gateway taking over a connection for the previous, still live, owner to stop it and save its session',
  }),
  GATEWAY_REPLY_TIMEOUT_MS: spec({
    parse: int({ min: 100, max: 120000 }),
    doc: 'How long the API waits for a gateway answer (pairing code, number check, simulator controls) before 504 gateway_timeout',
  }),
  MEDIA_MAX_BYTES: spec({
    parse: int({ min: 1024, max: 100 * 1024 * 1024 }),
    doc: 'Largest media file accepted (upload, base64 or URL), in bytes',
  }),
  MEDIA_ALLOWED_MIMETYPES: spec({
    parse: csv,
    doc: 'Media types accepted, comma-separated; `type/*` or a trailing `*` matches a family (application/vnd.*)',
  }),
  MEDIA_URL_ALLOW_PRIVATE_HOSTS: spec({
    parse: csv,
    doc: 'Media URL hosts (names, IPs or CIDRs) allowed to resolve to private, loopback or link-local addresses; empty = none (SSRF guard)',
  }),
  MEDIA_URL_TIMEOUT_MS: spec({
    parse: int({ min: 100, max: 120000 }),
    doc: 'Time limit for fetching media given by URL when a message is accepted',
  }),
  MESSAGE_READY_TIMEOUT_MS: spec({
    parse: int({ min: 0, max: 300000 }),
    doc: 'How long a gateway waits for a connection to become ready before failing a send with not_ready',
  }),
  MESSAGE_REQUEUE_AFTER_MS: spec({
    parse: int({ min: 100 }),
    doc: 'A message still queued this long after it was accepted (or last re-published) is published again',
  }),
  MESSAGE_COMMAND_LINGER_MS: spec({
    parse: int({ min: 0, max: 1000 }),
    doc: "How long an accepted message's send command waits to share a Kafka produce request with others (after the answer; 0 = at once)",
  }),
  CAMPAIGN_PLAN_STALE_MS: spec({
    parse: int({ min: 1000 }),
    doc: 'A campaign run not planned this long after it was claimed is planned again (its planner died)',
  }),
  MESSAGE_SWEEP_INTERVAL_MS: spec({
    parse: int({ min: 100 }),
    doc: 'How often one worker (holding a lease in Mongo) looks for queued messages to re-publish',
  }),
  MEDIA_RETENTION_DAYS: spec({
    parse: int({ min: 1, max: 3650 }),
    doc: 'How long stored media (uploads, base64 and URL media of sent messages) is kept; older files are deleted unless a pending message or a template still uses them',
  }),
  EVENT_LOG_RETENTION_DAYS: spec({
    parse: int({ min: 1, max: 3650 }),
    doc: 'How long the event log (GET /v1/events, webhook replays) keeps events',
  }),
  RETENTION_SWEEP_INTERVAL_MS: spec({
    parse: int({ min: 1000 }),
    doc: 'How often one worker (holding a lease in Mongo) deletes expired media and events, in bounded batches',
  }),
  IDEMPOTENCY_KEY_TTL_HOURS: spec({
    parse: int({ min: 1, max: 24 * 30 }),
    doc: 'How long an Idempotency-Key of POST /messages is remembered',
  }),
  ...WEBHOOK_SETTINGS,
  OPT_OUT_KEYWORDS: spec({
    parse: csv,
    doc: 'Extra words (comma-separated, e.g. in other languages) that opt a contact out when an inbound message is exactly one of them, besides STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT; case and accents are ignored',
  }),
  OPT_IN_KEYWORDS: spec({
    parse: csv,
    doc: 'Words (comma-separated) that opt a contact back in when an inbound message is exactly one of them, besides START; case and accents are ignored',
  }),
  OPT_OUT_CONFIRMATION: spec({
    parse: str({}),
    doc: 'Text sent to a contact who opted out with a keyword (the one automated message they still get); empty = none',
  }),
  OPT_IN_CONFIRMATION: spec({
    parse: str({}),
    doc: 'Text sent to a contact who opted back in with a keyword; empty = none',
  }),
  AUTOMATION_MAX_REPLIES_PER_CHAT: spec({
    parse: int({ min: 1, max: 1000 }),
    doc: 'Loop breaker: most automated replies (rules, FAQ bots) sent to one chat per 10 minutes; beyond it automation stays silent there (two bots answering each other stop)',
  }),
  AUTOMATION_HUMAN_PAUSE_MINUTES: spec({
    parse: int({ min: 0, max: 7 * 24 * 60 }),
    doc: 'How long automation pauses in a chat after a human answered there (typed on the phone or sent through the API); 0 = no pause',
  }),
  ...ANALYTICS_SETTINGS,
  ...CONSOLE_SETTINGS,
} as const;

export type SettingName = keyof typeof SETTINGS;
type Parsed<K extends SettingName> = (typeof SETTINGS)[K] extends SettingSpec<infer T> ? T : never;
export type RawSettings = { [K in SettingName]: Parsed<K> };

/** The validated, structured configuration every module receives. */
export class AppConfig {
  constructor(readonly raw: RawSettings) {}

  get env() {
    return this.raw.NODE_ENV;
  }
  get logLevel() {
    return this.raw.LOG_LEVEL;
  }
  get http() {
    return {
      host: this.raw.HTTP_HOST,
      port: this.raw.HTTP_PORT,
      bodyLimitBytes: this.raw.HTTP_BODY_LIMIT_BYTES,
      keepAliveTimeoutMs: this.raw.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      publicBaseUrl: this.raw.PUBLIC_BASE_URL,
      trustProxyHops: this.raw.TRUST_PROXY,
    };
  }
  get auth() {
    return {
      adminApiKey: this.raw.ADMIN_API_KEY,
      rateLimitPerSecond: this.raw.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: this.raw.RATE_LIMIT_BURST,
      authFailuresPerMinute: this.raw.AUTH_FAILURES_PER_MINUTE,
      limitSyncMs: this.raw.RATE_LIMIT_SYNC_MS,
      keyCacheTtlMs: this.raw.API_KEY_CACHE_TTL_MS,
      sseMaxStreamsPerKey: this.raw.SSE_MAX_STREAMS_PER_KEY,
    };
  }
  /** PLAN_LIMITS: the limits replacing the built-in ones, per plan and resource. */
  get planLimits() {
    return this.raw.PLAN_LIMITS;
  }
  get metrics() {
    return { token: this.raw.METRICS_TOKEN || null, port: this.raw.METRICS_PORT };
  }
  get mongo() {
    return { uri: this.raw.MONGO_URI, autoIndex: this.raw.MONGO_AUTO_INDEX };
  }
  get kafka() {
    const prefix = this.raw.KAFKA_TOPIC_PREFIX;
    return {
      brokers: this.raw.KAFKA_BROKERS,
      clientId: this.raw.KAFKA_CLIENT_ID,
      replicationFactor: this.raw.KAFKA_REPLICATION_FACTOR,
      topics: {
        events: { name: `${prefix}events`, partitions: this.raw.KAFKA_EVENTS_PARTITIONS },
        commands: { name: `${prefix}commands`, partitions: this.raw.KAFKA_COMMANDS_PARTITIONS },
        deadLetter: { name: `${prefix}dead-letter`, partitions: 1 },
      },
      consumer: {
        maxAttempts: this.raw.CONSUMER_MAX_ATTEMPTS,
        retryBaseMs: this.raw.CONSUMER_RETRY_BASE_MS,
        retryMaxMs: this.raw.CONSUMER_RETRY_MAX_MS,
      },
    };
  }
  get whatsapp() {
    return {
      drivers: this.raw.WHATSAPP_DRIVER,
      defaultDriver: this.raw.WHATSAPP_DRIVER[0]!,
      chromiumPath: this.raw.CHROMIUM_PATH,
      dataDir: this.raw.WHATSAPP_DATA_DIR,
    };
  }
  get gateway() {
    return {
      sessionTimeoutMs: this.raw.GATEWAY_SESSION_TIMEOUT_MS,
      handoffWaitMs: this.raw.GATEWAY_HANDOFF_WAIT_MS,
      replyTimeoutMs: this.raw.GATEWAY_REPLY_TIMEOUT_MS,
    };
  }
  get media() {
    return {
      maxBytes: this.raw.MEDIA_MAX_BYTES,
      allowedMimetypes: this.raw.MEDIA_ALLOWED_MIMETYPES,
      urlAllowPrivateHosts: this.raw.MEDIA_URL_ALLOW_PRIVATE_HOSTS,
      urlTimeoutMs: this.raw.MEDIA_URL_TIMEOUT_MS,
    };
  }
  get retention() {
    return {
      mediaDays: this.raw.MEDIA_RETENTION_DAYS,
      eventLogDays: this.raw.EVENT_LOG_RETENTION_DAYS,
      sweepIntervalMs: this.raw.RETENTION_SWEEP_INTERVAL_MS,
    };
  }
  get messaging() {
    return {
      readyTimeoutMs: this.raw.MESSAGE_READY_TIMEOUT_MS,
      requeueAfterMs: this.raw.MESSAGE_REQUEUE_AFTER_MS,
      commandLingerMs: this.raw.MESSAGE_COMMAND_LINGER_MS,
      sweepIntervalMs: this.raw.MESSAGE_SWEEP_INTERVAL_MS,
      idempotencyKeyTtlHours: this.raw.IDEMPOTENCY_KEY_TTL_HOURS,
      campaignPlanStaleMs: this.raw.CAMPAIGN_PLAN_STALE_MS,
    };
  }
  get webhooks() {
    return {
      allowedNetworks: this.raw.WEBHOOK_ALLOWED_NETWORKS,
      timeoutMs: this.raw.WEBHOOK_TIMEOUT_MS,
      /** Extra CAs for https webhooks (PEM), trusted besides the public roots. */
      extraCa: this.raw.WEBHOOK_CA_FILE,
      retryScale: this.raw.WEBHOOK_RETRY_SCALE,
      maxInFlightPerEndpoint: this.raw.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT,
      maxHeldPerEndpoint: this.raw.WEBHOOK_MAX_HELD_PER_ENDPOINT,
      leaseMs: this.raw.WEBHOOK_LEASE_MS,
      sessionTimeoutMs: this.raw.WEBHOOK_CONSUMER_SESSION_TIMEOUT_MS,
      autoDisableAfterMs: this.raw.WEBHOOK_AUTO_DISABLE_AFTER_MS,
      jobPollMs: this.raw.WEBHOOK_JOB_POLL_MS,
      retentionDays: this.raw.WEBHOOK_RETENTION_DAYS,
    };
  }
  get contacts() {
    return { optOutKeywords: this.raw.OPT_OUT_KEYWORDS, optInKeywords: this.raw.OPT_IN_KEYWORDS };
  }
  get automation() {
    return {
      optOutConfirmation: this.raw.OPT_OUT_CONFIRMATION,
      optInConfirmation: this.raw.OPT_IN_CONFIRMATION,
      maxRepliesPerChat: this.raw.AUTOMATION_MAX_REPLIES_PER_CHAT,
      humanPauseMinutes: this.raw.AUTOMATION_HUMAN_PAUSE_MINUTES,
    };
  }
  get analytics() {
    return {
      replyWindowHours: this.raw.ANALYTICS_REPLY_WINDOW_HOURS,
      // Replies are attributed from the same memory, so it lasts at least the reply window.
      attributionDays: Math.max(
        this.raw.ANALYTICS_ATTRIBUTION_DAYS,
        Math.ceil(this.raw.ANALYTICS_REPLY_WINDOW_HOURS / 24),
      ),
      retentionDays: this.raw.ANALYTICS_RETENTION_DAYS,
      usageFlushMs: this.raw.API_USAGE_FLUSH_MS,
    };
  }
  get console() {
    return { sessionTtlMs: this.raw.CONSOLE_SESSION_TTL_HOURS * 3_600_000 };
  }
  get workerConsumers(): readonly WorkerConsumerSet[] {
    return this.raw.WORKER_CONSUMERS;
  }
  get shutdownTimeoutMs() {
    return this.raw.SHUTDOWN_TIMEOUT_MS;
  }
}
