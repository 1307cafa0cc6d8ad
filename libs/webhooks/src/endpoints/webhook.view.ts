import { EndpointView } from './webhook-endpoints.service';
import { WebhookDto } from '../webhook.dto';
import { maskHeaderValue } from './webhook-headers.policy';

export function toWebhookDto({ endpoint: e, disabled }: EndpointView): WebhookDto {
  const dto: WebhookDto = {
    id: e._id,
    url: e.url,
    events: e.events,
    connectionIds: e.connectionIds,
    headers: Object.fromEntries(e.headers.map((h) => [h.name, maskHeaderValue(h.value)])),
    ordering: e.ordering,
    status: disabled ? 'disabled' : 'enabled',
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
  if (e.description) dto.description = e.description;
  if (disabled) {
    dto.disabled = { reason: disabled.reason, disabledAt: disabled.disabledAt.toISOString() };
    if (disabled.lastStatusCode !== undefined) dto.disabled.lastStatusCode = disabled.lastStatusCode;
    if (disabled.lastError !== undefined) dto.disabled.lastError = disabled.lastError;
  }
  return dto;
}
