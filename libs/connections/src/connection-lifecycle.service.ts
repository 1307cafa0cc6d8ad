import { Injectable } from '@nestjs/common';
import { AccountsService, Principal } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import {
  ConnectionCreatedData,
  ConnectionDeletedData,
  GATEWAY_COMMANDS,
  GatewayCommandType,
  PairingCodeRequestData,
  SimulatorAckData,
  SimulatorDisconnectData,
  SimulatorInboundData,
  SimulatorPhoneMessageData,
  SimulatorScanData,
} from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock, IdGenerator } from '@wwb/runtime';
import {
  connectionNotFound,
  driverNotEnabled,
  messageNotFound,
  notASimulatorConnection,
  notWaitingForQr,
  restrictedKeyCannotCreate,
} from './connection.errors';
import { ConnectionRecord, DriverKind } from './connection.schema';
import { ConnectionRepository } from './connection.repository';
import { ConnectionView, toConnectionView } from './connection.view';
import { ConnectionsService } from './connections.service';
import { GatewayClient, GatewayRequestError } from './gateway-link/gateway.client';
import { SentMessageLookupClient } from './gateway-link/sent-message-lookup.client';

type RequestPayload<T> = Omit<T, 'requestId'>;

/** Our message ids; WhatsApp's never look like this. */
const MESSAGE_ID = /^msg_[0-9A-Z]{26}$/;

/**
 * What the connection endpoints change: creation within the plan, deletion, restart and logout
 * (commands for the owning gateway), the QR code, pairing codes and the simulator controls
 * (request/reply through the gateway).
 */
@Injectable()
export class ConnectionLifecycleService {
  constructor(
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly connections: ConnectionRepository,
    private readonly reader: ConnectionsService,
    private readonly gateway: GatewayClient,
    private readonly events: EventFactory,
    private readonly publisher: EventPublisher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly sentMessages: SentMessageLookupClient,
  ) {}

  /**
   * Creates a connection (a plan slot first: 403 plan_limit_exceeded) and asks the gateways to
   * start it. The document is stored before the command, so a gateway that misses the command
   * still starts it at its next reconciliation.
   */
  async create(principal: Principal, input: { name: string; driver?: DriverKind }): Promise<ConnectionView> {
    if (principal.restricted) throw restrictedKeyCannotCreate();
    const enabled = this.config.whatsapp.drivers;
    const driver = input.driver ?? this.config.whatsapp.defaultDriver;
    if (!enabled.includes(driver)) throw driverNotEnabled(driver, enabled);
    const scope = principal.scope;
    const id = this.ids.prefixed('con');
    await this.accounts.reserveConnection(scope, id);
    const now = this.clock.now();
    const record: ConnectionRecord = {
      _id: id,
      accountId: scope.accountId,
      name: input.name,
      driver,
      desiredState: 'running',
      desiredAt: now,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.connections.insert(record);
    } catch (err) {
      await this.accounts.releaseConnection(scope, id);
      throw err;
    }
    await this.publisher.publish(
      this.events.create({
        type: 'connection.created',
        accountId: scope.accountId,
        connectionId: id,
        data: { name: record.name, driver, createdAt: now.toISOString() } satisfies ConnectionCreatedData,
      }),
    );
    await this.gateway.send({ id, accountId: scope.accountId }, GATEWAY_COMMANDS.connectionStart);
    return toConnectionView(record, null);
  }

  /**
   * Deletes a connection: at once for the API (404 afterwards, plan slot given back); its gateway
   * then stops it, logs it out and deletes its session data.
   */
  async delete(principal: Principal, id: string): Promise<void> {
    const view = await this.reader.getForPrincipal(principal, id);
    const now = this.clock.now();
    if (!(await this.connections.setDesiredState(principal.scope, id, 'deleted', now)))
      throw connectionNotFound();
    await this.accounts.releaseConnection(principal.scope, id);
    await this.publisher.publish(
      this.events.create({
        type: 'connection.deleted',
        accountId: view.accountId,
        connectionId: id,
        data: { name: view.name, deletedAt: now.toISOString() } satisfies ConnectionDeletedData,
      }),
    );
    await this.gateway.send(view, GATEWAY_COMMANDS.connectionDelete);
  }

