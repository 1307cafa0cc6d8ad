import axios, { AxiosInstance, RawAxiosResponseHeaders, AxiosResponseHeaders } from 'axios';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { NetworkPolicy } from '@wwb/outbound';
import {
  AllowedHosts,
  allowedHosts,
  checkedLookup,
  HostResolver,
  refusedLiteral,
} from './checked-lookup.policy';
import { classifyTransportError, describeError, OutboundHttpError } from './outbound-http.errors';

export const DEFAULT_OUTBOUND_TIMEOUT_MS = 10_000;
export const DEFAULT_OUTBOUND_MAX_BYTES = 1024 * 1024;
const USER_AGENT = 'WhatsAppWebBot/1.0';
/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export type OutboundMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OutboundHttpClientOptions {
  /**
   * CIDRs reachable although private, loopback or link-local (e.g. a setting such as
   * WEBHOOK_ALLOWED_NETWORKS); empty = public addresses only.
   */
  allowedNetworks?: readonly string[];
  /**
   * Host names (or IP literals) reachable whatever they resolve to, matched exactly and
   * case-insensitively (e.g. MEDIA_URL_ALLOW_PRIVATE_HOSTS's names); redirects are checked
   * against the host of each hop.
   */
  allowedHosts?: readonly string[];
  /** Default absolute deadline of a request: connect, headers and body (ms). */
  timeoutMs?: number;
  /** Default cap on the decoded response body (bytes). */
  maxResponseBytes?: number;
  /** Default number of redirects followed, each hop checked again; 0 returns the 3xx as it is. */
  maxRedirects?: number;
  userAgent?: string;
  /** Extra CA certificates (PEM) trusted besides the public roots. */
  extraCa?: string;
  resolve?: HostResolver;
}

export interface OutboundRequest {
  url: string;
  method?: OutboundMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
  /** Cuts the request short (the call rejects with code `aborted`). */
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The decoded body (at most maxResponseBytes). */
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
  redirects: number;
  latencyMs: number;
}

/**
 * HTTP requests made on a tenant's behalf (rule HTTP actions, media URLs): the platform's one
 * SSRF-checked client. Every connection resolves its host through a lookup that answers only
 * addresses @wwb/outbound's NetworkPolicy allows (IP-literal hosts are checked before sending),
 * so the address checked is the address connected to; redirects are not followed unless asked,
 * and then every hop is checked the same way and credentials stay with their origin; one
 * deadline bounds connect, headers and body; the decoded body is capped. Environment proxies
 * are ignored (a proxy would connect where the policy never looked). Statuses are not errors:
 * the caller decides; failures without a response reject with OutboundHttpError.
 */
export class OutboundHttpClient {
  private readonly policy: NetworkPolicy;
  private readonly hosts: AllowedHosts;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly axios: AxiosInstance;

  constructor(private readonly options: OutboundHttpClientOptions = {}) {
    this.policy = new NetworkPolicy(options.allowedNetworks ?? []);
    this.hosts = allowedHosts(options.allowedHosts);
    const lookup = checkedLookup(this.policy, { resolve: options.resolve, allowedHosts: this.hosts });
    this.httpAgent = new http.Agent({ keepAlive: true, lookup });
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      lookup,
      ...(options.extraCa ? { ca: [...tls.rootCertificates, options.extraCa] } : {}),
    });
    this.axios = axios.create({
      adapter: 'http',
      proxy: false,
      maxRedirects: 0,
      responseType: 'stream',
      decompress: true,
      validateStatus: () => true,
      transformRequest: [(data: unknown) => data],
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxBodyLength: Infinity,
    });
  }

  async request(req: OutboundRequest): Promise<OutboundResponse> {
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS;
    const maxBytes = req.maxResponseBytes ?? this.options.maxResponseBytes ?? DEFAULT_OUTBOUND_MAX_BYTES;
    const maxRedirects = req.maxRedirects ?? this.options.maxRedirects ?? 0;
    const started = performance.now();
    const controller = new AbortController();
    let stream: Readable | undefined;
    let timedOut = false;
    const stop = (reason: Error) => {
      controller.abort(reason);
      stream?.destroy(reason);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop(new Error('deadline'));
    }, timeoutMs);
    const onAbort = () => stop(new Error('aborted'));
    if (req.signal?.aborted) onAbort();
    req.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      let url = parseTarget(req.url);
      let method: OutboundMethod = req.method ?? 'GET';
      let body = req.body;
      let headers = { ...(req.headers ?? {}) };
      for (let redirects = 0; ; redirects++) {
        const refused = refusedLiteral(this.policy, url.hostname, this.hosts);
        if (refused) throw new OutboundHttpError('ssrf_blocked', refused.message);
        const res = await this.axios.request<Readable>({
          url: url.href,
          method,
          headers: { 'user-agent': this.options.userAgent ?? USER_AGENT, ...headers },
          data: body,
          signal: controller.signal,
        });
        stream = res.data;
        const location = res.headers['location'];
        if (maxRedirects > 0 && isRedirect(res.status) && typeof location === 'string') {
          stream.destroy();
          if (redirects >= maxRedirects) {
            throw new OutboundHttpError('too_many_redirects', `more than ${maxRedirects} redirects`);
          }
          const next = parseTarget(new URL(location, url).href);
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
            headers = without(headers, ['content-type', 'content-length']);
          }
          if (next.origin !== url.origin) headers = without(headers, CREDENTIAL_HEADERS);
          url = next;
          continue;
        }
        const data = await readCapped(stream, maxBytes);
        return {
          status: res.status,
          headers: plainHeaders(res.headers),
          body: data,
          url: url.href,
          redirects,
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
        };
      }
    } catch (err) {
      if (timedOut) throw new OutboundHttpError('timeout', `no complete response within ${timeoutMs} ms`);
      if (req.signal?.aborted) throw new OutboundHttpError('aborted', 'request aborted');
      if (err instanceof OutboundHttpError) throw err;
      throw new OutboundHttpError(classifyTransportError(err), describeError(err));
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Closes idle keep-alive connections (call on shutdown). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundHttpError('invalid_url', 'not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundHttpError(
      'invalid_url',
      `scheme ${url.protocol.replace(/:$/, '')} is not http or https`,
    );
  }
  if (url.username || url.password) {
    throw new OutboundHttpError('invalid_url', 'URL must not contain credentials');
  }
  return url;
}

const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status);

function without(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k.toLowerCase())));
}

function plainHeaders(headers: RawAxiosResponseHeaders | AxiosResponseHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Reads the (already decoded) body; past `maxBytes` the connection is dropped. */
function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle(() => reject(new OutboundHttpError('too_large', `response body exceeds ${maxBytes} bytes`)));
        stream.destroy();
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => settle(() => resolve(Buffer.concat(chunks))));
    stream.once('error', (err) => settle(() => reject(err)));
    stream.once('close', () => settle(() => reject(new Error('response closed before its end'))));
  });
}
