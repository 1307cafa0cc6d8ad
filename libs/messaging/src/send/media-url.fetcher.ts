import { Injectable } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { AppConfig } from '@wwb/config';
import type { DomainError } from '@wwb/runtime';
import { AddressPolicy } from './address.policy';
import { parseMediaUrl } from './send-media.parser';
import { sendError } from './send-request.errors';

export interface FetchedMedia {
  data: Buffer;
  /** The Content-Type the server sent, if any. */
  mimetype?: string;
  /** The last segment of the URL path, if any. */
  filename?: string;
}

const MAX_REDIRECTS = 3;

class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
}

/**
 * Fetches media given by URL, with the SSRF guard: only http and https; every address the host
 * resolves to is checked (AddressPolicy) inside the socket's own lookup, so that the address
 * checked is the address connected to (no DNS rebinding between check and use); redirects are
 * followed at most 3 times, each hop checked again; the size limit and a time limit apply.
 */
@Injectable()
export class MediaUrlFetcher {
  private readonly policy: AddressPolicy;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(config: AppConfig) {
    this.policy = new AddressPolicy(config.media.urlAllowPrivateHosts);
    this.timeoutMs = config.media.urlTimeoutMs;
    this.maxBytes = config.media.maxBytes;
  }

  /** Throws DomainError `invalid` (400) media_url_forbidden, media_too_large, media_fetch_failed or invalid_media_url. */
  async fetch(url: URL): Promise<FetchedMedia> {
    const deadline = Date.now() + this.timeoutMs;
    let current = url;
    for (let hop = 0; ; hop++) {
      const res = await this.get(current, deadline);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop >= MAX_REDIRECTS) throw sendError('media_fetch_failed', 'media URL redirects too often');
        current = parseMediaUrl(new URL(res.headers.location, current).href);
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw sendError('media_fetch_failed', `media URL answered HTTP ${status}`);
      }
      const data = await this.readBody(res, deadline);
      const type = res.headers['content-type']?.trim();
      const name = decodeURIComponent(current.pathname.split('/').pop() ?? '').trim();
      return {
        data,
        ...(type && type !== 'application/octet-stream' ? { mimetype: type } : {}),
        ...(name ? { filename: name } : {}),
      };
    }
  }

  private get(url: URL, deadline: number): Promise<IncomingMessage> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname) && !this.policy.permits(hostname, hostname)) {
      return Promise.reject(forbidden(hostname));
    }
    const lookup: LookupFunction = (host, options, callback) => {
      dnsLookup(host, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        const refused = addresses.find((a) => !this.policy.permits(host, a.address));
        if (refused || addresses.length === 0) {
          return callback(new ForbiddenAddressError(refused?.address ?? 'none'), '', 0);
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = client.get(url, { lookup, timeout: Math.max(1, deadline - Date.now()) }, resolve);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err: Error) => {
        if (err instanceof ForbiddenAddressError) reject(forbidden(url.hostname));
        else reject(sendError('media_fetch_failed', `media URL could not be fetched: ${err.message}`));
      });
    });
  }

  private readBody(res: IncomingMessage, deadline: number): Promise<Buffer> {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      res.destroy();
      return Promise.reject(tooLarge(this.maxBytes));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const timer = setTimeout(
        () => fail(sendError('media_fetch_failed', 'media URL timed out')),
        Math.max(1, deadline - Date.now()),
      );
      const fail = (err: DomainError) => {
        clearTimeout(timer);
        res.destroy();
        reject(err);
      };
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBytes) return fail(tooLarge(this.maxBytes));
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (size === 0) reject(sendError('media_fetch_failed', 'media URL returned an empty body'));
        else resolve(Buffer.concat(chunks));
      });
      res.on('error', (err) =>
        fail(sendError('media_fetch_failed', `media URL could not be read: ${err.message}`)),
      );
    });
  }
}

const forbidden = (host: string) =>
  sendError('media_url_forbidden', `media URL host "${host.slice(0, 100)}" resolves to a non-public address`);
const tooLarge = (max: number) => sendError('media_too_large', `media is larger than ${max} bytes`);
