import type { EventFactory, EventPublisher, NewEvent } from '@wwb/kafka';
import type { AppLogger } from '@wwb/observability';
import { AccountEventsProducer } from './account-events.producer';

function setup(publish: jest.Mock) {
  const error = jest.fn();
  const factory = {
    create: (e: NewEvent<unknown>) => ({ id: 'evt_1', version: 1, occurredAt: 'now', ...e }),
  } as unknown as EventFactory;
  const producer = new AccountEventsProducer(
    factory,
    { publish } as unknown as EventPublisher,
    { pino: { error } } as unknown as AppLogger,
  );
  return { producer, error };
}

describe('AccountEventsProducer', () => {
  it('publishes api_key.created without the key or its hash', async () => {
    const publish = jest.fn(async () => undefined);
    const { producer } = setup(publish);
    await producer.apiKeyCreated({
      _id: 'key_1',
      accountId: 'acc_1',
      name: 'k',
      prefix: 'wwb_12345678',
      hash: 'secret-hash',
      createdAt: new Date(0),
    });
    expect(publish).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'api_key.created',
        accountId: 'acc_1',
        data: { apiKeyId: 'key_1', name: 'k', prefix: 'wwb_12345678', createdAt: '1970-01-01T00:00:00.000Z' },
      }),
    );
    expect(JSON.stringify(publish.mock.calls)).not.toContain('secret-hash');
  });

  it('logs and resolves when Kafka is down, so the request still succeeds', async () => {
    const publish = jest.fn(async () => {
      throw new Error('broker unreachable');
    });
    const { producer, error } = setup(publish);
    await expect(producer.apiKeyRevoked('acc_1', 'key_1', new Date(0))).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'api_key.revoked', err: 'broker unreachable' }),
      'event not published',
    );
  });

  it('does not wait forever for a hanging publish', async () => {
    jest.useFakeTimers();
    try {
      const { producer, error } = setup(jest.fn(() => new Promise(() => undefined)));
      const done = producer.accountCreated({ _id: 'acc_1', name: 'a', plan: 'starter' } as never);
      await jest.advanceTimersByTimeAsync(3000);
      await expect(done).resolves.toBeUndefined();
      expect(error).toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
