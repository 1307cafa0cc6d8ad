import { useState } from 'react';
import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { ConfirmButton } from '../ui/confirm-button.component';
import { LoadError, Page } from '../ui/page.component';
import { BotSettingsForm, CreateBotForm } from './faq-bot-forms.component';
import { modeLabel } from './faq-bot.mapper';
import { FaqEntries } from './faq-entries.component';
import { FaqReport } from './faq-report.component';
import { FaqTester } from './faq-tester.component';
import './faq-bots.css';

/** One FAQ bot (id `new`: start one): settings, entries, a question tester and its report. */
export function FaqBotPage({ id }: { id: string }) {
  const user = useUser();
  const manage = can(user.role, 'faq-bots.manage');
  const creating = id === 'new';
  const loaded = useApiData(
    () =>
      creating
        ? Promise.resolve({ ok: false as const, problem: { status: 0, code: 'new', message: '' } })
        : call(api.GET('/v1/faq-bots/{id}', { params: { path: { id } } })),
    id,
  );
  const [problem, setProblem] = useState<string>();

  if (creating) {
    return (
      <Page title="New FAQ bot">
        <p className="breadcrumb">
          <Link to={urls.faqBots}>FAQ bots</Link> / New
        </p>
        {manage ? (
          <CreateBotForm />
        ) : (
          <p className="note" data-testid="read-only-note">
            Your role ({roleLabel(user.role)}) can see the bots but not create them.
          </p>
        )}
      </Page>
    );
  }
  const bot = loaded.data;
  if (!bot) {
    if (loaded.problem) {
      const message =
        loaded.problem.status === 404 ? 'There is no such FAQ bot in your account.' : loaded.problem.message;
      return (
        <Page title="FAQ bot">
          <LoadError message={message} onRetry={loaded.reload} />
          <p>
            <Link to={urls.faqBots}>Back to FAQ bots</Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title="FAQ bot">
        <p className="muted">Loading…</p>
      </Page>
    );
  }

  const remove = async () => {
    const result = await call(api.DELETE('/v1/faq-bots/{id}', { params: { path: { id: bot.id } } }));
    if (!result.ok) setProblem(result.problem.message);
    else navigate(urls.faqBots);
  };

  return (
    <Page title={bot.name}>
      <p className="breadcrumb">
        <Link to={urls.faqBots}>FAQ bots</Link> / {bot.name}
      </p>
      {manage ? (
        <BotSettingsForm bot={bot} onSaved={loaded.set} />
      ) : (
        <>
          <p className="note" data-testid="read-only-note">
            Your role ({roleLabel(user.role)}) can see this bot but not change or ask it.
          </p>
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">Settings</h2>
            <dl className="facts">
              <dt>State</dt>
              <dd>{bot.enabled ? 'Enabled' : 'Disabled'}</dd>
              <dt>Answers</dt>
              <dd>{modeLabel(bot.mode)}</dd>
              <dt>Fallback answer</dt>
              <dd>{bot.fallbackAnswer ?? '—'}</dd>
            </dl>
          </section>
        </>
      )}
      <FaqEntries
        botId={bot.id}
        entries={bot.entries}
        manage={manage}
        onChange={(entries) => loaded.set({ ...bot, entries, entryCount: entries.length })}
      />
      {manage && <FaqTester botId={bot.id} threshold={bot.threshold} />}
      <FaqReport botId={bot.id} />
      {manage && (
        <section className="card" aria-labelledby="danger-title">
          <h2 id="danger-title">Delete</h2>
          <ConfirmButton
            label="Delete bot"
            className="button button-danger"
            title={`Delete ${bot.name}?`}
            confirmLabel="Delete bot"
            onConfirm={remove}
          >
            <p>The bot, its entries and its report are deleted. This cannot be undone.</p>
          </ConfirmButton>
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
        </section>
      )}
    </Page>
  );
}
