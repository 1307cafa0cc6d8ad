import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { quotaExceeded } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import type { MediaRef } from '@wwb/contracts';
import { AppLogger } from '@wwb/observability';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { ConnectionLookupService } from './connection-lookup.service';
import { IdempotencyRepository } from './idempotency.repository';
import { MediaStore, MimetypePolicy } from '../media';
import { MediaUrlFetcher } from './media-url.fetcher';
import { MessageCommandProducer } from './message-command.producer';
import { SendQuota, SendQuotaService } from './send-quota.service';
import {
  MESSAGE_SOURCES,
  MessageOrigin,
  OutboundMessageRecord,
  OutboundMessageRepository,
} from '../outbound';
import { checkMimetype } from './send-media.parser';
import { sendError } from './send-request.errors';
import {
  MediaSource,
  MessageDraft,
  MessageType,
  parseSendRequest,
  SendLimits,
  SendMessageBody,
  withMedia,
} from './send-request.parser';

/** What to send, on which connection, on whose behalf. */
export interface SendMessageCommand {
  connectionId: string;
  /** The same shape as the body of POST /v1/connections/:id/messages. */
  message: SendMessageBody;
  /** Same key and message: the earlier message again (`replayed`); another message: 422. */
  idempotencyKey?: string;
  /** Who sends it; `{ source: 'api' }` when absent. */
  origin?: MessageOrigin;
  /**
   * The account's plan limits to enforce (the API passes them). Absent: the message, its media
   * fetch and its bytes are counted but never refused (automated replies: a refusal would hold
   * up the inbound pipeline, which AUTOMATION_MAX_REPLIES_PER_CHAT bounds instead).
   */
  quota?: SendQuota;
  /**
   * The id the message gets, when it was given one before (a scheduled message keeps the id it
   * was scheduled under); a new `msg_<ULID>` when absent. Pair it with an idempotencyKey: the key
   * is what makes a second execute with the same id a replay rather than a duplicate.
   */
  messageId?: string;
  /** The time it was scheduled for (kept on the message for GET). */
  scheduledFor?: Date;
}

export interface SendMessageResult {
  id: string;
  status: 'queued';
  /** True when the Idempotency-Key matched an earlier request: nothing new was created. */
  replayed: boolean;
}

/** Media bytes resolved before the message is stored (base64, or fetched from a URL). */
type ResolvedMedia = { ref: MediaRef } | { bytes: { data: Buffer; mimetype: string; filename?: string } };

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const MESSAGE_ID = /^msg_[0-9A-Z]{26}$/;
const REPLAY_WAIT_MS = 5_000;
const REPLAY_POLL_MS = 25;
const STALE_CLAIM_MARGIN_MS = 20_000;

export const idempotencyKeyReused = (): DomainError =>
  new DomainError(
    'rejected',
    'idempotency_key_reused',
    'This Idempotency-Key was used for a different request (another body or connection)',
  );

/**
 * Sending a message, for any caller (the HTTP API, the automation consumers): validation (each
 * problem its own `invalid` code, see SEND_ERROR_CODES), media resolution (an upload
 * of the account, base64 bytes, or a URL fetched through the SSRF guard) and storage in GridFS,
 * the Idempotency-Key, then the durable part: the message is stored in Mongo (pending) BEFORE
 * the answer; the `gateway.message.send` command is published alongside the answer, not before
 * it. If that publish fails the message is still accepted: the sweeper re-publishes pending
 * messages. Knows no transport: it throws DomainErrors (the HTTP filter maps their kinds to
 * statuses; a consumer retries what is transient). The caller checks an API key's reach to the
 * connection; the use case checks the account's.
 *
 * Per-account limits (command.quota): each pending message holds a slot of its account's
 * pendingMessages, on the message itself, until the gateway settles it (429
 * too_many_pending_messages when the account holds its limit: its flood waits in its own quota,
 * never in front of other accounts), a media URL fetch holds a quota slot while it runs (429
 * too_many_media_fetches), and stored bytes must stay within mediaBytes (403).
 */
@Injectable()
export class SendMessageUseCase {
  private readonly limits: SendLimits;
  private readonly logger: Logger;
  /** Longer than any live request holds its Idempotency-Key before storing (a media URL fetch included). */
  private readonly staleClaimMs: number;

  constructor(
    private readonly connections: ConnectionLookupService,
    private readonly messages: OutboundMessageRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly media: MediaStore,
    private readonly fetcher: MediaUrlFetcher,
    private readonly commands: MessageCommandProducer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly quotas: SendQuotaService,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.limits = {
      maxMediaBytes: config.media.maxBytes,
      mimetypes: new MimetypePolicy(config.media.allowedMimetypes),
    };
    this.logger = appLogger.child({ context: 'SendMessageUseCase' });
    this.staleClaimMs = config.media.urlTimeoutMs + STALE_CLAIM_MARGIN_MS;
  }

