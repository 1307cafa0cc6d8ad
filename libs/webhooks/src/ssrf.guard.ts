import { Injectable } from '@nestjs/common';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { AppConfig } from '@wwb/config';
import { DnsResolver, ResolvedAddress } from './dns.resolver';
import { NetworkPolicy } from '@wwb/outbound';

/** Raised (as the connection error) when a webhook host resolves only to refused addresses. */
export class SsrfBlockedError extends Error {
  readonly code = 'ESSRFBLOCKED';
  constructor(
    readonly host: string,
    readonly addresses: string[],
  ) {
    super(
      `${host} resolves to ${addresses.join(', ') || 'no address'}, which webhooks may not reach (private, loopback, link-local or reserved)`,
    );
    this.name = 'SsrfBlockedError';
  }
}

export type UrlCheck =
  { ok: true } | { ok: false; reason: 'scheme' | 'credentials' | 'blocked' | 'invalid'; message: string };

const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');

/**
 * The SSRF guard of webhook deliveries: every address a webhook connects to is checked against
 * NetworkPolicy. Connections resolve the host through `lookup()` below, which answers only with
 * allowed addresses: the socket connects to the very address that was checked, so a DNS answer
 * that changes between a check and the connection (DNS rebinding) cannot lead anywhere else.
 * IP-literal hosts do not go through lookup; `checkLiteral()` is called for them before sending.
 */
@Injectable()
export class SsrfGuard {
  readonly policy: NetworkPolicy;

  constructor(
    config: AppConfig,
    private readonly dns: DnsResolver,
  ) {
    this.policy = new NetworkPolicy(config.webhooks.allowedNetworks);
  }

  /** Creation-time check of an endpoint URL: scheme, no credentials, no refused address. */
  async checkUrl(raw: string): Promise<UrlCheck> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'invalid', message: 'url is not a valid absolute URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return {
        ok: false,
        reason: 'scheme',
        message: `url must use http or https, not ${url.protocol.replace(/:$/, '')}`,
      };
    }
    if (url.username || url.password) {
      return {
        ok: false,
        reason: 'credentials',
        message: 'url must not contain credentials; use a custom header (e.g. Authorization) instead',
      };
    }
    const host = bareHost(url.hostname);
    let addresses: ResolvedAddress[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
    else {
      try {
        addresses = await this.dns.resolve(host);
      } catch {
        return { ok: true }; // not resolvable now: checked again at every delivery
      }
    }
    const refused = addresses.filter((a) => !this.policy.allows(a.address));
    if (refused.length > 0) {
      return {
        ok: false,
        reason: 'blocked',
        message: new SsrfBlockedError(
          host,
          refused.map((a) => a.address),
        ).message,
      };
    }
    return { ok: true };
  }

  /** For a URL whose host is an IP literal: the error to fail with, if that address is refused. */
  checkLiteral(hostname: string): SsrfBlockedError | undefined {
    const host = bareHost(hostname);
    if (!isIP(host) || this.policy.allows(host)) return undefined;
    return new SsrfBlockedError(host, [host]);
  }

  /** A `lookup` for http(s) agents: resolves, drops refused addresses, fails if none is left. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.dns.resolve(hostname).then(
      (found) => {
        const allowed = found.filter(
          (a) => this.policy.allows(a.address) && (!options.family || options.family === a.family),
        );
        if (allowed.length === 0) {
          callback(
            new SsrfBlockedError(
              hostname,
              found.map((a) => a.address),
            ),
            '',
            4,
          );
          return;
        }
        if (options.all) {
          (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, allowed);
        } else {
          callback(null, allowed[0]!.address, allowed[0]!.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}
