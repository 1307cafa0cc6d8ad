import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DisabledAccountsStore } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { EventEnvelope, MediaRef, SendMessageCommandData } from '@wwb/contracts';
import { NodeLivenessService, OutgoingTagStore } from '@wwb/gateway';
import { PermanentError, RetryableError } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { OutgoingMessage, phoneNumberOfChatId, WhatsAppDriver, WhatsAppDriverError } from '@wwb/whatsapp';
import { MediaStore } from '../media';
import { MessageStatusProducer } from './message-status.producer';
import { OutboundMessageRepository } from '../outbound';
import { MessageSendRecord, sendClaimId } from './message-send.schema';
import { parseSendCommand, SEND_FAILURE_CODES, SendFailureCode, textOf } from './send-command.mapper';
import { decideClaim, holdersInFlight, mayCallDriver, SENDING_LEASE_MS } from './send-claim.policy';
import { SendClaimRepository } from './send-claim.repository';

/** What the gateway hands a command handler: the connection's running session. */
export interface SendSession {
  connectionId: string;
  accountId: string;
  driver: WhatsAppDriver;
}

interface Claim {
  kind: 'claim';
  /** `_id` of the claim generation this handler holds. */
  id: string;
  /** Since when this message waits for its connection to be ready (now, for a first delivery). */
  waitingSince: Date;
}

type Outcome =
  | { ok: true; waMessageId: string; at: Date; link: boolean }
  | { ok: false; code: SendFailureCode; message: string };

/** A claim older than this (plus one ready wait) is presumed dead: its gateway stopped before calling WhatsApp. */
const CLAIM_GRACE_MS = 60_000;

/**
 * Statuses that become `ready` only through something outside this gateway (a QR scan, the
 * phone back online, a start): a send finding its connection in one of them does not wait in
 * place (it would hold its connection's later commands, e.g. the pairing code that links it);
 * it is parked and resumed when the connection is ready (ParkedSendResumer), or fails
 * `not_ready` at a re-publish after MESSAGE_READY_TIMEOUT_MS.
 */
const PARK_STATUSES: ReadonlySet<string> = new Set(['qr', 'disconnected', 'failed', 'logged_out', 'stopped']);

/**
 * Handles `gateway.message.send` on the gateway that runs the connection. At most once per
 * message, whatever the number of deliveries of the command (Kafka redelivery, the sweeper's
 * re-publish): the send is claimed by a unique insert keyed by OUR message id before the driver
 * is called. Then: wait for `ready` (a slice of a third of the gateway session timeout per
 * delivery, so the consumer keeps its group membership; the command is retried until
 * MESSAGE_READY_TIMEOUT_MS has passed since the first wait, then fails `not_ready`), load the media from GridFS,
 * check that a phone number is on WhatsApp, call the driver, and record the outcome: status
 * `sent` with the WhatsApp id (linked to our id, so that acks find the message) or `failed`
 * with a reason, and publish `message.status` carrying both ids.
 */
@Injectable()
export class MessageSendHandler {
  private readonly logger: Logger;
  private readonly readyTimeoutMs: number;
  /** Longest wait for `ready` within one delivery: well under the gateway group's session timeout. */
  private readonly readySliceMs: number;

