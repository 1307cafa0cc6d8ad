import { Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@wwb/runtime';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** scrypt cost: about 60 ms and 16 MiB per hash on one core (the usual interactive-login setting). */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
const SCHEME = 'scrypt';
/** Room for N up to 2^17 at r = 8 (Node's default maxmem stops at 32 MiB). */
const MAX_MEMORY = 256 * 1024 * 1024;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, keyBytes: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, { ...params, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** 400 weak_password unless the password has 10 to 200 characters. */
export function assertStrongPassword(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw DomainError.invalid(
      'weak_password',
      `password must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, got ${length}`,
      { field: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH },
    );
  }
}

/**
 * Password hashing with scrypt (node:crypto). The stored string names its scheme and parameters,
 * `scrypt$<N>$<r>$<p>$<salt>$<key>` (base64url), so that a stronger setting later still verifies
 * the hashes made before it.
 */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, KEY_BYTES, SCRYPT_PARAMS);
    const { N, r, p } = SCRYPT_PARAMS;
    return [SCHEME, N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Whether `password` is the one `stored` was made from; false for anything malformed. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
    return timingSafeEqual(key, parsed.key);
  }

  /**
   * Spends the time of one verification on nothing: sign-in calls it for an unknown email, so
   * that the answer takes as long as for a known email with a wrong password.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('base64url'));
    await this.verify(password, await this.dummy);
    return false;
  }
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== SCHEME) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = (n: number, max: number) => Number.isSafeInteger(n) && n >= 1 && n <= max;
  // Bounds keep a tampered row from making one verification take minutes or all the memory.
  if (!valid(N, 1 << 17) || (N & (N - 1)) !== 0 || !valid(r, 32) || !valid(p, 16)) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 128) return undefined;
  return { params: { N, r, p }, salt, key };
}