  /** Stops and starts the session again (a logged-out connection shows a new QR code). */
  restart(principal: Principal, id: string): Promise<ConnectionView> {
    return this.changeDesired(principal, id, 'running', GATEWAY_COMMANDS.connectionRestart);
  }

  /** Unlinks the phone and deletes the session; the connection stays, stopped, until a restart. */
  logout(principal: Principal, id: string): Promise<ConnectionView> {
    return this.changeDesired(principal, id, 'stopped', GATEWAY_COMMANDS.connectionLogout);
  }

  /** The QR code to scan, or 409 connection_not_waiting_for_qr. */
  async qr(principal: Principal, id: string): Promise<{ qr: string; issuedAt: Date }> {
    const view = await this.reader.getForPrincipal(principal, id);
    if (view.status !== 'qr' || !view.qr) throw notWaitingForQr(view.status);
    return { qr: view.qr.value, issuedAt: view.qr.at };
  }

  /** Asks the owning gateway for a pairing code (link by phone number instead of a scan). */
  async pairingCode(principal: Principal, id: string, phoneNumber: string): Promise<{ code: string }> {
    const view = await this.reader.getForPrincipal(principal, id);
    if (view.status !== 'qr') throw notWaitingForQr(view.status);
    const data: RequestPayload<PairingCodeRequestData> = { phoneNumber: phoneNumber.replace(/^\+/, '') };
    try {
      return await this.gateway.request<{ code: string }>(view, GATEWAY_COMMANDS.pairingCodeRequest, data);
    } catch (err) {
      if (err instanceof GatewayRequestError && err.gatewayCode === 'not_ready')
        throw notWaitingForQr(view.status);
      throw err;
    }
  }

  simulatorScan(principal: Principal, id: string, data: RequestPayload<SimulatorScanData>): Promise<unknown> {
    return this.simulator(principal, id, GATEWAY_COMMANDS.simulatorScan, data);
  }

  simulatorInbound(
    principal: Principal,
    id: string,
    data: RequestPayload<SimulatorInboundData>,
  ): Promise<unknown> {
    return this.simulator(principal, id, GATEWAY_COMMANDS.simulatorInbound, data);
  }

  simulatorPhoneMessage(
    principal: Principal,
    id: string,
    data: RequestPayload<SimulatorPhoneMessageData>,
  ): Promise<unknown> {
    return this.simulator(principal, id, GATEWAY_COMMANDS.simulatorPhoneMessage, data);
  }

  /** `data.waMessageId` may also be our id (`msg_...`, what the send returned): its WhatsApp id is acked. */
  async simulatorAck(
    principal: Principal,
    id: string,
    data: RequestPayload<SimulatorAckData>,
  ): Promise<unknown> {
    const view = await this.simulatorConnection(principal, id);
    let waMessageId = data.waMessageId;
    if (MESSAGE_ID.test(waMessageId)) {
      const linked = await this.sentMessages.waMessageIdOf(principal.scope, view.id, waMessageId);
      if (!linked) throw messageNotFound();
      waMessageId = linked;
    }
    return this.gateway.request<unknown>(view, GATEWAY_COMMANDS.simulatorAck, { ...data, waMessageId });
  }

  simulatorDisconnect(
    principal: Principal,
    id: string,
    data: RequestPayload<SimulatorDisconnectData>,
  ): Promise<unknown> {
    return this.simulator(principal, id, GATEWAY_COMMANDS.simulatorDisconnect, data);
  }

  private async simulator(
    principal: Principal,
    id: string,
    type: GatewayCommandType,
    data: object,
  ): Promise<unknown> {
    return this.gateway.request<unknown>(await this.simulatorConnection(principal, id), type, data);
  }

  private async simulatorConnection(principal: Principal, id: string): Promise<ConnectionView> {
    const view = await this.reader.getForPrincipal(principal, id);
    if (view.driver !== 'simulator') throw notASimulatorConnection(view.driver);
    return view;
  }

  private async changeDesired(
    principal: Principal,
    id: string,
    state: 'running' | 'stopped',
    command: GatewayCommandType,
  ): Promise<ConnectionView> {
    const view = await this.reader.getForPrincipal(principal, id);
    if (!(await this.connections.setDesiredState(principal.scope, id, state, this.clock.now()))) {
      throw connectionNotFound();
    }
    await this.gateway.send(view, command);
    return { ...view, desiredState: state };
  }
}
