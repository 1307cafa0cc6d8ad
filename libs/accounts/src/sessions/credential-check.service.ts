import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@wwb/http';
import { ApiKeyAuthService } from '../keys/api-key-auth.service';
import { presentedKey } from '../keys/presented-key';
import { ConsoleSessionsService } from './console-sessions.service';
import { readSessionCookie } from './session-cookie.policy';
import { notSignedIn } from './session-request.service';

/**
 * Checks again, during a long request (a Server-Sent Events stream), that the credential it was
 * opened with still holds: the API key, or else the console session cookie. Throws a 401 or
 * 403 AppError when it no longer does (key revoked, session ended, account disabled); any other
 * error means the store could not be asked, and the caller keeps the stream until the next check.
 */
@Injectable()
export class CredentialCheckService {
  constructor(
    private readonly keys: ApiKeyAuthService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  async recheck(req: Request): Promise<void> {
    const key = presentedKey(req.headers);
    if (key) {
      await this.keys.authenticate(key);
      return;
    }
    const token = readSessionCookie(req.headers.cookie);
    if (!token) throw new AppError(401, 'invalid_api_key', 'The API key is unknown or revoked');
    const found = await this.sessions.lookup(token);
    if (found.status === 'account_disabled')
      throw new AppError(403, 'account_disabled', 'This account is disabled');
    if (found.status === 'none') throw notSignedIn();
  }
}
