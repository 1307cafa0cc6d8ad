import { Injectable } from '@nestjs/common';
import { isIP, LookupFunction } from 'node:net';
import { AppConfig } from '@wwb/config';
import { AddressRefusedError, bareHost, checkedLookup, refusedLiteral } from '@wwb/infrastructure';
import { NetworkPolicy } from '@wwb/outbound';
import { DnsResolver, ResolvedAddress } from './dns.resolver';

export type UrlCheck =
  { ok: true } | { ok: false; reason: 'scheme' | 'credentials' | 'blocked' | 'invalid'; message: string };

/**
 * The SSRF guard of webhook deliveries, on @wwb/infrastructure's checked lookup (the one the
 * OutboundHttpClient uses): connections resolve the host through `lookup`, which answers only
 * addresses WEBHOOK_ALLOWED_NETWORKS' NetworkPolicy allows, so the socket connects to the very
 * address that was checked (no DNS rebinding). IP-literal hosts do not go through lookup;
 * `checkLiteral()` is called for them before sending.
 */
@Injectable()
export class SsrfGuard {
  readonly policy: NetworkPolicy;
  readonly lookup: LookupFunction;

  constructor(
    config: AppConfig,
    private readonly dns: DnsResolver,
  ) {
    this.policy = new NetworkPolicy(config.webhooks.allowedNetworks);
    this.lookup = checkedLookup(this.policy, { resolve: (host) => this.dns.resolve(host) });
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
    // Stricter than the lookup (which drops refused addresses): a URL that resolves to any
    // refused address is rejected up front.
    const refused = addresses.filter((a) => !this.policy.allows(a.address));
    if (refused.length > 0) {
      return {
        ok: false,
        reason: 'blocked',
        message: new AddressRefusedError(
          host,
          refused.map((a) => a.address),
        ).message,
      };
    }
    return { ok: true };
  }

  /** For a URL whose host is an IP literal: the error to fail with, if that address is refused. */
  checkLiteral(hostname: string): AddressRefusedError | undefined {
    return refusedLiteral(this.policy, hostname);
  }
}
