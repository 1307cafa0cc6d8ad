import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { ConnectionRepository, GatewayReplyRepository, PlacementRecord } from '@wwb/connections';
import { ACK_STATUSES, AckStatus, EventEnvelope, GATEWAY_COMMANDS, GatewayReply } from '@wwb/contracts';
import { PermanentError } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { SimulatorDriver, SimulatorInboundMessage, WhatsAppDriver, WhatsAppDriverError } from '@wwb/whatsapp';
import { ConnectionRef, ConnectionSupervisor } from './connection.supervisor';

/** The command's data is not what its type promises. */
class InvalidCommandError extends PermanentError {
  override readonly name = 'InvalidCommandError';
}

/** A refusal answered to the caller (not retried). */
class RequestRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Data = Record<string, unknown>;

function dataOf(command: EventEnvelope): Data {
  const data = command.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidCommandError(`${command.type}: data must be an object`);
  }
  return data as Data;
}

function str(data: Data, key: string, type: string, optional: true): string | undefined;
function str(data: Data, key: string, type: string, optional?: false): string;
function str(data: Data, key: string, type: string, optional = false): string | undefined {
  const value = data[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) {
    throw new InvalidCommandError(`${type}: ${key} must be a non-empty string`);
  }
  return value;
}

/** A message text: any non-empty string up to WhatsApp's 65,536 characters. */
function text(data: Data, type: string): string {
  const value = data.text;
  if (typeof value !== 'string' || value.length === 0 || value.length > 65_536) {
    throw new InvalidCommandError(`${type}: text must be a non-empty string`);
  }
  return value;
}

/** How long after the API gave up a request is still carried out (clock skew between nodes). */
const REQUEST_GRACE_MS = 5_000;

const refOf = (p: PlacementRecord): ConnectionRef => ({
  id: p._id,
  accountId: p.accountId,
  driver: p.driver,
});

/**
 * The built-in gateway commands: the connection lifecycle (start, stop, restart, logout, delete)
 * and the request/reply commands (pairing code, number check, simulator controls). Lifecycle
 * commands are checked against the desired state in Mongo, so a redelivered or outdated command
 * does no harm (a start for a deleted connection, a restart older than the running session).
 */
@Injectable()
export class ConnectionCommandHandlers {
  private readonly logger: Logger;
  private readonly requestTtlMs: number;

  constructor(
    private readonly supervisor: ConnectionSupervisor,
    private readonly connections: ConnectionRepository,
    private readonly replies: GatewayReplyRepository,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ConnectionCommands' });
    this.requestTtlMs = config.gateway.replyTimeoutMs + REQUEST_GRACE_MS;
  }

  /** Handles `command` if it is a built-in one; false otherwise. */
  async handle(command: EventEnvelope): Promise<boolean> {
    const connectionId = command.connectionId!;
    const issuedAt = new Date(command.occurredAt);
    switch (command.type) {
      case GATEWAY_COMMANDS.connectionStart: {
        const p = await this.placement(command, 'running');
        if (p) await this.supervisor.start(refOf(p));
        return true;
      }
      case GATEWAY_COMMANDS.connectionStop: {
        const p = await this.connections.placement(connectionId);
        if (p?.desiredState === 'running') this.stale(command, 'the connection should run');
        else await this.supervisor.stop(connectionId, 'stopped');
        return true;
      }
      case GATEWAY_COMMANDS.connectionRestart: {
        const p = await this.placement(command, 'running');
        if (p && (await this.supervisor.restart(refOf(p), issuedAt)) === 'stale') {
          this.stale(command, 'the session started after this restart was asked for');
        }
        return true;
      }
      case GATEWAY_COMMANDS.connectionLogout: {
        const p = await this.connections.placement(connectionId);
        if (!p || p.desiredState === 'deleted') this.stale(command, 'the connection is deleted');
        else if (p.desiredState === 'running' && p.desiredAt > issuedAt) {
          this.stale(command, 'the connection was restarted after this logout');
        } else if ((await this.supervisor.logout(refOf(p), issuedAt)) === 'stale') {
          this.stale(command, 'the connection was restarted after this logout');
        }
        return true;
      }
      case GATEWAY_COMMANDS.connectionDelete: {
        const p = await this.placement(command, 'deleted');
        if (p) await this.supervisor.delete(refOf(p));
        return true;
      }
      case GATEWAY_COMMANDS.pairingCodeRequest:
        await this.request(command, async (data, driver) => {
          const code = await driver.requestPairingCode(str(data, 'phoneNumber', command.type));
          return { code };
        });
        return true;
      case GATEWAY_COMMANDS.contactCheck:
        await this.request(command, (data, driver) => driver.checkNumber(str(data, 'phone', command.type)));
        return true;
      case GATEWAY_COMMANDS.simulatorScan:
        await this.simulator(command, (data, sim) =>
          sim.scan({
            ...optional('phoneNumber', str(data, 'phoneNumber', command.type, true)),
            ...optional('pushName', str(data, 'pushName', command.type, true)),
          }),
        );
        return true;
      case GATEWAY_COMMANDS.simulatorInbound:
        await this.simulator(command, async (data, sim) => {
          const message = data.message;
          if (typeof message !== 'object' || message === null || typeof (message as Data).from !== 'string') {
            throw new InvalidCommandError(`${command.type}: message.from is required`);
          }
          const received = sim.inbound(message as unknown as SimulatorInboundMessage);
          return { waMessageId: received.id, chatId: received.chatId };
        });
        return true;
      case GATEWAY_COMMANDS.simulatorPhoneMessage:
        await this.simulator(command, async (data, sim) => {
          const typed = sim.phoneMessage({
            to: str(data, 'to', command.type),
            text: text(data, command.type),
          });
          return { waMessageId: typed.id, chatId: typed.chatId };
        });
        return true;
      case GATEWAY_COMMANDS.simulatorAck:
        await this.simulator(command, async (data, sim) => {
          const status = str(data, 'status', command.type) as AckStatus;
          if (!ACK_STATUSES.includes(status))
            throw new InvalidCommandError(`${command.type}: unknown status ${status}`);
          sim.ack(str(data, 'waMessageId', command.type), status);
          return {};
        });
        return true;
      case GATEWAY_COMMANDS.simulatorDisconnect:
        await this.simulator(command, async (data, sim) => {
          await sim.disconnect(str(data, 'reason', command.type));
          return {};
        });
        return true;
      default:
        return false;
    }
  }

