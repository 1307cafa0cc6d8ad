import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'wwb_';
export const API_KEY_DISPLAY_PREFIX_LENGTH = 12;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^43 > 2^256: 43 base62 digits hold any 32 bytes. */
const BODY_LENGTH = 43;
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH}}$`);

/** Base62 of a byte string, left-padded with '0' to `length`. */
export function base62(bytes: Uint8Array, length = BODY_LENGTH): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(length, '0');
}

/** sha256 (hex) of a key: what is stored and looked up. Keys have 256 random bits: no salt or KDF needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Cheap shape check, so that garbage never reaches the database. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH);
}

export interface GeneratedApiKey {
  /** The full key: returned to the caller once, never stored. */
  key: string;
  prefix: string;
  hash: string;
}

/** Randomness behind an injectable, so that services can be tested with fixed keys. */
@Injectable()
export class ApiKeyGenerator {
  generate(): GeneratedApiKey {
    const key = API_KEY_PREFIX + base62(randomBytes(32));
    return { key, prefix: displayPrefix(key), hash: hashApiKey(key) };
  }
}
