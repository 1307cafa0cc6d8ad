import { BlockList, isIP } from 'node:net';

/**
 * Which addresses outbound requests made for a tenant (webhooks, media URLs) may reach: the one
 * SSRF rule of the platform. Everything public is allowed; these ranges
 * are refused unless an allow-listed network (WEBHOOK_ALLOWED_NETWORKS) contains the address:
 * "this" network, private (RFC 1918), loopback, link-local (with the cloud metadata address
 * 169.254.169.254), CGNAT (100.64/10, with Alibaba's metadata 100.100.100.200), benchmarking,
 * documentation, multicast and reserved IPv4; IPv6 unspecified, loopback, IPv4-compatible,
 * NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16), Teredo, ULA (fc00::/7, with AWS's
 * metadata fd00:ec2::254), link-local, site-local, multicast and documentation.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are judged by their IPv4 address.
 */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const BLOCKED_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

export class InvalidNetworkError extends Error {}

/** Parses `a.b.c.d/n`, `x::/n` or a bare address into a BlockList subnet. */
function addNetwork(list: BlockList, cidr: string): void {
  const [address, prefixText] = cidr.split('/');
  const family = isIP(address ?? '');
  if (!address || family === 0) throw new InvalidNetworkError(`"${cidr}" is not an IP network`);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new InvalidNetworkError(`"${cidr}" has an invalid prefix length`);
  }
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped IPv6 address, else the address itself. */
export function unmapIPv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return address;
}

export class NetworkPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  /** `allowedNetworks`: CIDRs reachable although private (throws InvalidNetworkError on a bad one). */
  constructor(allowedNetworks: readonly string[]) {
    for (const [a, p] of BLOCKED_V4) this.blocked.addSubnet(a, p, 'ipv4');
    for (const [a, p] of BLOCKED_V6) this.blocked.addSubnet(a, p, 'ipv6');
    for (const cidr of allowedNetworks) addNetwork(this.allowed, cidr);
  }

  /** Whether an outbound request may connect to this IP address. Anything that is not an IP is refused. */
  allows(address: string): boolean {
    const ip = unmapIPv4(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
    const family = isIP(ip);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(ip, type)) return true;
    return !this.blocked.check(ip, type);
  }
}

const PUBLIC_ONLY = new NetworkPolicy([]);

/** True for any address the platform never reaches without an allow-list (or not an IP at all). */
export function isNonPublicAddress(address: string): boolean {
  return !PUBLIC_ONLY.allows(address);
}
