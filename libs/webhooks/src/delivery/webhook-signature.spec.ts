import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { generateSecret, secretKey, signatureHeader, SECRET_PREFIX } from './webhook-signature';

describe('webhook signatures', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateSecret();
    expect(a.startsWith(SECRET_PREFIX)).toBe(true);
    expect(secretKey(a)).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });

  it('signs what standardwebhooks and svix verify, with one or two secrets', () => {
    const current = generateSecret();
    const previous = generateSecret();
    const body = '{"id":"01J","type":"message.received","data":{"text":"héllo"}}';
    const id = 'msg_01J_01K';
    const ts = Math.floor(Date.now() / 1000);
    for (const keys of [[current], [current, previous]]) {
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': signatureHeader(keys.map(secretKey), id, ts, body),
      };
      for (const secret of keys) {
        expect(new StandardWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
        // svix 2 returns nothing and throws when the signature does not verify.
        expect(() =>
          new SvixWebhook(secret).verify(body, {
            'svix-id': id,
            'svix-timestamp': headers['webhook-timestamp'],
            'svix-signature': headers['webhook-signature'],
          }),
        ).not.toThrow();
      }
    }
    const other = generateSecret();
    expect(() =>
      new StandardWebhook(other).verify(body, {
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': signatureHeader([secretKey(current)], id, ts, body),
      }),
    ).toThrow();
  });
});