  constructor(
    private readonly claims: SendClaimRepository,
    private readonly messages: OutboundMessageRepository,
    private readonly media: MediaStore,
    private readonly statusEvents: MessageStatusProducer,
    private readonly tags: OutgoingTagStore,
    private readonly accounts: DisabledAccountsStore,
    private readonly liveness: NodeLivenessService,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'MessageSendHandler' });
    this.readyTimeoutMs = config.messaging.readyTimeoutMs;
    this.readySliceMs = Math.max(500, Math.floor(config.gateway.sessionTimeoutMs / 3));
  }

  async handle(command: EventEnvelope, session: SendSession): Promise<void> {
    const data = parseSendCommand(command.data);
    if (!data) throw new PermanentError(`gateway.message.send ${command.id} has invalid data`);
    const { messageId, chatId } = data;
    const log = this.logger.child({ messageId, connectionId: session.connectionId });

    const disabled = this.accounts.isDisabled(session.accountId);
    const parkable = !disabled && PARK_STATUSES.has(session.driver.state.status);
    const claim = await this.takeClaim(messageId, session, chatId, parkable);
    if (claim.kind === 'parked') return;
    if (claim.kind === 'done') return this.resettle(messageId, session, chatId);
    if (claim.kind === 'interrupted') {
      const recorded = await this.messages.statusesOf(messageId);
      if (!recorded.some((r) => r.status === 'sent' || r.status === 'failed')) {
        log.warn('a send was interrupted during the driver call; failing it rather than sending twice');
        await this.record(messageId, session, fail('send_interrupted', SEND_FAILURE_CODES.send_interrupted));
      }
      return this.resettle(messageId, session, chatId);
    }

    let outcome: Outcome | 'waiting' | 'parked' | 'aborted';
    try {
      outcome = await this.send(session, data, claim);
    } catch (err) {
      // Nothing was sent: back off, so that the retry of the command takes over.
      await this.claims.setState(claim.id, 'claimed', 'aborted').catch(() => undefined);
      throw err;
    }
    if (outcome === 'parked') {
      await this.claims.setState(claim.id, 'claimed', 'waiting', { waitingSince: claim.waitingSince });
      log.info(
        { status: session.driver.state.status },
        'connection not ready; the send is parked until it is',
      );
      return;
    }
    if (outcome === 'waiting') {
      await this.claims.setState(claim.id, 'claimed', 'waiting', { waitingSince: claim.waitingSince });
      // Retried in place for a couple of slices (a restart takes seconds); after that the command
      // is let go, and the sweeper's next re-publish of the pending message tries again.
      if (this.clock.nowMs() - claim.waitingSince.getTime() < 2 * this.readySliceMs) {
        throw new RetryableError(`connection ${session.connectionId} is not ready yet; ${messageId} waits`);
      }
      log.info(
        { waitingSince: claim.waitingSince },
        'connection not ready; the message waits for a re-publish',
      );
      return;
    }
    if (outcome === 'aborted') {
      throw new RetryableError(`another handler claimed the send of ${messageId} meanwhile`);
    }
    await this.record(messageId, session, outcome);
    const now = this.clock.now();
    if (!(await this.claims.setState(claim.id, 'sending', 'done', { doneAt: now }))) {
      await this.claims.setState(claim.id, 'claimed', 'done', { doneAt: now });
    }
    await this.publish(messageId, session, chatId, outcome);
    await this.settle(messageId);
    if (outcome.ok) log.debug({ waMessageId: outcome.waMessageId }, 'message sent');
    else log.info({ code: outcome.code, reason: outcome.message }, 'message failed');
  }

  /**
   * Claims the send (see decideClaim) by inserting the next claim generation, which only one of
   * racing handlers can do. An interrupted send is closed by inserting a `done` generation.
   */
  private async takeClaim(
    messageId: string,
    session: SendSession,
    chatId: string,
    parkable: boolean,
  ): Promise<Claim | { kind: 'done' } | { kind: 'interrupted' } | { kind: 'parked' }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      const gens = await this.claims.generations(messageId);
      const holders = holdersInFlight(gens);
      const dead = holders.length ? await this.liveness.deadAmong(holders) : undefined;
      const decision = decideClaim(
        gens,
        now.getTime(),
        { claimGraceMs: CLAIM_GRACE_MS + this.readySliceMs, sendingLeaseMs: SENDING_LEASE_MS },
        dead,
      );
      if (decision.kind === 'done') return decision;
      if (decision.kind === 'busy') throw new RetryableError(`${messageId}: ${decision.reason}`);
      const id = sendClaimId(messageId, decision.gen);
      const base = {
        _id: id,
        messageId,
        gen: decision.gen,
        accountId: session.accountId,
        connectionId: session.connectionId,
        chatId,
        nodeId: this.liveness.self,
        claimedAt: now,
      };
      if (decision.kind === 'interrupted') {
        if (await this.claims.insert({ ...base, state: 'done', doneAt: now })) return { kind: 'interrupted' };
        continue;
      }
      const waitingSince = decision.waitingSince ?? now;
      if (parkable && now.getTime() - waitingSince.getTime() < this.readyTimeoutMs) {
        // Connection not ready: park, with as few writes as possible (the sweeper re-publishes
        // pending messages, and each re-publish reaches this connection's lane).
        const latest = gens.reduce<MessageSendRecord | undefined>(
          (a, g) => (!a || g.gen > a.gen ? g : a),
          undefined,
        );
        if (latest?.state === 'waiting') return { kind: 'parked' };
        if (await this.claims.insert({ ...base, state: 'waiting', waitingSince })) return { kind: 'parked' };
        continue;
      }
      const inserted = await this.claims.insert({
        ...base,
        state: 'claimed',
        ...(decision.waitingSince ? { waitingSince: decision.waitingSince } : {}),
      });
      if (inserted) return { kind: 'claim', id, waitingSince };
    }
    throw new RetryableError(`could not claim the send of ${messageId}`);
  }

  private async send(
    session: SendSession,
    data: SendMessageCommandData,
    claim: Claim,
  ): Promise<Outcome | 'waiting' | 'parked' | 'aborted'> {
    const { driver } = session;
    if (this.accounts.isDisabled(session.accountId)) {
      return fail('account_disabled', SEND_FAILURE_CODES.account_disabled);
    }
    const left = this.readyTimeoutMs - (this.clock.nowMs() - claim.waitingSince.getTime());
    if (left > 0 && PARK_STATUSES.has(driver.state.status)) return 'parked';
    const slice = Math.max(0, Math.min(left, this.readySliceMs));
    try {
      await driver.waitForStatus('ready', slice);
    } catch {
      if (left - slice > 0) return 'waiting';
      return fail('not_ready', `the connection is ${driver.state.status}, not ready`);
    }
    const content = data.message as unknown as OutgoingWithRef;
    let outgoing: OutgoingMessage;
    if ('media' in content && content.media) {
      const bytes = await this.media.read({ accountId: session.accountId }, content.media.uploadId);
      if (!bytes) return fail('media_missing', `upload ${content.media.uploadId} no longer exists`);
      outgoing = {
        ...content,
        media: {
          mimetype: content.media.mimetype,
          data: bytes.toString('base64'),
          ...(content.media.filename ? { filename: content.media.filename } : {}),
        },
      } as OutgoingMessage;
    } else {
      outgoing = content as unknown as OutgoingMessage;
    }

    const digits = phoneNumberOfChatId(data.chatId);
    if (digits) {
      try {
        const check = await driver.checkNumber(digits);
        if (!check.registered) return fail('number_not_on_whatsapp', `+${digits} is not on WhatsApp`);
      } catch (err) {
        if (err instanceof WhatsAppDriverError && err.code === 'not_ready') {
          return fail('not_ready', err.message);
        }
        // A failed lookup is no reason not to try the send itself.
        this.logger.warn({ err, messageId: data.messageId }, 'number check failed; sending anyway');
      }
    }

    if (!(await this.claims.setState(claim.id, 'claimed', 'sending', { sendingAt: this.clock.now() }))) {
      return 'aborted';
    }
    if (!mayCallDriver(await this.claims.generations(data.messageId), claim.id)) {
      await this.claims.setState(claim.id, 'sending', 'aborted');
      return 'aborted';
    }
    // Tags the driver's message.created for this send with our id and origin (message.sent).
    const text = textOf(outgoing);
    const tag = {
      messageId: data.messageId,
      ...(data.origin ? { origin: data.origin } : {}),
      ...(text !== undefined ? { text } : {}),
    };
    const forget = this.tags.expect(session.connectionId, data.chatId, tag);
    try {
      const result = await driver.sendMessage(data.chatId, outgoing);
      this.tags.settle(session.connectionId, data.chatId, tag, result.messageId);
      return {
        ok: true,
        waMessageId: result.messageId,
        at: new Date(result.timestamp),
        link: outgoing.type !== 'reaction',
      };
    } catch (err) {
      forget();
      if (err instanceof WhatsAppDriverError) {
        const code: SendFailureCode =
          err.code in SEND_FAILURE_CODES ? (err.code as SendFailureCode) : 'send_failed';
        return fail(code, err.message);
      }
      return fail('send_failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** Status record (first writer wins) and, for a sent message, the WhatsApp id -> our id link. */
  private async record(messageId: string, session: SendSession, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    if (outcome.ok) {
      if (outcome.link) {
        await this.claims.link({
          _id: `${session.connectionId}/${outcome.waMessageId}`,
          messageId,
          accountId: session.accountId,
          connectionId: session.connectionId,
          waMessageId: outcome.waMessageId,
          createdAt: now,
        });
      }
      await this.messages.recordStatus(
        {
          messageId,
          accountId: session.accountId,
          status: 'sent',
          at: outcome.at,
          waMessageId: outcome.waMessageId,
        },
        now,
      );
    } else {
      await this.messages.recordStatus(
        {
          messageId,
          accountId: session.accountId,
          status: 'failed',
          at: now,
          reason: { code: outcome.code, message: outcome.message },
        },
        now,
      );
    }
  }

  private async publish(
    messageId: string,
    session: SendSession,
    chatId: string,
    outcome: Outcome,
  ): Promise<void> {
    if (outcome.ok) {
      await this.statusEvents.publish(session, chatId, {
        messageId,
        waMessageId: outcome.waMessageId,
        status: 'sent',
        at: outcome.at,
      });
    } else {
      await this.statusEvents.publish(session, chatId, {
        messageId,
        status: 'failed',
        reason: outcome.code,
        at: this.clock.now(),
      });
    }
  }

  /**
   * The send was settled by an earlier delivery of the command, which may have stopped before
   * publishing its event or clearing `pending`: do both again from the recorded outcome.
   */
  private async resettle(messageId: string, session: SendSession, chatId: string): Promise<void> {
    const statuses = await this.messages.statusesOf(messageId);
    const sent = statuses.find((s) => s.status === 'sent');
    const failed = statuses.find((s) => s.status === 'failed' && s.reason);
    if (sent?.waMessageId) {
      await this.statusEvents.publish(session, chatId, {
        messageId,
        waMessageId: sent.waMessageId,
        status: 'sent',
        at: sent.at,
      });
    } else if (failed?.reason) {
      await this.statusEvents.publish(session, chatId, {
        messageId,
        status: 'failed',
        reason: failed.reason.code,
        at: failed.at,
      });
    }
    await this.settle(messageId);
  }

  private async settle(messageId: string): Promise<void> {
    await this.messages.settle(messageId);
    await this.messages.forgetRequeue(messageId);
  }
}

type OutgoingWithRef = { type: string; media?: MediaRef } & Record<string, unknown>;

const fail = (code: SendFailureCode, message: string): Outcome => ({ ok: false, code, message });
