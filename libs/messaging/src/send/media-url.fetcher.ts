import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { isIP } from 'node:net';
import { AppConfig } from '@wwb/config';
import { OutboundHttpClient, OutboundHttpError, OutboundResponse } from '@wwb/infrastructure';
import { urlFilename } from '../media';
import { MEDIA_URL_FILENAME_PROBLEM } from './send-media.parser';
import { sendError } from './send-request.errors';

export interface FetchedMedia {
  data: Buffer;
  /** The Content-Type the server sent, if any. */
  mimetype?: string;
  /** The last segment of the URL path, if any. */
  filename?: string;
}

const MAX_REDIRECTS = 3;

/**
 * MEDIA_URL_ALLOW_PRIVATE_HOSTS mixes host names (trusted whatever they resolve to) with IPs and
 * CIDRs (matched against the resolved address); the client takes the two apart.
 */
export function splitAllowList(entries: readonly string[]): { hosts: string[]; networks: string[] } {
  const hosts: string[] = [];
  const networks: string[] = [];
  for (const raw of entries.map((x) => x.trim()).filter(Boolean)) {
    const [address, bits] = raw.split('/');
    const bare = address!.replace(/^\[|\]$/g, '');
    if (isIP(bare) === 0) hosts.push(raw);
    else networks.push(bits === undefined ? bare : `${bare}/${bits}`);
  }
  return { hosts, networks };
}

/**
 * Fetches media given by URL through the platform's SSRF-checked client (@wwb/infrastructure):
 * only http and https; the address connected to is the address checked; at most 3 redirects,
 * each hop checked again; one MEDIA_URL_TIMEOUT_MS deadline; MEDIA_MAX_BYTES of decoded body.
 */
@Injectable()
export class MediaUrlFetcher implements OnApplicationShutdown {
  private readonly client: OutboundHttpClient;
  private readonly maxBytes: number;

  constructor(config: AppConfig) {
    const { hosts, networks } = splitAllowList(config.media.urlAllowPrivateHosts);
    this.maxBytes = config.media.maxBytes;
    this.client = new OutboundHttpClient({
      allowedHosts: hosts,
      allowedNetworks: networks,
      timeoutMs: config.media.urlTimeoutMs,
      maxResponseBytes: this.maxBytes,
      maxRedirects: MAX_REDIRECTS,
    });
  }

  /** Throws DomainError `invalid` (400) media_url_forbidden, media_too_large, media_fetch_failed or invalid_media_url. */
  async fetch(url: URL): Promise<FetchedMedia> {
    let res: OutboundResponse;
    try {
      res = await this.client.request({ url: url.href });
    } catch (err) {
      throw this.failure(err);
    }
    if (res.status < 200 || res.status >= 300) {
      throw sendError('media_fetch_failed', `media URL answered HTTP ${res.status}`);
    }
    if (res.body.length === 0) throw sendError('media_fetch_failed', 'media URL returned an empty body');
    const type = res.headers['content-type']?.trim();
    // A redirect may land on a name the first URL's check never saw.
    const name = urlFilename(new URL(res.url).pathname);
    if (name === null) throw sendError('invalid_media_url', MEDIA_URL_FILENAME_PROBLEM);
    return {
      data: res.body,
      ...(type && type !== 'application/octet-stream' ? { mimetype: type } : {}),
      ...(name ? { filename: name } : {}),
    };
  }

  onApplicationShutdown(): void {
    this.client.close();
  }

  private failure(err: unknown): unknown {
    if (!(err instanceof OutboundHttpError)) return err;
    switch (err.code) {
      case 'ssrf_blocked':
        return sendError('media_url_forbidden', `media URL refused (SSRF guard): ${err.message}`);
      case 'too_large':
        return sendError('media_too_large', `media is larger than ${this.maxBytes} bytes`);
      case 'invalid_url':
        return sendError('invalid_media_url', `media URL redirects to an unusable URL: ${err.message}`);
      case 'too_many_redirects':
        return sendError('media_fetch_failed', 'media URL redirects too often');
      case 'timeout':
        return sendError('media_fetch_failed', 'media URL timed out');
      default:
        return sendError('media_fetch_failed', `media URL could not be fetched: ${err.message}`);
    }
  }
}
