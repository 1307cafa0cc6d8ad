import { EventEnvelope } from '@wwb/contracts';
import { headersToStrings, headerValue, messageKey, toKafkaMessage } from './event-message.mapper';

const base: EventEnvelope = {
  id: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
  type: 'message.received',
  version: 1,
  occurredAt: '2026-12-01T10:00:00.000Z',
  accountId: 'acc_1',
  data: { text: 'hi' },
};

describe('messageKey', () => {
  it('is the chat, else the connection, else the account', () => {
    expect(messageKey({ ...base, connectionId: 'conn_1', chatId: 'chat_1' })).toBe('chat_1');
    expect(messageKey({ ...base, connectionId: 'conn_1' })).toBe('conn_1');
    expect(messageKey(base)).toBe('acc_1');
  });
});

describe('toKafkaMessage', () => {
  it('carries the JSON envelope, the key and the event headers', () => {
    const msg = toKafkaMessage({ ...base, connectionId: 'conn_1' });
    expect(msg.key).toBe('conn_1');
    expect(JSON.parse(String(msg.value))).toEqual({ ...base, connectionId: 'conn_1' });
    expect(msg.headers).toEqual({ 'event-id': base.id, 'event-type': 'message.received' });
  });

  it("takes the envelope's correlation id first, then the context's", () => {
    expect(toKafkaMessage({ ...base, correlationId: 'own' }, 'ctx').headers?.['correlation-id']).toBe('own');
    expect(toKafkaMessage(base, 'ctx').headers?.['correlation-id']).toBe('ctx');
    expect(toKafkaMessage(base).headers).not.toHaveProperty('correlation-id');
  });
});

describe('headersToStrings', () => {
  it('turns buffers into strings and keeps the last of repeated headers', () => {
    expect(
      headersToStrings({
        a: Buffer.from('x'),
        b: 'y',
        c: [Buffer.from('1'), Buffer.from('2')],
        d: undefined,
      }),
    ).toEqual({ a: 'x', b: 'y', c: '2' });
    expect(headersToStrings(undefined)).toEqual({});
  });
});

describe('headerValue', () => {
  it('reads one header as a string', () => {
    const headers = { a: Buffer.from('x'), c: [Buffer.from('1'), Buffer.from('2')] };
    expect(headerValue(headers, 'a')).toBe('x');
    expect(headerValue(headers, 'c')).toBe('2');
    expect(headerValue(headers, 'missing')).toBeUndefined();
    expect(headerValue(undefined, 'a')).toBeUndefined();
  });
});
