import type { LookupAddress } from 'node:dns';
import { NetworkPolicy } from '@wwb/outbound';
import {
  AddressRefusedError,
  AllowedHosts,
  allowedHosts,
  checkedLookup,
  HostResolver,
  refusedLiteral,
} from './checked-lookup.policy';
import { classifyTransportError } from './outbound-http.errors';

const resolver: HostResolver = async (host) =>
  ({
    mixed: [
      { address: '10.0.0.1', family: 4 as const },
      { address: '93.184.216.34', family: 4 as const },
      { address: '2606:4700::1', family: 6 as const },
    ],
    private: [{ address: '192.168.1.1', family: 4 as const }],
    'media.internal': [{ address: '169.254.169.254', family: 4 as const }],
  })[host.toLowerCase()] ?? []; // names are case-insensitive, as in DNS

type Outcome = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function lookup(
  policy: NetworkPolicy,
  host: string,
  options: { all?: boolean; family?: number } = {},
  hosts?: AllowedHosts,
) {
  return new Promise<Outcome>((resolve) =>
    checkedLookup(policy, { resolve: resolver, allowedHosts: hosts })(host, options, (err, address, family) =>
      resolve({ err, address, family }),
    ),
  );
}

describe('checkedLookup', () => {
  const strict = new NetworkPolicy([]);

  it('answers only allowed addresses (the socket connects to a checked one)', async () => {
    expect(await lookup(strict, 'mixed')).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    expect((await lookup(strict, 'mixed', { all: true })).address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
    expect(await lookup(strict, 'mixed', { family: 6 })).toMatchObject({
      address: '2606:4700::1',
      family: 6,
    });
  });

  it('fails with AddressRefusedError when nothing allowed is left', async () => {
    const { err } = await lookup(strict, 'private');
    expect(err).toBeInstanceOf(AddressRefusedError);
    expect(err).toMatchObject({ code: 'ESSRFBLOCKED', host: 'private', addresses: ['192.168.1.1'] });
    expect((await lookup(strict, 'unknown')).err).toBeInstanceOf(AddressRefusedError);
  });

  it('lets the allow-list through', async () => {
    const allowing = new NetworkPolicy(['192.168.0.0/16']);
    expect(await lookup(allowing, 'private')).toEqual({ err: null, address: '192.168.1.1', family: 4 });
  });

  it('trusts an allow-listed host name whatever it resolves to, and only that exact name', async () => {
    const hosts = allowedHosts(['Media.Internal.', 'private.other']);
    expect(await lookup(strict, 'MEDIA.internal', {}, hosts)).toEqual({
      err: null,
      address: '169.254.169.254',
      family: 4,
    });
    expect((await lookup(strict, 'private', {}, hosts)).err).toBeInstanceOf(AddressRefusedError);
    expect((await lookup(strict, 'media.internal', { family: 6 }, hosts)).err).toBeInstanceOf(
      AddressRefusedError,
    );
  });
});

describe('refusedLiteral', () => {
  it('refuses private IP literals (bracketed IPv6 too) and ignores names', () => {
    const strict = new NetworkPolicy([]);
    expect(refusedLiteral(strict, '127.0.0.1')).toBeInstanceOf(AddressRefusedError);
    expect(refusedLiteral(strict, '[::1]')).toBeInstanceOf(AddressRefusedError);
    expect(refusedLiteral(strict, '8.8.8.8')).toBeUndefined();
    expect(refusedLiteral(strict, 'example.com')).toBeUndefined();
    expect(refusedLiteral(new NetworkPolicy(['127.0.0.0/8']), '127.0.0.1')).toBeUndefined();
    const hosts = allowedHosts(['127.0.0.1', '[::1]']);
    expect(refusedLiteral(strict, '127.0.0.1', hosts)).toBeUndefined();
    expect(refusedLiteral(strict, '[::1]', hosts)).toBeUndefined();
    expect(refusedLiteral(strict, '127.0.0.2', hosts)).toBeInstanceOf(AddressRefusedError);
  });
});

describe('classifyTransportError', () => {
  it.each([
    [{ code: 'ESSRFBLOCKED' }, 'ssrf_blocked'],
    [{ code: 'ERR_BAD_RESPONSE', cause: { code: 'ECONNREFUSED' } }, 'connection_refused'],
    [{ code: 'ENOTFOUND' }, 'dns_error'],
    [{ code: 'ECONNRESET' }, 'connection_reset'],
    [{ code: 'EHOSTUNREACH' }, 'unreachable'],
    [{ code: 'CERT_HAS_EXPIRED' }, 'tls_error'],
    [new Error('?'), 'network_error'],
  ])('%p -> %s', (err, code) => {
    expect(classifyTransportError(err)).toBe(code);
  });
});
