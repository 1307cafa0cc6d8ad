import { classifyError, describeError, PermanentError, RetryableError } from './consumer.errors';

describe('consumer errors', () => {
  it('classifies PermanentError as permanent, everything else as retryable', () => {
    expect(classifyError(new PermanentError('no such chat'))).toBe('permanent');
    expect(classifyError(new RetryableError('mongo down'))).toBe('retryable');
    expect(classifyError(new Error('unknown'))).toBe('retryable');
    expect(classifyError(new TypeError('bug'))).toBe('retryable');
    expect(classifyError('a string')).toBe('retryable');
    expect(classifyError(undefined)).toBe('retryable');
  });

  it('classifies subclasses by their base', () => {
    class ChatNotFoundError extends PermanentError {}
    expect(classifyError(new ChatNotFoundError('x'))).toBe('permanent');
  });

  it('keeps the cause', () => {
    const cause = new Error('socket closed');
    expect(new RetryableError('mongo down', { cause }).cause).toBe(cause);
  });

  it('describes any thrown value on one bounded line', () => {
    expect(describeError(new PermanentError('no such chat'))).toBe('PermanentError: no such chat');
    expect(describeError(new Error('boom'))).toBe('Error: boom');
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ code: 42 })).toBe('{"code":42}');
    expect(describeError(undefined)).toBe('undefined');
    const long = describeError(new Error('x'.repeat(5000)), 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });
});
