import { promises as dns } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { NetworkPolicy } from '@wwb/outbound';
import { cachingResolver, HostResolver, ResolvedAddress } from './host-resolution.store';

export type { HostResolver, ResolvedAddress };

const lookupAll: HostResolver = async (hostname) => {
  const found = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), shared and cached per process. */
export const systemResolver: HostResolver = cachingResolver(lookupAll);

/** Raised (as the connection error) when a host resolves only to refused addresses. */
export class AddressRefusedError extends Error {
  readonly code = 'ESSRFBLOCKED';
  constructor(
    readonly host: string,
    readonly addresses: string[],
  ) {
    super(
      `${host} resolves to ${addresses.join(', ') || 'no address'}, which may not be reached (private, loopback, link-local or reserved)`,
    );
    this.name = 'AddressRefusedError';
  }
}

export const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');

/** Lower-case, without IPv6 brackets or a trailing dot: the form host allow-lists are matched in. */
export const normalHost = (hostname: string): string => bareHost(hostname).replace(/\.$/, '').toLowerCase();

/**
 * Host names (or IP literals) trusted whatever they resolve to, matched exactly after
 * normalHost(): an opt-in beside the policy's networks (e.g. MEDIA_URL_ALLOW_PRIVATE_HOSTS).
 */
export type AllowedHosts = ReadonlySet<string>;

export const allowedHosts = (hosts: readonly string[] = []): AllowedHosts =>
  new Set(hosts.map(normalHost).filter(Boolean));

const NO_HOSTS: AllowedHosts = new Set();

/** For an IP-literal host (sockets do not look those up): the error if the policy refuses it. */
export function refusedLiteral(
  policy: NetworkPolicy,
  hostname: string,
  hosts: AllowedHosts = NO_HOSTS,
): AddressRefusedError | undefined {
  const host = bareHost(hostname);
  if (!isIP(host) || policy.allows(host) || hosts.has(normalHost(host))) return undefined;
  return new AddressRefusedError(host, [host]);
}

export interface CheckedLookupOptions {
  resolve?: HostResolver;
  allowedHosts?: AllowedHosts;
}

/**
 * A `lookup` for http(s) agents: resolves, keeps only the addresses the policy allows (all of
 * them for a host in `allowedHosts`), fails with AddressRefusedError if none is left. The
 * socket connects to the very address that was checked, so a DNS answer that changes between
 * check and use (rebinding) leads nowhere else.
 */
export function checkedLookup(
  policy: NetworkPolicy,
  { resolve = systemResolver, allowedHosts: hosts = NO_HOSTS }: CheckedLookupOptions = {},
): LookupFunction {
  return (hostname, options, callback) => {
    const trusted = hosts.has(normalHost(hostname));
    resolve(hostname).then(
      (found) => {
        const allowed = found.filter(
          (a) => (trusted || policy.allows(a.address)) && (!options.family || options.family === a.family),
        );
        if (allowed.length === 0) {
          callback(
            new AddressRefusedError(
              hostname,
              found.map((a) => a.address),
            ),
            '',
            4,
          );
        } else if (options.all) {
          (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, allowed);
        } else {
          callback(null, allowed[0]!.address, allowed[0]!.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}
