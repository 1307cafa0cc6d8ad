import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULIDs: 48-bit millisecond time + 80 random bits, Crockford base32, lexicographically
 * time-ordered (cursor pagination sorts on them). Monotonic within one process and millisecond.
 */
@Injectable()
export class IdGenerator {
  private lastTime = 0;
  private lastRandom = Buffer.alloc(10);

  ulid(now = Date.now()): string {
    if (now <= this.lastTime) {
      now = this.lastTime;
      incrementBytes(this.lastRandom);
    } else {
      this.lastTime = now;
      this.lastRandom = randomBytes(10);
    }
    return encodeTime(now) + encodeRandom(this.lastRandom);
  }

  /** A prefixed id such as `acc_01JDQ...`, readable in logs and support tickets. */
  prefixed(prefix: string): string {
    return `${prefix}_${this.ulid()}`;
  }
}

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function incrementBytes(buf: Buffer): void {
  for (let i = buf.length - 1; i >= 0; i--) {
    if (buf[i]! < 255) {
      buf[i]!++;
      return;
    }
    buf[i] = 0;
  }
}
