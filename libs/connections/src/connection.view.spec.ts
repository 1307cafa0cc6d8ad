import type { ConnectionStateRecord } from './connection-state.schema';
import type { ConnectionRecord } from './connection.schema';
import { toConnectionView } from './connection.view';

const created = new Date('2026-12-01T10:00:00Z');
const connection = (over: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  _id: 'con_1',
  accountId: 'acc_1',
  name: 'Support',
  driver: 'simulator',
  desiredState: 'running',
  desiredAt: created,
  createdAt: created,
  updatedAt: created,
  ...over,
});
const state = (over: Partial<ConnectionStateRecord> = {}): ConnectionStateRecord => ({
  _id: 'con_1:0000000001',
  connectionId: 'con_1',
  accountId: 'acc_1',
  epoch: 1,
  nodeId: 'gw_1',
  status: 'qr',
  statusAt: new Date('2026-12-01T10:00:01Z'),
  failures: 0,
  qr: '2@abc',
  qrAt: new Date('2026-12-01T10:00:02Z'),
  startedAt: created,
  updatedAt: new Date('2026-12-01T10:00:02Z'),
  ...over,
});

describe('toConnectionView', () => {
  it('before any gateway reported: starting when it should run, stopped otherwise', () => {
    expect(toConnectionView(connection(), null)).toMatchObject({
      status: 'starting',
      statusReason: 'waiting for a gateway to start it',
      qr: null,
      phoneNumber: null,
    });
    expect(toConnectionView(connection({ desiredState: 'stopped' }), null)).toMatchObject({
      status: 'stopped',
      statusReason: null,
    });
  });

  it("joins the owner's state: the QR code only while status is qr, the latest update time", () => {
    const v = toConnectionView(connection(), state());
    expect(v).toMatchObject({ status: 'qr', qr: { value: '2@abc', at: new Date('2026-12-01T10:00:02Z') } });
    expect(v.updatedAt).toEqual(new Date('2026-12-01T10:00:02Z'));
    const ready = toConnectionView(
      connection(),
      state({
        status: 'ready',
        phoneNumber: '1555',
        pushName: 'A',
        lastError: 'CONFLICT',
        lastErrorAt: created,
      }),
    );
    expect(ready).toMatchObject({
      status: 'ready',
      qr: null,
      phoneNumber: '1555',
      pushName: 'A',
      lastError: 'CONFLICT',
    });
  });
});
