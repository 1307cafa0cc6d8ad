import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '@wwb/http';
import { principalOf } from './principal.model';
import { RateLimiterService } from './rate-limiter.service';

/**
 * Per-key rate limit over all API processes (RateLimiterService), after ApiKeyGuard: 429
 * rate_limited with Retry-After; X-RateLimit-Limit (requests per window) and
 * X-RateLimit-Remaining on every answer.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiterService) {}

  canActivate(ctx: ExecutionContext): boolean {
    const http = ctx.switchToHttp();
    const principal = principalOf(http.getRequest<Request>());
    if (!principal) throw new Error('RateLimitGuard must run after ApiKeyGuard');
    const res = http.getResponse<Response>();
    const result = this.limiter.take(principal.apiKeyId);
    res.setHeader('X-RateLimit-Limit', String(this.limiter.limit));
    res.setHeader('X-RateLimit-Remaining', String(result.remaining));
    if (!result.allowed) {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      throw new AppError(429, 'rate_limited', 'Too many requests for this API key', {
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
    return true;
  }
}
