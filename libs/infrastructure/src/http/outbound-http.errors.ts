/** Why a connection failed, as classifyTransportError() tells it from a node or axios error. */
export type TransportErrorCode =
  | 'ssrf_blocked'
  | 'dns_error'
  | 'connection_refused'
  | 'connection_reset'
  | 'unreachable'
  | 'tls_error'
  | 'timeout'
  | 'network_error';

/** Why an outbound request got no usable response. */
export type OutboundErrorCode =
  TransportErrorCode | 'invalid_url' | 'too_large' | 'too_many_redirects' | 'aborted';

export class OutboundHttpError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundHttpError';
  }
}

function errnoOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE' && code !== 'ERR_NETWORK') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a transport error (node or axios) to its code. */
export function classifyTransportError(err: unknown): TransportErrorCode {
  const code = errnoOf(err) ?? '';
  if (code === 'ESSRFBLOCKED') return 'ssrf_blocked';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns_error';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection_reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (
    code.startsWith('CERT_') ||
    code.startsWith('ERR_TLS') ||
    code.includes('SSL') ||
    code.startsWith('UNABLE_TO') ||
    code.startsWith('DEPTH_ZERO') ||
    code.startsWith('SELF_SIGNED')
  )
    return 'tls_error';
  return 'network_error';
}

export function describeError(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(err);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
