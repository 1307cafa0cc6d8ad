import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app.error';
import { MetricsAccessPolicy } from './metrics-access.policy';

/** GET /metrics on the API port: 401 invalid_metrics_token unless METRICS_TOKEN is presented. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly access: MetricsAccessPolicy) {}

  canActivate(ctx: ExecutionContext): boolean {
    const http = ctx.switchToHttp();
    if (this.access.allows(http.getRequest<Request>().headers)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new AppError(
      401,
      'invalid_metrics_token',
      'Metrics need METRICS_TOKEN as a Bearer token (or are served on METRICS_PORT)',
    );
  }
}