  async execute(scope: AccountScope, command: SendMessageCommand): Promise<SendMessageResult> {
    const { connectionId, message: body } = command;
    const connection = await this.connections.get(scope, connectionId);
    const key = checkIdempotencyKey(command.idempotencyKey);
    const origin = checkOrigin(command.origin);
    const draft = parseSendRequest(body, this.limits);
    const fingerprint = key ? fingerprintOf(connectionId, body) : '';

    const id = command.messageId ?? this.ids.prefixed('msg');
    if (command.messageId !== undefined && !MESSAGE_ID.test(command.messageId)) {
      throw DomainError.invalid('invalid_message_id', 'messageId must be a msg_<ULID> id');
    }
    if (key) {
      // The claim (a unique insert) is also the lookup: a key used before answers with its record,
      // so a new message costs one round trip here. Claimed before anything else is checked, so
      // an earlier request replays as it did whatever changed since (connection state, media).
      const claim = await this.idempotency.claim(scope, key, {
        messageId: id,
        fingerprint,
        createdAt: this.clock.now(),
      });
      if (!claim.claimed) {
        if (claim.existing.fingerprint !== fingerprint) throw idempotencyKeyReused();
        const earlier = { connectionId, key, messageId: claim.existing.messageId };
        return this.replay(scope, earlier, () => this.execute(scope, command));
      }
    }

    let record: OutboundMessageRecord;
    const { quota } = command;
    /** An upload this request stored itself (base64 or URL media), deleted again if the send is refused. */
    let storedNow: string | undefined;
    try {
      checkRunning(connection);
      // While this process knows the account at its limit, refused before any media is handled.
      if (quota && this.messages.atLimit(scope.accountId)) throw pendingLimitReached(quota);
      const resolved = draft.media
        ? await this.resolveMedia(scope, draft.content.type, draft.media, { id, quota })
        : undefined;
      const ref = resolved ? await this.store(scope, resolved, quota) : undefined;
      if (resolved && 'bytes' in resolved) storedNow = ref?.uploadId;
      record = this.newRecord(scope, {
        connectionId,
        id,
        to: body.to ?? '',
        draft,
        media: ref,
        key,
        origin,
        scheduledFor: command.scheduledFor,
      });
      // The message holds its pendingMessages slot itself: one write stores it and takes the slot.
      const held = await this.messages.insertHolding(record, quota ? quota.pendingMessages : null);
      if (!held) throw pendingLimitReached(quota!);
    } catch (err) {
      if (key) await this.idempotency.release(scope, key, id).catch(() => undefined);
      // A refusal (the pendingMessages limit, checked by the insert) stored no message: the bytes
      // stored for it go, and the account's mediaBytes gets them back now rather than at the
      // next retention run. Any other error may have stored the message after all (a lost
      // answer): its media stays, and retention deletes it if nothing refers to it.
      if (storedNow && err instanceof DomainError) await this.media.delete(storedNow).catch(() => undefined);
      throw err;
    }

    // The message is durable now; the command goes out without holding the answer. A publish
    // that fails (or a process that dies first) leaves the message pending: the sweeper
    // publishes it after MESSAGE_REQUEUE_AFTER_MS.
    this.commands.publishSend(record).catch((err: unknown) => {
      this.logger.warn({ err, messageId: id }, 'send command not published; the sweeper will publish it');
    });
    return { id, status: 'queued', replayed: false };
  }

  /**
   * The message an earlier request with this key stored. That request may still be storing it:
   * wait for it; if it failed and gave the key back meanwhile, this request runs anew (`again`).
   */
  private async replay(
    scope: AccountScope,
    earlier: { connectionId: string; key: string; messageId: string },
    again: () => Promise<SendMessageResult>,
  ): Promise<SendMessageResult> {
    const deadline = this.clock.nowMs() + REPLAY_WAIT_MS;
    for (let polls = 0; ; polls++) {
      // By `_id` alone (the cheapest filter on FerretDB 1.24, checked in SQLite), the rest here.
      const message = await this.messages.findById(earlier.messageId);
      if (message && message.accountId === scope.accountId && message.connectionId === earlier.connectionId)
        return { id: message._id, status: 'queued', replayed: true };
      if (polls > 0) {
        const claim = await this.idempotency.find(scope, earlier.key);
        if (claim?.messageId !== earlier.messageId) return again();
        // A claim this old whose message was never stored belongs to a request that died between
        // the two writes (no live request takes that long): it is given back and this one runs.
        if (this.clock.nowMs() - claim.createdAt.getTime() > this.staleClaimMs) {
          await this.idempotency.release(scope, earlier.key, earlier.messageId);
          return again();
        }
      }
      if (this.clock.nowMs() > deadline) {
        throw DomainError.conflict(
          'idempotency_key_in_progress',
          'A request with this Idempotency-Key is still being processed; retry shortly',
        );
      }
      await this.clock.sleep(REPLAY_POLL_MS);
    }
  }

