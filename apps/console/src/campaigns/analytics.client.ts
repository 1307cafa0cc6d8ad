import { api, call, type Result } from '../api/api.client';
import type { AnalyticsReport } from './campaign.dto';

interface Range {
  from: string;
  to: string;
  timeZone: string;
}

/** The API answers CSV too (format=csv); the console asks for JSON and takes only that. */
function json(result: Result<AnalyticsReport | string>): Result<AnalyticsReport> {
  if (!result.ok || typeof result.data === 'object') return result as Result<AnalyticsReport>;
  return {
    ok: false,
    problem: {
      status: 200,
      code: 'unexpected_answer',
      message: 'The API answered with something else than figures.',
    },
  };
}

/** A campaign's daily figures over all its runs. */
export const campaignAnalytics = async (id: string, query: Range): Promise<Result<AnalyticsReport>> =>
  json(await call(api.GET('/v1/analytics/campaigns/{id}', { params: { path: { id }, query } })));

/** One run's daily figures. */
export const runAnalytics = async (
  id: string,
  runId: string,
  query: Range,
): Promise<Result<AnalyticsReport>> =>
  json(
    await call(
      api.GET('/v1/analytics/campaigns/{id}/runs/{runId}', { params: { path: { id, runId }, query } }),
    ),
  );
