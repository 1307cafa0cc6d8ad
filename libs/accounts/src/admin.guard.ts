import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { presentedKey, withChallenge } from './presented-key';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether `presented` is the operator key; constant time over sha256 digests (no length leak). */
export function isAdminKey(presented: string | undefined, expectedDigest: Buffer): boolean {
  return presented !== undefined && timingSafeEqual(sha256(presented), expectedDigest);
}

/** The operator key (ADMIN_API_KEY) as Bearer or X-API-Key: 401 invalid_admin_key otherwise. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: AppConfig) {
    this.expected = sha256(config.auth.adminApiKey);
  }

  canActivate(ctx: ExecutionContext): boolean {
    if (!isAdminKey(presentedKey(ctx.switchToHttp().getRequest<Request>().headers), this.expected)) {
      throw withChallenge(ctx, new AppError(401, 'invalid_admin_key', 'A valid operator key is required'));
    }
    return true;
  }
}
