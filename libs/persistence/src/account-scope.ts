/**
 * Every repository query that touches tenant data takes an AccountScope first: the type
 * makes it impossible to query without saying whose data it is.
 */
export interface AccountScope {
  readonly accountId: string;
}

export const scopeOf = (accountId: string): AccountScope => ({ accountId });

/** Mongo duplicate-key error (unique index violation), on MongoDB and FerretDB alike. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
