import type { ReactNode } from 'react';
import { ApiKeysPage } from '../api-keys/api-keys.page';
import { AutoRepliesPage } from '../auto-replies/auto-replies.page';
import { AutoReplyPage } from '../auto-replies/auto-reply.page';
import { CampaignRunPage } from '../campaigns/campaign-run.page';
import { CampaignPage } from '../campaigns/campaign.page';
import { CampaignsPage } from '../campaigns/campaigns.page';
import { ContactsPage } from '../contacts/contacts.page';
import { ConversationPage } from '../conversations/conversation.page';
import { ConversationsPage } from '../conversations/conversations.page';
import { FaqBotPage } from '../faq-bots/faq-bot.page';
import { FaqBotsPage } from '../faq-bots/faq-bots.page';
import { ConnectionDetailPage } from '../pages/connection-detail.page';
import { ConnectionsPage } from '../pages/connections.page';
import { UsagePage } from '../pages/usage.page';
import { TemplatePage } from '../templates/template.page';
import { TemplatesPage } from '../templates/templates.page';
import { UsersPage } from '../users/users.page';
import { WebhookPage } from '../webhooks/webhook.page';
import { WebhooksPage } from '../webhooks/webhooks.page';
import { urls, type Route, type RouteName } from './routes.policy';

type Params = Route['params'];

interface SignedInPage {
  /** The sidebar entry the page belongs to. */
  section: string;
  render: (params: Params) => ReactNode;
}

const p = (params: Params, name: string): string => params[name] ?? '';

/**
 * The pages of a signed-in user, by route. A detail page is keyed by its ids so that moving from
 * one record to another starts it afresh instead of showing the last record's state.
 */
export const SIGNED_IN_PAGES: Partial<Record<RouteName, SignedInPage>> = {
  connections: { section: urls.connections, render: () => <ConnectionsPage /> },
  connection: {
    section: urls.connections,
    render: (q) => <ConnectionDetailPage key={p(q, 'id')} id={p(q, 'id')} />,
  },
  conversations: { section: urls.conversations, render: () => <ConversationsPage /> },
  conversation: {
    section: urls.conversations,
    render: (q) => (
      <ConversationPage
        key={`${p(q, 'connectionId')}/${p(q, 'chatId')}`}
        connectionId={p(q, 'connectionId')}
        chatId={p(q, 'chatId')}
      />
    ),
  },
  'auto-replies': { section: urls.autoReplies, render: () => <AutoRepliesPage /> },
  'auto-reply': {
    section: urls.autoReplies,
    render: (q) => <AutoReplyPage key={p(q, 'id')} id={p(q, 'id')} />,
  },
  'faq-bots': { section: urls.faqBots, render: () => <FaqBotsPage /> },
  'faq-bot': { section: urls.faqBots, render: (q) => <FaqBotPage key={p(q, 'id')} id={p(q, 'id')} /> },
  templates: { section: urls.templates, render: () => <TemplatesPage /> },
  template: { section: urls.templates, render: (q) => <TemplatePage key={p(q, 'id')} id={p(q, 'id')} /> },
  contacts: { section: urls.contacts, render: () => <ContactsPage /> },
  campaigns: { section: urls.campaigns, render: () => <CampaignsPage /> },
  campaign: { section: urls.campaigns, render: (q) => <CampaignPage key={p(q, 'id')} id={p(q, 'id')} /> },
  'campaign-run': {
    section: urls.campaigns,
    render: (q) => (
      <CampaignRunPage key={`${p(q, 'id')}/${p(q, 'runId')}`} id={p(q, 'id')} runId={p(q, 'runId')} />
    ),
  },
  webhooks: { section: urls.webhooks, render: () => <WebhooksPage /> },
  webhook: { section: urls.webhooks, render: (q) => <WebhookPage key={p(q, 'id')} id={p(q, 'id')} /> },
  'api-keys': { section: urls.apiKeys, render: () => <ApiKeysPage /> },
  users: { section: urls.users, render: () => <UsersPage /> },
  usage: { section: urls.usage, render: () => <UsagePage /> },
};
