import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import type { FormErrors } from '../api/api-error.mapper';
import type { components } from '../api/schema';
import { Field, FormError, TextAreaField } from '../ui/field.component';
import {
  answerText,
  emptyEntry,
  entryBody,
  entryErrors,
  type EntryDraft,
  type EntryField,
} from './faq-bot.mapper';

type Entry = components['schemas']['FaqEntryDto'];

/** The bot's entries: question variants and the answer; add and delete one at a time. */
export function FaqEntries({
  botId,
  entries,
  manage,
  onChange,
}: {
  botId: string;
  entries: Entry[];
  manage: boolean;
  onChange: (entries: Entry[]) => void;
}) {
  const [problem, setProblem] = useState<string>();
  const remove = async (entryId: string) => {
    const result = await call(
      api.DELETE('/v1/faq-bots/{id}/entries/{entryId}', { params: { path: { id: botId, entryId } } }),
    );
    if (!result.ok) setProblem(result.problem.message);
    else onChange(entries.filter((e) => e.id !== entryId));
  };
  return (
    <section className="card" aria-labelledby="entries-title">
      <h2 id="entries-title">Entries</h2>
      {entries.length === 0 ? (
        <p className="muted">No entries yet: the bot cannot answer anything.</p>
      ) : (
        <ul className="faq-entries" data-testid="faq-entries">
          {entries.map((e) => (
            <li key={e.id} className="faq-entry">
              <p className="faq-questions">{e.questions.join(' · ')}</p>
              <p className="faq-answer">{answerText(e.answer)}</p>
              {e.keywords.length > 0 && <p className="muted small">Keywords: {e.keywords.join(', ')}</p>}
              {manage && (
                <button type="button" className="button" onClick={() => void remove(e.id)}>
                  Delete entry {e.questions[0] ?? e.id}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {manage && <AddEntryForm botId={botId} onAdded={(entry) => onChange([...entries, entry])} />}
    </section>
  );
}

function AddEntryForm({ botId, onAdded }: { botId: string; onAdded: (entry: Entry) => void }) {
  const [draft, setDraft] = useState<EntryDraft>(emptyEntry());
  const [errors, setErrors] = useState<FormErrors<EntryField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<EntryDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(
      api.POST('/v1/faq-bots/{id}/entries', { params: { path: { id: botId } }, body: entryBody(draft) }),
    );
    setBusy(false);
    if (!result.ok) {
      setErrors(entryErrors(result.problem));
      return;
    }
    setErrors({ fields: {} });
    setDraft(emptyEntry());
    onAdded(result.data);
  };
  return (
    <form className="faq-add" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-entry-title">
      <h3 id="add-entry-title">Add an entry</h3>
      <FormError message={errors.form} />
      <TextAreaField
        id="entry-questions"
        label="Questions"
        hint="One way of asking per line."
        value={draft.questions}
        onChange={(questions) => set({ questions })}
        error={errors.fields.questions}
      />
      <TextAreaField
        id="entry-answer"
        label="Answer"
        value={draft.answer}
        onChange={(answer) => set({ answer })}
        error={errors.fields.answer}
      />
      <div className="faq-grid">
        <Field
          id="entry-keywords"
          label="Keywords (optional, comma-separated)"
          value={draft.keywords}
          onChange={(keywords) => set({ keywords })}
          error={errors.fields.keywords}
        />
        <Field
          id="entry-id"
          label="Entry id (optional)"
          hint="Letters, digits, _ or -; made up when empty."
          value={draft.id}
          onChange={(id) => set({ id })}
          error={errors.fields.id}
        />
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add entry'}
      </button>
    </form>
  );
}