  private async resolveMedia(
    scope: AccountScope,
    type: MessageType,
    source: MediaSource,
    send: { id: string; quota?: SendQuota },
  ): Promise<ResolvedMedia> {
    switch (source.kind) {
      case 'upload': {
        const upload = await this.media.find(scope, source.uploadId);
        if (!upload) throw sendError('upload_not_found', `no upload ${source.uploadId} in this account`);
        const mimetype = source.mimetype ?? upload.mimetype;
        checkMimetype(type, mimetype, this.limits);
        const filename = source.filename ?? upload.filename;
        return { ref: { uploadId: upload.uploadId, mimetype, ...(filename ? { filename } : {}) } };
      }
      case 'base64':
        return {
          bytes: {
            data: source.data,
            mimetype: source.mimetype,
            ...(source.filename ? { filename: source.filename } : {}),
          },
        };
      case 'url': {
        const fetched = await this.quotas.whileFetching(scope, send.id, send.quota, () =>
          this.fetcher.fetch(source.url),
        );
        const mimetype = source.mimetype ?? fetched.mimetype;
        if (!mimetype) {
          throw sendError('mimetype_required', 'the media URL sent no Content-Type; give media.mimetype');
        }
        checkMimetype(type, mimetype, this.limits);
        const filename = source.filename ?? fetched.filename;
        return { bytes: { data: fetched.data, mimetype, ...(filename ? { filename } : {}) } };
      }
    }
  }

  private async store(scope: AccountScope, resolved: ResolvedMedia, quota?: SendQuota): Promise<MediaRef> {
    if ('ref' in resolved) return resolved.ref;
    await this.quotas.checkStoredBytes(scope, resolved.bytes.data.length, quota);
    const stored = await this.media.save(scope, resolved.bytes);
    return {
      uploadId: stored.uploadId,
      mimetype: stored.mimetype,
      ...(stored.filename ? { filename: stored.filename } : {}),
    };
  }

  private newRecord(
    scope: AccountScope,
    m: {
      connectionId: string;
      id: string;
      to: string;
      draft: MessageDraft;
      media: MediaRef | undefined;
      key: string | undefined;
      origin: MessageOrigin;
      scheduledFor: Date | undefined;
    },
  ): OutboundMessageRecord {
    return {
      _id: m.id,
      accountId: scope.accountId,
      connectionId: m.connectionId,
      chatId: m.draft.chatId,
      to: m.to,
      type: m.draft.content.type,
      content: withMedia(m.draft.content, m.media),
      ...(m.key ? { idempotencyKey: m.key } : {}),
      origin: m.origin,
      pending: true,
      ...(m.scheduledFor ? { scheduledFor: m.scheduledFor } : {}),
      createdAt: this.clock.now(),
    };
  }
}

const pendingLimitReached = (quota: SendQuota): DomainError =>
  quotaExceeded('pendingMessages', quota.plan, quota.pendingMessages ?? 0);

function checkRunning(connection: { desiredState: string; status: string }): void {
  if (connection.desiredState !== 'running') {
    throw DomainError.conflict(
      'connection_stopped',
      'The connection is stopped; POST /v1/connections/{id}/restart starts it again',
    );
  }
  if (connection.status === 'logged_out') {
    throw DomainError.conflict('connection_logged_out', 'The connection is logged out; link it again first');
  }
}

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || /[\u0000-\u001f\u007f]/.test(key)) {
    throw DomainError.invalid(
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 255 printable characters',
    );
  }
  return key;
}

const MAX_ORIGIN_ID_LENGTH = 128;

/** Origins come from our own consumers, but what is stored and published is checked all the same. */
function checkOrigin(origin: MessageOrigin | undefined): MessageOrigin {
  if (origin === undefined) return { source: 'api' };
  if (!(MESSAGE_SOURCES as readonly string[]).includes(origin.source)) {
    throw DomainError.invalid('invalid_origin', `origin.source must be one of ${MESSAGE_SOURCES.join(', ')}`);
  }
  const out: MessageOrigin = { source: origin.source };
  for (const field of ['ruleId', 'botId', 'triggerEventId', 'campaignId', 'runId'] as const) {
    const value = origin[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value || value.length > MAX_ORIGIN_ID_LENGTH) {
      throw DomainError.invalid('invalid_origin', `origin.${field} must be a non-empty id`);
    }
    out[field] = value;
  }
  return out;
}

/** sha256 of the connection and the body with its keys sorted: equal requests, equal fingerprints. */
export function fingerprintOf(connectionId: string, body: unknown): string {
  return createHash('sha256').update(connectionId).update('\n').update(canonicalJson(body)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
