import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import type { components } from '../api/schema';
import { useApiData } from '../ui/api-data.store';
import { Field, FormError, SelectField } from '../ui/field.component';
import { draftNote, splitDryRunProblem } from './dry-run.mapper';
import { noErrors, ruleErrors, toBody, type RuleDraft, type RuleErrors } from './rule-form.mapper';

type DryRunResult = components['schemas']['DryRunResultDto'];
type DryRunField = 'connectionId' | 'from' | 'text';
type DraftBody = components['schemas']['CreateAutoReplyDto'];

const DRAFT_REFUSED = 'The rule above cannot be tried as it is: see the marked fields.';

/**
 * Tries a sample inbound message against the account's enabled rules: which rule matched, why each
 * one did or did not, and what it would answer. Nothing is sent or saved. With `draft`, the rule
 * being edited is tried as it is in the form (unsaved changes included), in place of its saved
 * version (`draftOf`) or as a new rule; what the API finds wrong with it goes next to its fields.
 */
export function DryRunPanel({
  draft,
  draftOf,
  onDraftErrors,
}: {
  draft?: () => RuleDraft | null;
  draftOf?: string | undefined;
  onDraftErrors?: (errors: RuleErrors) => void;
}) {
  const connections = useApiData(
    () => call(api.GET('/v1/connections', { params: { query: { limit: 100 } } })),
    'dry-run-connections',
  );
  const list = connections.data?.data ?? [];
  const [connectionId, setConnectionId] = useState('');
  const [from, setFrom] = useState('+15551234567');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FormErrors<DryRunField>>({ fields: {} });
  const [result, setResult] = useState<{ data: DryRunResult; note: string | null }>();
  const [busy, setBusy] = useState(false);
  const connection = connectionId || list[0]?.id || '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const form = draft?.();
    const built = form ? toBody(form) : undefined;
    if (built && !built.ok) {
      onDraftErrors?.(built.errors);
      setResult(undefined);
      setErrors({ fields: {}, form: DRAFT_REFUSED });
      return;
    }
    const body = built?.body as unknown as DraftBody | undefined;
    setBusy(true);
    const answer = await call(
      api.POST('/v1/auto-replies/test', {
        body: {
          connectionId: connection,
          from,
          text,
          messageType: 'text',
          chatType: 'direct',
          firstMessage: false,
          ...(body ? { draft: body, ...(draftOf ? { draftOf } : {}) } : {}),
        },
      }),
    );
    setBusy(false);
    if (!answer.ok) {
      setResult(undefined);
      const split = splitDryRunProblem(answer.problem);
      if (split.draft) onDraftErrors?.(ruleErrors(split.draft));
      const placed = split.panel
        ? formErrors(split.panel, ['connectionId', 'from', 'text'] as const, {
            codes: { not_found: 'connectionId' },
            labels: { connectionId: 'Connection', from: 'From', text: 'Message' },
          })
        : { fields: {} };
      setErrors(split.draft ? { ...placed, form: placed.form ?? DRAFT_REFUSED } : placed);
      return;
    }
    if (body) onDraftErrors?.(noErrors());
    setErrors({ fields: {} });
    setResult({ data: answer.data, note: body ? draftNote(body, connection, answer.data) : null });
  };

  return (
    <section className="card" aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Try a message</h2>
      <p className="muted small">
        {draft
          ? 'Tries this rule as it is in the form above, unsaved changes included, together with the other enabled rules. Nothing is sent or saved.'
          : 'Runs the saved, enabled rules on a sample message. Nothing is sent.'}
      </p>
      {list.length === 0 && connections.data && (
        <p className="muted">Rules are tried for a connection: link a WhatsApp phone first.</p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="dry-run-title">
        <FormError message={errors.form} />
        <div className="rule-grid">
          <SelectField
            id="dry-run-connection"
            label="Connection"
            value={connection}
            options={list.map((c) => ({ value: c.id, label: c.name }))}
            onChange={setConnectionId}
            error={errors.fields.connectionId}
          />
          <Field
            id="dry-run-from"
            label="From (phone number)"
            type="tel"
            value={from}
            onChange={setFrom}
            error={errors.fields.from}
          />
        </div>
        <Field id="dry-run-text" label="Message" value={text} onChange={setText} error={errors.fields.text} />
        <button type="submit" className="button" disabled={busy || !connection}>
          {busy ? 'Trying…' : 'Try it'}
        </button>
      </form>
      {result && <DryRunOutcome result={result.data} note={result.note} />}
    </section>
  );
}

const EDITED = ' (this rule, as edited)';

function DryRunOutcome({ result, note }: { result: DryRunResult; note: string | null }) {
  return (
    <div className="dry-run-result" data-testid="dry-run-result" role="status">
      {note && (
        <p className="note draft-note" data-testid="draft-note">
          {note}
        </p>
      )}
      {result.matched.length === 0 ? (
        <p>
          <strong>No rule matched.</strong>
        </p>
      ) : (
        result.matched.map((m) => (
          <div key={m.ruleId}>
            <p>
              <strong>
                Matched: {m.name}
                {m.draft && EDITED}
              </strong>
            </p>
            <ul>
              {m.actions.map((a, i) => (
                <li key={i}>
                  {a.type}
                  {a.rendered && <>: “{a.rendered.text}”</>}
                  {a.error && <span className="field-error"> ({a.error.message})</span>}
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
      {result.evaluated.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Every rule tried, and why it matched or not</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Matched</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {result.evaluated.map((e) => (
                <tr key={e.ruleId} data-draft={e.draft ? 'true' : undefined}>
                  <th scope="row">
                    {e.name}
                    {e.draft && EDITED}
                  </th>
                  <td>{e.matched ? 'Yes' : 'No'}</td>
                  <td>
                    <ul className="reasons">
                      {e.reasons.map((r, i) => (
                        <li key={i}>{r}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.evaluated.length === 0 && <p className="muted">No enabled rule serves this connection.</p>}
    </div>
  );
}
