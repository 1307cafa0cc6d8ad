import { Injectable } from '@nestjs/common';
import { PageCursor } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';
import { ConnectionLookupService } from '../send/connection-lookup.service';
import { SendQuotaService } from '../send/send-quota.service';
import { ScheduledMessageRepository } from './scheduled-message.repository';
import { ScheduledAction, ScheduledMessageRecord, ScheduledState } from './scheduled-message.schema';
import { scheduledMessageNotFound } from './schedule-message.service';
import { parseSendAt } from './send-at.policy';

export interface ScheduledMessageView {
  id: string;
  connectionId: string;
  to: string;
  type: string;
  status: ScheduledState;
  sendAt: string;
  /** Why it could not be sent, when status is failed. */
  error: { code: string; message: string } | null;
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduledMessagePage {
  data: ScheduledMessageView[];
  nextCursor: string | null;
}

const MAX_PAGE = 200;

export function toScheduledView(r: ScheduledMessageRecord): ScheduledMessageView {
  return {
    id: r._id,
    connectionId: r.connectionId,
    to: r.body.to ?? '',
    type: r.body.type ?? '',
    status: r.state,
    sendAt: r.sendAt.toISOString(),
    error: r.state === 'failed' && r.error ? r.error : null,
    source: r.origin.source,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** 409 when the runner has taken the message to send it (or a concurrent change won). */
function lostTo(recorded: ScheduledAction | null): DomainError {
  if (recorded === 'fire') {
    return DomainError.conflict(
      'message_already_sending',
      'The message is being sent (its sendAt has come); it can no longer be changed or cancelled',
    );
  }
  return DomainError.conflict(
    'scheduled_message_changed',
    'The scheduled message was changed by another request at the same moment; read it and retry',
  );
}

/**
 * Reading, rescheduling and cancelling scheduled messages of a connection (another account's, or
 * a message already sent, is 404: sent messages are read at GET .../messages/{id}). A change wins
 * the action claim of the version it read first, so it cannot interleave with the runner
 * sending the message or with another change.
 */
@Injectable()
export class ScheduledMessagesService {
  constructor(
    private readonly connections: ConnectionLookupService,
    private readonly scheduled: ScheduledMessageRepository,
    private readonly quotas: SendQuotaService,
    private readonly clock: Clock,
  ) {}

  async list(
    scope: AccountScope,
    connectionId: string,
    page: { cursor?: string; limit?: number },
  ): Promise<ScheduledMessagePage> {
    await this.connections.get(scope, connectionId);
    const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_PAGE);
    const after = page.cursor ? PageCursor.decode(page.cursor) : undefined;
    const rows = await this.scheduled.list(scope, connectionId, after, limit + 1);
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map(toScheduledView),
      nextCursor: rows.length > limit && last ? PageCursor.encode({ at: last.sendAt, id: last._id }) : null,
    };
  }

  async get(scope: AccountScope, connectionId: string, id: string): Promise<ScheduledMessageView> {
    return toScheduledView(await this.load(scope, connectionId, id));
  }

  /** A new sendAt for a message still waiting (a failed one is sent again with a new request). */
  async reschedule(
    scope: AccountScope,
    connectionId: string,
    id: string,
    sendAtRaw: unknown,
  ): Promise<ScheduledMessageView> {
    const current = await this.load(scope, connectionId, id);
    const sendAt = parseSendAt(sendAtRaw, this.clock.now());
    if (current.state !== 'scheduled') {
      throw DomainError.conflict(
        'message_not_scheduled',
        'The message failed when its sendAt came; send it again with a new request',
      );
    }
    const now = this.clock.now();
    const claim = await this.scheduled.claim(id, current.version, 'reschedule', now);
    if (!claim.won) throw lostTo(claim.recorded);
    const next: ScheduledMessageRecord = {
      ...current,
      sendAt,
      dueAt: sendAt,
      attempts: 0,
      version: current.version + 1,
      updatedAt: now,
    };
    await this.scheduled.replace(next);
    return toScheduledView(next);
  }

  /** Cancels a waiting message (or forgets a failed one); it is then gone (404). */
  async cancel(scope: AccountScope, connectionId: string, id: string): Promise<void> {
    const current = await this.load(scope, connectionId, id);
    const claim = await this.scheduled.claim(id, current.version, 'cancel', this.clock.now());
    if (!claim.won) throw lostTo(claim.recorded);
    await this.scheduled.remove(id);
    if (current.slotId) await this.quotas.releaseScheduledSlot(current.slotId, id);
  }

  private async load(scope: AccountScope, connectionId: string, id: string): Promise<ScheduledMessageRecord> {
    await this.connections.get(scope, connectionId);
    const record = /^msg_[0-9A-Z]{26}$/.test(id) ? await this.scheduled.find(scope, connectionId, id) : null;
    if (!record) throw scheduledMessageNotFound();
    return record;
  }
}
