import { progressByDelivery, statusOf } from './delivery-state';
import { WebhookAttemptRecord } from './webhook-delivery.schema';

const a = (
  deliveryId: string,
  n: number,
  outcome: WebhookAttemptRecord['outcome'],
): WebhookAttemptRecord => ({
  _id: `${deliveryId}~${n}`,
  accountId: 'acc',
  endpointId: 'whk',
  deliveryId,
  partition: 0,
  n,
  at: new Date(n * 1000),
  outcome,
});

describe('delivery state', () => {
  it('takes the last attempt (highest n) whatever the order of records', () => {
    const p = progressByDelivery([a('d1', 2, 'delivered'), a('d1', 1, 'retrying'), a('d2', 1, 'retrying')]);
    expect(p.get('d1')).toMatchObject({ attempts: 2, terminal: true });
    expect(statusOf(p.get('d1'))).toBe('delivered');
    expect(statusOf(p.get('d2'))).toBe('pending');
    expect(statusOf(undefined)).toBe('pending');
    expect(statusOf(progressByDelivery([a('d3', 10, 'failed')]).get('d3'))).toBe('failed');
    expect(statusOf(progressByDelivery([a('d4', 3, 'cancelled')]).get('d4'))).toBe('failed');
  });
});
