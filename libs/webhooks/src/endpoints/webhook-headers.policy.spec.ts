import { maskHeaderValue, parseCustomHeaders, unmaskHeaders } from './webhook-headers.policy';

describe('custom headers', () => {
  it('keeps valid headers as pairs (names with dots included)', () => {
    expect(parseCustomHeaders({ Authorization: 'Bearer x', 'X-Tenant.Id': '7' })).toEqual({
      ok: true,
      pairs: [
        { name: 'Authorization', value: 'Bearer x' },
        { name: 'X-Tenant.Id', value: '7' },
      ],
    });
  });

  it.each([
    'Connection',
    'transfer-encoding',
    'Host',
    'Content-Length',
    'Content-Type',
    'User-Agent',
    'webhook-signature',
    'Webhook-Id',
    'svix-signature',
    'X-Forwarded-For',
    'Proxy-Authorization',
    'Upgrade',
  ])('refuses %s', (name) => {
    expect(parseCustomHeaders({ [name]: 'v' }).ok).toBe(false);
  });

  it('refuses malformed names, line breaks, non-strings, duplicates and too many', () => {
    expect(parseCustomHeaders({ 'Bad Name': 'v' }).ok).toBe(false);
    expect(parseCustomHeaders({ 'X-A': 'a\r\nInjected: 1' }).ok).toBe(false);
    expect(parseCustomHeaders({ 'X-A': 5 }).ok).toBe(false);
    expect(parseCustomHeaders({ 'X-A': '1', 'x-a': '2' }).ok).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(parseCustomHeaders(many).ok).toBe(false);
  });

  it.each([
    ['a character beyond Latin-1', 'Bearer \u20ac'],
    ['a control character', 'a\u0001b'],
    ['DEL', 'a\u007fb'],
  ])('refuses a value with %s, as node:http would refuse it when sending', (_what, value) => {
    const parsed = parseCustomHeaders({ 'X-A': value });
    expect(parsed).toEqual({ ok: false, problems: [expect.stringMatching(/cannot carry/)] });
  });

  it('accepts what node:http sends: tabs and Latin-1 letters', () => {
    expect(parseCustomHeaders({ 'X-A': 'caf\u00e9\tau lait' }).ok).toBe(true);
  });

  it('masks values: short ones entirely, long ones but their last 4 characters', () => {
    expect(maskHeaderValue('Bearer abc')).toBe('****');
    expect(maskHeaderValue('Bearer abcdefghijkl')).toBe('****ijkl');
  });

  it('a masked value sent back keeps the stored value; anything else replaces it', () => {
    const stored = [
      { name: 'Authorization', value: 'Bearer abcdefghijkl' },
      { name: 'X-Tenant', value: 'acme' },
    ];
    expect(
      unmaskHeaders({ authorization: '****ijkl', 'X-Tenant': 'other', 'X-New': '****' }, stored),
    ).toEqual({ authorization: 'Bearer abcdefghijkl', 'X-Tenant': 'other', 'X-New': '****' });
    expect(unmaskHeaders({ Authorization: '****' }, stored)).toEqual({ Authorization: '****' });
  });
});
