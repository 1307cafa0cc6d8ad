import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestContextValues } from '@wwb/runtime';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CONTEXT = Symbol('wwb.requestContext');

type WithContext = IncomingMessage & { [CONTEXT]?: RequestContextValues };

/** Accepts a client-supplied id only when it is short and plain (it ends up in logs and headers). */
export function saneId(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && SANE_ID.test(v) ? v : undefined;
}

export function newRequestId(): string {
  return randomUUID();
}

/** The request context of an HTTP request (request id, correlation id, account id once known). */
export function contextOf(req: IncomingMessage): RequestContextValues {
  const r = req as WithContext;
  r[CONTEXT] ??= { requestId: newRequestId() };
  return r[CONTEXT];
}

export function attachContext(req: IncomingMessage, values: RequestContextValues): void {
  (req as WithContext)[CONTEXT] = values;
}

export function requestIdOf(req: IncomingMessage): string {
  return contextOf(req).requestId ?? 'unknown';
}
