import { BlockList, isIP } from 'node:net';
import { isNonPublicAddress, unmapIPv4 } from '@wwb/outbound';

export { isNonPublicAddress };

/**
 * The SSRF rule for media URLs (the platform's one address rule, @wwb/outbound): a URL may only reach public addresses, except hosts listed in
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
    const ip = unmapIPv4(address);
    const version = isIP(ip);
    return version !== 0 && this.allowed.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  }
}
