import { AddressPolicy, isNonPublicAddress } from './address.policy';

describe('SSRF address policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['2002:a00:1::1', true],
    ['64:ff9b:1::a00:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:a9fe:a9fe', true],
    ['::ffff:808:808', false],
    ['garbage', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
  ])('isNonPublicAddress(%p) = %p', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it('refuses private addresses unless the host or the address is allow-listed', () => {
    const none = new AddressPolicy([]);
    expect(none.permits('cdn.example.com', '93.184.216.34')).toBe(true);
    expect(none.permits('evil.example.com', '127.0.0.1')).toBe(false);
    expect(none.permits('metadata', '169.254.169.254')).toBe(false);

    const some = new AddressPolicy(['Media.Internal', '127.0.0.1', '10.0.0.0/8', '::1']);
    expect(some.permits('media.internal', '192.168.0.5')).toBe(true);
    expect(some.permits('anything', '127.0.0.1')).toBe(true);
    expect(some.permits('anything', '10.9.8.7')).toBe(true);
    expect(some.permits('anything', '::1')).toBe(true);
    expect(some.permits('anything', '::ffff:10.0.0.1')).toBe(true);
    expect(some.permits('anything', '192.168.0.5')).toBe(false);
    expect(some.permits('anything', '169.254.169.254')).toBe(false);
  });
});
