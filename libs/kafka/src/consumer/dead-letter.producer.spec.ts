import { KafkaMessage } from 'kafkajs';
import { deadLetterMessage } from './dead-letter.producer';

describe('deadLetterMessage', () => {
  it('keeps key, value and headers and adds the dlq-* headers', () => {
    const original = {
      key: Buffer.from('chat_1'),
      value: Buffer.from('{"id":"e1"}'),
      headers: { 'event-id': Buffer.from('e1'), 'correlation-id': Buffer.from('c1') },
      offset: '41',
      timestamp: '0',
      attributes: 0,
    } as KafkaMessage;
    const msg = deadLetterMessage(original, {
      reason: 'max_attempts',
      error: 'Error: boom',
      sourceTopic: 'wwb.events',
      sourcePartition: 2,
      group: 'webhooks',
      attempts: 6,
    });
    expect(msg.key).toBe(original.key);
    expect(msg.value).toBe(original.value);
    expect(msg.headers).toEqual({
      'event-id': original.headers!['event-id'],
      'correlation-id': original.headers!['correlation-id'],
      'dlq-reason': 'max_attempts',
      'dlq-error': 'Error: boom',
      'dlq-source-topic': 'wwb.events',
      'dlq-source-partition': '2',
      'dlq-source-offset': '41',
      'dlq-group': 'webhooks',
      'dlq-attempts': '6',
    });
    expect(original.headers).not.toHaveProperty('dlq-reason');
  });

  it('keeps a null value (tombstone) as it was', () => {
    const msg = deadLetterMessage(
      { key: null, value: null, offset: '0', timestamp: '0', attributes: 0 } as KafkaMessage,
      {
        reason: 'invalid_message',
        error: 'empty message',
        sourceTopic: 't',
        sourcePartition: 0,
        group: 'g',
        attempts: 0,
      },
    );
    expect(msg.value).toBeNull();
    expect(msg.key).toBeNull();
  });
});
