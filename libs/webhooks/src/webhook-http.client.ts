import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import axios, { AxiosError, AxiosInstance } from 'axios';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { SsrfGuard } from './ssrf.guard';

export const RESPONSE_BODY_LIMIT = 4096;
/** A response body longer than this is not read to the end (the connection is dropped). */
const DRAIN_LIMIT = 1024 * 1024;
export const USER_AGENT =
  'WhatsAppWebBot-Webhooks/1.0 (+https://github.com/whatsapp-web-bot; Standard Webhooks)';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Cuts the request short (lease lost, shutdown). */
  signal?: AbortSignal;
}

/** Why a request got no HTTP response. */
export type TransportErrorCode =
  | 'ssrf_blocked'
  | 'dns_error'
  | 'connection_refused'
  | 'connection_reset'
  | 'unreachable'
  | 'tls_error'
  | 'timeout'
  | 'aborted'
  | 'network_error';

export type WebhookResult =
  | { kind: 'response'; statusCode: number; retryAfter?: string; body: string; latencyMs: number }
  | { kind: 'error'; code: TransportErrorCode; message: string; latencyMs: number };

/** Errors that say the endpoint as a whole cannot be reached (not this one event). */
export const ENDPOINT_LEVEL_ERRORS: ReadonlySet<TransportErrorCode> = new Set([
  'ssrf_blocked',
  'dns_error',
  'connection_refused',
  'connection_reset',
  'unreachable',
  'tls_error',
]);

/**
 * Sends webhook requests with axios over keep-alive agents whose `lookup` is the SSRF guard's
 * (connections go to checked addresses only). Redirects are never followed (a 3xx is returned
 * as it is), every status is returned (the caller decides), the response body is read up to
 * 4 KB (the rest drained, or the connection dropped past 1 MB), and the whole exchange is bounded
 * by `timeoutMs`.
 */
@Injectable()
export class WebhookHttpClient implements OnApplicationShutdown {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly axios: AxiosInstance;

  constructor(private readonly guard: SsrfGuard) {
    const agentOptions = {
      keepAlive: true,
      maxFreeSockets: 256,
      scheduling: 'lifo' as const,
      lookup: guard.lookup,
    };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
    this.axios = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'stream',
      decompress: true,
      proxy: false,
      transitional: { clarifyTimeoutError: true },
      // The body is already the exact JSON to send (it was signed): no transformation.
      transformRequest: [(data: string) => data],
      transformResponse: [],
    });
  }

  async send(req: WebhookRequest): Promise<WebhookResult> {
    const started = performance.now();
    const latency = () => Math.round((performance.now() - started) * 10) / 10;
    const literal = this.guard.checkLiteral(new URL(req.url).hostname);
    if (literal) return { kind: 'error', code: 'ssrf_blocked', message: literal.message, latencyMs: 0 };

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), req.timeoutMs);
    const onOuterAbort = () => deadline.abort();
    req.signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const res = await this.axios.post<Readable>(req.url, req.body, {
        headers: { ...req.headers, 'user-agent': USER_AGENT, 'content-type': 'application/json' },
        signal: deadline.signal,
      });
      const body = await readCapped(res.data, deadline.signal);
      const retryAfter = res.headers['retry-after'];
      return {
        kind: 'response',
        statusCode: res.status,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        body,
        latencyMs: latency(),
      };
    } catch (err) {
      const code: TransportErrorCode = req.signal?.aborted
        ? 'aborted'
        : deadline.signal.aborted
          ? 'timeout'
          : classify(err);
      const message = code === 'timeout' ? `no complete response within ${req.timeoutMs} ms` : describe(err);
      return { kind: 'error', code, message, latencyMs: latency() };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Reads the first RESPONSE_BODY_LIMIT bytes as text; drains the rest up to DRAIN_LIMIT. */
function readCapped(stream: Readable, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let total = 0;
    const done = () => {
      cleanup();
      resolve(Buffer.concat(kept).toString('utf8'));
    };
    const fail = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onAbort = () => {
      stream.destroy();
      fail(new Error('aborted'));
    };
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      stream.off('data', onData).off('end', done).off('error', fail);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (keptBytes < RESPONSE_BODY_LIMIT) {
        const part = chunk.subarray(0, RESPONSE_BODY_LIMIT - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
      if (total > DRAIN_LIMIT) {
        stream.destroy();
        done();
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData).once('end', done).once('error', fail);
  });
}

function errnoOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_REQUEST' && code !== 'ERR_BAD_RESPONSE') {
      if (code !== AxiosError.ERR_NETWORK) return code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function classify(err: unknown): TransportErrorCode {
  const code = errnoOf(err) ?? '';
  if (code === 'ESSRFBLOCKED') return 'ssrf_blocked';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns_error';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection_reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable';
  if (code === 'ETIMEDOUT' || code === 'ECONNTIMEDOUT') return 'timeout';
  if (
    code.startsWith('CERT_') ||
    code.startsWith('ERR_TLS') ||
    code.includes('SSL') ||
    code.startsWith('UNABLE_TO')
  )
    return 'tls_error';
  return 'network_error';
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
