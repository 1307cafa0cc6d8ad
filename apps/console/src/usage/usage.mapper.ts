import type { AccountOverview } from '../api/api.dto';
import { formatBytes, formatCount, shareOf } from '../ui/format.mapper';

export interface UsageRow {
  resource: string;
  label: string;
  /** null: the account page does not count it (contacts are counted by GET /v1/contacts). */
  used: number | null;
  limit: number | null;
  usedText: string;
  limitText: string;
  /** 0..1, null without a limit or a count. */
  share: number | null;
}

const LABELS: Readonly<Record<string, string>> = {
  connections: 'WhatsApp connections',
  users: 'Users and invitations',
  apiKeys: 'API keys',
  webhooks: 'Webhooks',
  templates: 'Templates',
  autoReplies: 'Auto-replies',
  faqBots: 'FAQ bots',
  campaigns: 'Campaigns',
  contacts: 'Contacts',
  pendingMessages: 'Messages waiting to be sent',
  scheduledMessages: 'Scheduled messages',
  bulkJobs: 'Bulk send jobs',
  mediaBytes: 'Stored media',
  sseStreams: 'Live event streams',
  webhookJobs: 'Webhook redelivery jobs',
  mediaFetches: 'Media downloads in progress',
};

/** From camelCase for a resource a newer API added: `fooBars` reads "Foo bars". */
const humanise = (key: string): string => {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
};

/**
 * One row per limit of the plan, in the order above (then any the API added), with what is
 * used of it. Byte counts read as sizes, others as counts in the viewer's locale.
 */
export function usageRows(account: AccountOverview, locale?: string): UsageRow[] {
  const limits = account.limits as unknown as Record<string, number | null>;
  const usage = account.usage as unknown as Record<string, number | undefined>;
  const order = Object.keys(LABELS);
  const keys = Object.keys(limits).sort((a, b) => rank(order, a) - rank(order, b));
  return keys.map((resource) => {
    const limit = limits[resource] ?? null;
    const used = typeof usage[resource] === 'number' ? usage[resource] : null;
    const format = (n: number) =>
      resource === 'mediaBytes' ? formatBytes(n, locale) : formatCount(n, locale);
    return {
      resource,
      label: LABELS[resource] ?? humanise(resource),
      used,
      limit,
      usedText: used === null ? 'Not counted here' : format(used),
      limitText: limit === null ? 'Unlimited' : format(limit),
      share: used === null ? null : shareOf(used, limit),
    };
  });
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
}
