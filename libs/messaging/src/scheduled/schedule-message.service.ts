import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { MediaStore, MimetypePolicy } from '../media';
import { MessageOrigin } from '../outbound';
import { ConnectionLookupService } from '../send/connection-lookup.service';
import { IdempotencyRepository } from '../send/idempotency.repository';
import { SendQuota, SendQuotaService } from '../send/send-quota.service';
import { parseSendRequest, SendLimits, SendMessageBody } from '../send/send-request.parser';
import { checkIdempotencyKey, fingerprintOf, idempotencyKeyReused } from '../send/send-message.service';
import { ScheduledMessageRepository } from './scheduled-message.repository';
import { ScheduledMessageRecord } from './scheduled-message.schema';
import { parseSendAt } from './send-at.policy';

export interface ScheduleMessageCommand {
  connectionId: string;
  /** The send request body, without sendAt. */
  message: SendMessageBody;
  /** As the client sent it (ISO 8601 with a zone). */
  sendAt: unknown;
  idempotencyKey?: string;
  /** Who schedules it; `{ source: 'scheduled' }` when absent. */
  origin?: MessageOrigin;
  /** The plan's limits (scheduledMessages, mediaBytes); absent: counted, never refused. */
  quota?: SendQuota;
}

export interface ScheduleMessageResult {
  id: string;
  status: 'scheduled';
  sendAt: Date;
  replayed: boolean;
}

/**
 * Scheduling a message for later: checked now exactly as a send would be (each problem its own
 * 400 code), so that a scheduled message fails later only for what changes meanwhile (the
 * connection deleted or stopped, an upload expired). Base64 media is stored as an upload at once
 * (it counts against mediaBytes from now on, and the scheduled document stays small); media URLs
 * are fetched when the message is sent. Each scheduled message holds a scheduledMessages quota
 * slot until it is sent, fails or is cancelled. Knows no transport.
 */
@Injectable()
export class ScheduleMessageUseCase {
  private readonly limits: SendLimits;

  constructor(
    private readonly connections: ConnectionLookupService,
    private readonly scheduled: ScheduledMessageRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly media: MediaStore,
    private readonly quotas: SendQuotaService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.limits = {
      maxMediaBytes: config.media.maxBytes,
      mimetypes: new MimetypePolicy(config.media.allowedMimetypes),
    };
  }

  async execute(scope: AccountScope, command: ScheduleMessageCommand): Promise<ScheduleMessageResult> {
    const { connectionId, message: body } = command;
    await this.connections.get(scope, connectionId);
    const key = checkIdempotencyKey(command.idempotencyKey);
    const sendAt = parseSendAt(command.sendAt, this.clock.now());
    const draft = parseSendRequest(body, this.limits);

    const id = this.ids.prefixed('msg');
    if (key) {
      const fingerprint = fingerprintOf(connectionId, { ...body, sendAt: sendAt.toISOString() });
      const claim = await this.idempotency.claim(scope, key, {
        messageId: id,
        fingerprint,
        createdAt: this.clock.now(),
      });
      if (!claim.claimed) {
        if (claim.existing.fingerprint !== fingerprint) throw idempotencyKeyReused();
        // The first request answers for both; what it scheduled may have been sent since.
        return { id: claim.existing.messageId, status: 'scheduled', sendAt, replayed: true };
      }
    }

    let slotId: string | undefined;
    try {
      slotId = await this.quotas.takeScheduledSlot(scope, id, command.quota);
      // A plain copy without undefined fields: the driver would store them as null, which the
      // parser reads as present when the message is sent.
      let stored = JSON.parse(JSON.stringify(body)) as SendMessageBody;
      if (draft.media?.kind === 'base64') {
        await this.quotas.checkStoredBytes(scope, draft.media.data.length, command.quota);
        const upload = await this.media.save(scope, draft.media);
        stored = {
          ...stored,
          media: {
            uploadId: upload.uploadId,
            mimetype: upload.mimetype,
            ...(upload.filename ? { filename: upload.filename } : {}),
          },
        };
      }
      const now = this.clock.now();
      const record: ScheduledMessageRecord = {
        _id: id,
        accountId: scope.accountId,
        connectionId,
        body: stored,
        origin: command.origin ?? { source: 'scheduled' },
        sendAt,
        dueAt: sendAt,
        version: 0,
        state: 'scheduled',
        attempts: 0,
        slotId,
        createdAt: now,
        updatedAt: now,
      };
      await this.scheduled.insert(record);
    } catch (err) {
      if (slotId) await this.quotas.releaseScheduledSlot(slotId, id).catch(() => undefined);
      if (key) await this.idempotency.release(scope, key, id).catch(() => undefined);
      throw err;
    }
    return { id, status: 'scheduled', sendAt, replayed: false };
  }
}

export const scheduledMessageNotFound = (): DomainError => DomainError.notFound('Scheduled message');
