import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrorResponses, SECURITY } from '@wwb/http';
import { AdminGuard } from './admin.guard';
import { ApiKeyGuard } from '../keys/api-key.guard';
import { Principal, principalOf } from './principal.model';
import { RateLimitGuard } from './rate-limit.guard';

/** API-key authentication plus the per-key rate limit, documented with both schemes. */
export const ApiKeyAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(ApiKeyGuard, RateLimitGuard),
    ApiBearerAuth(SECURITY.bearer),
    ApiSecurity(SECURITY.apiKey),
    ApiErrorResponses(401, 403, 429, 500),
  );

/** Operator authentication (ADMIN_API_KEY). */
export const AdminAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(AdminGuard), ApiBearerAuth(SECURITY.admin), ApiErrorResponses(401, 429, 500));

/** The authenticated caller (account, key, connection restriction), in a handler behind ApiKeyAuth. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('CurrentPrincipal needs ApiKeyAuth on the handler');
  return principal;
});
