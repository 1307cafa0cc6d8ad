import { InvalidNetworkError, NetworkPolicy, unmapIPv4 } from './network.policy';

describe('NetworkPolicy (SSRF guard)', () => {
  const strict = new NetworkPolicy([]);

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata / link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.100.100.200', 'Alibaba metadata (CGNAT)'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'unspecified'],
    ['fd00:ec2::254', 'AWS metadata (ULA)'],
    ['fc00::1', 'ULA'],
    ['fe80::1', 'link-local'],
    ['64:ff9b::a00:1', 'NAT64'],
    ['64:ff9b:1::1', 'local NAT64'],
    ['2002:a00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback (hex)'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['not-an-ip', 'not an address'],
  ])('refuses %s (%s)', (address) => {
    expect(strict.allows(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows public %s', (a) => {
    expect(strict.allows(a)).toBe(true);
  });

  it('lets allow-listed networks through, and only those', () => {
    const tests = new NetworkPolicy(['127.0.0.0/8', '::1/128', '10.9.0.0/16']);
    expect(tests.allows('127.0.0.1')).toBe(true);
    expect(tests.allows('::1')).toBe(true);
    expect(tests.allows('::ffff:127.0.0.1')).toBe(true);
    expect(tests.allows('10.9.1.1')).toBe(true);
    expect(tests.allows('10.8.1.1')).toBe(false);
    expect(tests.allows('169.254.169.254')).toBe(false);
  });

  it('refuses bad allow-list entries', () => {
    expect(() => new NetworkPolicy(['127.0.0.0/33'])).toThrow(InvalidNetworkError);
    expect(() => new NetworkPolicy(['localhost'])).toThrow(InvalidNetworkError);
  });

  it('unmaps IPv4-mapped IPv6', () => {
    expect(unmapIPv4('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(unmapIPv4('::ffff:a00:1')).toBe('10.0.0.1');
    expect(unmapIPv4('2001:db8::1')).toBe('2001:db8::1');
  });
});
