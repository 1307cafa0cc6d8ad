import { createHash } from 'node:crypto';
import { ApiKeyGenerator, base62, displayPrefix, hashApiKey, looksLikeApiKey } from './api-key.generator';

describe('API key generation', () => {
  it('makes wwb_ + 43 base62 characters, the 12-character prefix and the sha256 hash', () => {
    const { key, prefix, hash } = new ApiKeyGenerator().generate();
    expect(key).toMatch(/^wwb_[0-9A-Za-z]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(looksLikeApiKey(key)).toBe(true);
  });

  it('never repeats', () => {
    const gen = new ApiKeyGenerator();
    const keys = new Set(Array.from({ length: 2000 }, () => gen.generate().key));
    expect(keys.size).toBe(2000);
  });

  it('encodes base62 exactly and pads to 43 characters', () => {
    expect(base62(Buffer.alloc(32))).toBe('0'.repeat(43));
    expect(base62(Buffer.from([61]))).toBe(`${'0'.repeat(42)}z`);
    expect(base62(Buffer.from([62]))).toBe(`${'0'.repeat(41)}10`);
    expect(base62(Buffer.alloc(32, 0xff))).toHaveLength(43);
    const max = BigInt(`0x${'ff'.repeat(32)}`);
    const decoded = [...base62(Buffer.alloc(32, 0xff))].reduce(
      (n, c) => n * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c)),
      0n,
    );
    expect(decoded).toBe(max);
  });

  it('recognises only well-formed keys', () => {
    expect(looksLikeApiKey(`wwb_${'a'.repeat(43)}`)).toBe(true);
    expect(looksLikeApiKey(`wwb_${'a'.repeat(42)}`)).toBe(false);
    expect(looksLikeApiKey(`xxx_${'a'.repeat(43)}`)).toBe(false);
    expect(looksLikeApiKey(`wwb_${'a'.repeat(42)}-`)).toBe(false);
    expect(hashApiKey('abc')).toHaveLength(64);
    expect(displayPrefix('wwb_0123456789')).toBe('wwb_01234567');
  });
});
