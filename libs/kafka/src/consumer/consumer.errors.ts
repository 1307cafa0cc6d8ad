/**
 * How a consumer handler tells the runner what to do with a failure.
 *
 * - `RetryableError`: a transient problem (a dependency is down, a lease is taken). The runner
 *   retries the same message in place, with exponential backoff, up to the configured number
 *   of attempts, then sends it to the dead-letter topic.
 * - `PermanentError`: retrying cannot help (the event refers to something that does not exist,
 *   a business rule rejects it). The runner sends the message to the dead-letter topic at once.
 * - Anything else is treated as retryable: an unknown failure is more often a transient one,
 *   and a bounded number of retries costs little.
 */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type ErrorClass = 'retryable' | 'permanent';

export function classifyError(err: unknown): ErrorClass {
  return err instanceof PermanentError ? 'permanent' : 'retryable';
}

/** A one-line description of any thrown value, for logs and dead-letter headers. */
export function describeError(err: unknown, maxLength = 1000): string {
  let text: string;
  if (err instanceof Error) text = `${err.name}: ${err.message}`;
  else if (typeof err === 'string') text = err;
  else {
    try {
      text = JSON.stringify(err) ?? String(err);
    } catch {
      text = String(err);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
