import { AppError } from '@wwb/http';

/** The errors of the connection endpoints (each a stable code). */
export const connectionNotFound = (): AppError => AppError.notFound('Connection');

export const driverNotEnabled = (driver: string, enabled: readonly string[]): AppError =>
  new AppError(
    400,
    'driver_not_enabled',
    `The "${driver}" driver is not enabled on this platform (WHATSAPP_DRIVER=${enabled.join(',')})`,
    { driver, enabled },
  );

export const restrictedKeyCannotCreate = (): AppError =>
  new AppError(
    403,
    'forbidden_scope',
    'This API key is restricted to some connections and cannot create new ones',
  );

export const notWaitingForQr = (status: string): AppError =>
  new AppError(
    409,
    'connection_not_waiting_for_qr',
    `The connection is ${status}, not waiting for a QR scan (only status qr has a QR code)`,
    { status },
  );

/** A message the simulator should acknowledge is unknown on this connection. */
export const messageNotFound = (): AppError => new AppError(404, 'message_not_found', 'Message not found');

export const notASimulatorConnection = (driver: string): AppError =>
  new AppError(
    409,
    'not_a_simulator_connection',
    `Simulator controls only work on connections of the simulator driver (this one uses ${driver})`,
    { driver },
  );

export const connectionStoppedError = (): AppError =>
  new AppError(
    409,
    'connection_stopped',
    'The connection is stopped (logged out); POST /v1/connections/{id}/restart starts it again',
  );

export const gatewayTimeout = (ms: number): AppError =>
  new AppError(
    504,
    'gateway_timeout',
    `No gateway answered within ${ms} ms. The gateway that runs this connection may be down, starting or ` +
      'busy; the request may still be carried out. Retry later.',
    { timeoutMs: ms },
  );
