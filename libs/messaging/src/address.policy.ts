import { BlockList, isIP } from 'node:net';

/** Special-purpose ranges a media URL must never reach (RFC 6890 and friends). */
const PRIVATE_V4 = [
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
] as const;
const PRIVATE_V6 = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const;

const blocked = new BlockList();
for (const [net, prefix] of PRIVATE_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of PRIVATE_V6) blocked.addSubnet(net, prefix, 'ipv6');

/** `::ffff:10.0.0.1` -> `10.0.0.1`; anything else unchanged. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return { address: m[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** True for loopback, private, link-local, CGNAT, multicast, documentation and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const a = unmapped(address);
  if (isIP(a.address) === 0) return true;
  return blocked.check(a.address, a.family);
}

/**
 * The SSRF rule for media URLs: a URL may only reach public addresses, except hosts listed in
 * MEDIA_URL_ALLOW_PRIVATE_HOSTS (host names, matched case-insensitively, or IPs / CIDRs matched
 * against the resolved address).
 */
export class AddressPolicy {
  private readonly hosts = new Set<string>();
  private readonly allowed = new BlockList();
  private hasRanges = false;

  constructor(allowList: readonly string[]) {
    for (const raw of allowList.map((x) => x.trim()).filter(Boolean)) {
      const [net, bits] = raw.split('/');
      const version = isIP(net!.replace(/^\[|\]$/g, ''));
      if (version === 0) {
        this.hosts.add(raw.toLowerCase());
        continue;
      }
      const family = version === 6 ? 'ipv6' : 'ipv4';
      const address = net!.replace(/^\[|\]$/g, '');
      if (bits === undefined) this.allowed.addAddress(address, family);
      else this.allowed.addSubnet(address, Number(bits), family);
      this.hasRanges = true;
    }
  }

  /** Whether `hostname` may be fetched when it resolves to `address`. */
  permits(hostname: string, address: string): boolean {
    if (!isNonPublicAddress(address)) return true;
    if (this.hosts.has(hostname.toLowerCase().replace(/^\[|\]$/g, ''))) return true;
    if (!this.hasRanges) return false;
    const a = unmapped(address);
    return isIP(a.address) !== 0 && this.allowed.check(a.address, a.family);
  }
}
