export { ApiUsageRepository } from './api-usage.repository';
export type { UsageIncrement } from './api-usage.repository';
export { ApiUsageService } from './api-usage.service';
export type { HourUsage } from './api-usage.service';
export { API_USAGE_FLUSH_TIMER, ApiUsageStore } from './api-usage.store';
export { API_USAGE_PREFIX, SEND_MESSAGE_ROUTE, usageIdOf } from './api-usage.schema';
export type { ApiUsageRecord, UsageCounters } from './api-usage.schema';