  /** The connection if its desired state is `wanted`; else the command is outdated (logged, skipped). */
  private async placement(
    command: EventEnvelope,
    wanted: PlacementRecord['desiredState'],
  ): Promise<PlacementRecord | null> {
    const p = await this.connections.placement(command.connectionId!);
    if (!p) {
      this.stale(command, 'the connection no longer exists');
      return null;
    }
    if (p.desiredState !== wanted) {
      this.stale(command, `the connection is ${p.desiredState}`);
      return null;
    }
    if (p.accountId !== command.accountId) throw new InvalidCommandError(`${command.type}: account mismatch`);
    return p;
  }

  private stale(command: EventEnvelope, why: string): void {
    this.logger.info(
      { type: command.type, connectionId: command.connectionId, commandId: command.id, why },
      'command skipped',
    );
  }

  private simulator(
    command: EventEnvelope,
    run: (data: Data, driver: SimulatorDriver) => Promise<unknown>,
  ): Promise<void> {
    return this.request(command, (data, driver) => {
      if (driver.kind !== 'simulator') {
        throw new RequestRefused(
          'not_a_simulator_connection',
          `simulator controls only work on simulator connections (this one uses ${driver.kind})`,
        );
      }
      if (!(driver instanceof SimulatorDriver)) {
        throw new RequestRefused('connection_not_running', 'the connection is not running');
      }
      return run(data, driver);
    });
  }

  /**
   * A request/reply command: runs it against the connection's driver and stores the answer in
   * `gateway_replies` (the API polls it). A request older than the API's wait is dropped.
   */
  private async request(
    command: EventEnvelope,
    run: (data: Data, driver: WhatsAppDriver) => Promise<unknown>,
  ): Promise<void> {
    const data = dataOf(command);
    const requestId = str(data, 'requestId', command.type);
    const age = this.clock.nowMs() - Date.parse(command.occurredAt);
    if (age > this.requestTtlMs) {
      this.stale(command, `nobody waits for the answer any more (${age} ms old)`);
      return;
    }
    const connectionId = command.connectionId!;
    const reply: GatewayReply = {
      requestId,
      accountId: command.accountId,
      connectionId,
      ok: false,
      createdAt: this.clock.now(),
    };
    try {
      const session = await this.supervisor.session(connectionId, command.accountId);
      if (session.accountId !== command.accountId)
        throw new InvalidCommandError(`${command.type}: account mismatch`);
      reply.result = (await run(data, session.driver)) ?? {};
      reply.ok = true;
    } catch (err) {
      reply.error = refusal(err);
      if (reply.error.code === 'internal_error') {
        this.logger.error({ err, type: command.type, connectionId }, 'gateway request failed');
      }
    }
    reply.createdAt = this.clock.now();
    await this.replies.put(reply);
  }
}

function refusal(err: unknown): { code: string; message: string } {
  if (err instanceof WhatsAppDriverError || err instanceof RequestRefused)
    return { code: err.code, message: err.message };
  if (err instanceof InvalidCommandError) return { code: 'invalid_request', message: err.message };
  return { code: 'internal_error', message: 'The gateway failed to carry out the request' };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
