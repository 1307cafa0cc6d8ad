import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { DomainError } from '@wwb/runtime';
import { ActiveSession, ConsoleSessionsService } from './console-sessions.service';
import {
  clearedSessionCookie,
  CSRF_HEADER,
  isUnsafeMethod,
  readSessionCookie,
  sessionCookie,
  wantsSecureCookie,
} from './session-cookie.policy';
import { sameSecret } from './session-token.policy';

export const notSignedIn = () =>
  new AppError(401, 'not_signed_in', 'Sign in to the console (the session is missing, ended or expired)');

/**
 * The HTTP side of console sessions, shared by the console routes and the guards (ApiKeyGuard,
 * AdminGuard): the cookie in, the cookie out, and the CSRF check of unsafe methods.
 */
@Injectable()
export class SessionRequestService {
  private readonly publicBaseUrl: string;

  constructor(
    config: AppConfig,
    private readonly sessions: ConsoleSessionsService,
  ) {
    this.publicBaseUrl = config.http.publicBaseUrl;
  }

  tokenOf(req: Request): string | undefined {
    return readSessionCookie(req.headers.cookie);
  }

  /**
   * The request's session: 401 not_signed_in when there is none (or it ended), 403
   * account_disabled when its account was disabled (the session ends with that answer). Sends the
   * cookie again when the expiry slid, so that the browser keeps it as long as the server does.
   */
  async authenticate(req: Request, res: Response): Promise<ActiveSession> {
    const token = this.tokenOf(req);
    if (!token) throw notSignedIn();
    const found = await this.sessions.lookup(token);
    if (found.status === 'account_disabled') {
      this.clearCookie(req, res);
      throw new AppError(403, 'account_disabled', 'This account is disabled');
    }
    if (found.status === 'none') {
      this.clearCookie(req, res);
      throw notSignedIn();
    }
    if (found.extended) this.setCookie(req, res, token);
    return found.session;
  }

  /** 403 csrf_failed unless a request that changes something carries the session's X-CSRF-Token. */
  requireCsrf(req: Request, session: ActiveSession): void {
    if (!isUnsafeMethod(req.method)) return;
    const header = req.headers[CSRF_HEADER];
    const presented = Array.isArray(header) ? header[0] : header;
    if (!sameSecret(presented, session.csrfToken)) {
      throw new DomainError(
        'forbidden',
        'csrf_failed',
        'X-CSRF-Token is missing or is not the csrfToken of this session (GET /v1/console/session gives it)',
      );
    }
  }

  /** The cookie of a session whose expiry was just set to a full lifetime from now (started or slid). */
  setCookie(req: Request, res: Response, token: string): void {
    res.append('Set-Cookie', sessionCookie(token, this.sessions.ttlSeconds, this.secure(req)));
  }

  clearCookie(req: Request, res: Response): void {
    res.append('Set-Cookie', clearedSessionCookie(this.secure(req)));
  }

  private secure(req: Request): boolean {
    return wantsSecureCookie(req, this.publicBaseUrl);
  }
}
