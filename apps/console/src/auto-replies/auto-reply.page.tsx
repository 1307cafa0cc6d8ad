import { useCallback, useRef, useState } from 'react';
import { api, call } from '../api/api.client';
import type { components } from '../api/schema';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { ConfirmButton } from '../ui/confirm-button.component';
import { LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { DryRunPanel } from './dry-run.component';
import { RuleEditor } from './rule-editor.component';
import {
  actionSummary,
  emptyRule,
  noErrors,
  ruleErrors,
  ruleSummary,
  toBody,
  toDraft,
  type Json,
  type RuleDraft,
} from './rule-form.mapper';
import './auto-replies.css';

type Rule = components['schemas']['AutoReplyDto'];
type CreateBody = components['schemas']['CreateAutoReplyDto'];

/** One rule (id `new`: a rule being created): its editor, a dry run, and delete. */
export function AutoReplyPage({ id }: { id: string }) {
  const creating = id === 'new';
  const user = useUser();
  const manage = can(user.role, 'auto-replies.manage');
  const loaded = useApiData<Rule | null>(
    () =>
      creating
        ? Promise.resolve({ ok: true as const, data: null })
        : call(api.GET('/v1/auto-replies/{id}', { params: { path: { id } } })),
    id,
  );
  const bots = useApiData(
    () =>
      manage
        ? call(api.GET('/v1/faq-bots', { params: { query: { limit: 100 } } }))
        : Promise.resolve({ ok: true as const, data: { data: [], nextCursor: null } }),
    'bots',
  );
  const [errors, setErrors] = useState(noErrors());
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [deleteProblem, setDeleteProblem] = useState<string>();
  // The form as typed, read when a dry run starts: no re-render of the page per keystroke.
  const typed = useRef<RuleDraft | null>(null);
  const keepTyped = useCallback((draft: RuleDraft) => {
    typed.current = draft;
  }, []);

  if (loaded.data === undefined) {
    if (loaded.problem) {
      const message =
        loaded.problem.status === 404 ? 'There is no such rule in your account.' : loaded.problem.message;
      return (
        <Page title="Auto-reply rule">
          <LoadError message={message} onRetry={loaded.reload} />
          <p>
            <Link to={urls.autoReplies}>Back to auto-replies</Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title="Auto-reply rule">
        <p className="muted">Loading…</p>
      </Page>
    );
  }
  const rule = loaded.data;
  if (creating && !manage) {
    return (
      <Page title="New rule">
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see the rules but not create them.
        </p>
      </Page>
    );
  }

  const save = async (draft: RuleDraft) => {
    setSaved(false);
    const built = toBody(draft);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setBusy(true);
    const body = built.body as unknown as CreateBody;
    const result = rule
      ? await call(api.PATCH('/v1/auto-replies/{id}', { params: { path: { id: rule.id } }, body }))
      : await call(api.POST('/v1/auto-replies', { body }));
    setBusy(false);
    if (!result.ok) {
      setErrors(ruleErrors(result.problem));
      return;
    }
    setErrors(noErrors());
    if (!rule) {
      navigate(urls.autoReply(result.data.id), { replace: true });
      return;
    }
    loaded.set(result.data);
    setSaved(true);
  };

  const remove = async () => {
    if (!rule) return;
    const result = await call(api.DELETE('/v1/auto-replies/{id}', { params: { path: { id: rule.id } } }));
    if (!result.ok) setDeleteProblem(result.problem.message);
    else navigate(urls.autoReplies);
  };

  const title = rule ? rule.name : 'New rule';
  return (
    <Page title={title}>
      <p className="breadcrumb">
        <Link to={urls.autoReplies}>Auto-replies</Link> / {title}
      </p>
      {manage ? (
        <>
          <RuleEditor
            initial={rule ? toDraft(rule) : emptyRule()}
            errors={errors}
            busy={busy}
            creating={!rule}
            bots={(bots.data?.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
            onSave={(draft) => void save(draft)}
            onChange={keepTyped}
          />
          {saved && (
            <p className="success" role="status">
              Saved.
            </p>
          )}
          <DryRunPanel draft={() => typed.current} draftOf={rule?.id} onDraftErrors={setErrors} />
          {rule && (
            <section className="card" aria-labelledby="danger-title">
              <h2 id="danger-title">Delete</h2>
              <ConfirmButton
                label="Delete rule"
                className="button button-danger"
                title={`Delete ${rule.name}?`}
                confirmLabel="Delete rule"
                onConfirm={remove}
              >
                <p>The rule stops answering at once. This cannot be undone.</p>
              </ConfirmButton>
              {deleteProblem && (
                <p className="form-error" role="alert">
                  {deleteProblem}
                </p>
              )}
            </section>
          )}
        </>
      ) : (
        rule && <RuleFacts rule={rule} role={user.role} />
      )}
    </Page>
  );
}

/** The rule for a role that may only read it: no inputs, no buttons. */
function RuleFacts({ rule, role }: { rule: Rule; role: string }) {
  return (
    <>
      <p className="note" data-testid="read-only-note">
        Your role ({roleLabel(role)}) can see this rule but not change or try it.
      </p>
      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title">Rule</h2>
        <dl className="facts">
          <dt>State</dt>
          <dd>{rule.enabled ? 'Enabled' : 'Disabled'}</dd>
          <dt>Priority</dt>
          <dd>{rule.priority}</dd>
          <dt>When</dt>
          <dd>{ruleSummary(rule.conditions)}</dd>
          <dt>Then</dt>
          <dd>{rule.actions.map((a) => actionSummary(a as Json)).join('; ')}</dd>
          <dt>Stops later rules</dt>
          <dd>{rule.stopOnMatch ? 'Yes' : 'No'}</dd>
          <dt>Cooldown</dt>
          <dd>{rule.cooldownSeconds} s</dd>
          <dt>Changed</dt>
          <dd>
            <Time iso={rule.updatedAt} />
          </dd>
        </dl>
      </section>
    </>
  );
}
