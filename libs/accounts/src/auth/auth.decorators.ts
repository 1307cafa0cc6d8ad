import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrorResponses, SECURITY } from '@wwb/http';
import { AdminGuard } from './admin.guard';
import { ApiKeyGuard } from '../keys/api-key.guard';
import { Principal, principalOf } from './principal.model';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * API-key authentication plus the per-key rate limit, documented with both key schemes and the
 * console's session cookie (the document adds X-CSRF-Token to it on changes).
 */
export const ApiKeyAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(ApiKeyGuard, RateLimitGuard),
    ApiBearerAuth(SECURITY.bearer),
    ApiSecurity(SECURITY.apiKey),
    ApiSecurity(SECURITY.session),
    ApiErrorResponses(401, 403, 429, 500),
  );

/**
 * Operator authentication: ADMIN_API_KEY, or the operator's console session (403 csrf_failed on a
 * change without X-CSRF-Token, 403 forbidden_scope for a user's session).
 */
export const AdminAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(AdminGuard),
    ApiBearerAuth(SECURITY.admin),
    ApiSecurity(SECURITY.session),
    ApiErrorResponses(401, 403, 429, 500),
  );

/** The authenticated caller (account, key, connection restriction), in a handler behind ApiKeyAuth. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('CurrentPrincipal needs ApiKeyAuth on the handler');
  return principal;
});
