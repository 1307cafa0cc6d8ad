import { useEffect, useState, type FormEvent } from 'react';
import { CheckboxField, Field, FormError, SelectField } from '../ui/field.component';
import { ActionRow, ConditionRow } from './rule-rows.component';
import { newAction, newCondition, type RuleDraft, type RuleErrors } from './rule-form.mapper';

const replaceAt = <T,>(list: readonly T[], index: number, value: T): T[] =>
  list.map((item, i) => (i === index ? value : item));
const removeAt = <T,>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);

/**
 * The rule's form. It keeps its draft while saving, so a refused save leaves everything as typed
 * with the API's errors next to the fields and rows they are about. `onChange` hears every edit
 * (the dry run tries the rule as typed).
 */
export function RuleEditor({
  initial,
  errors,
  busy,
  creating,
  bots,
  onSave,
  onChange,
}: {
  initial: RuleDraft;
  errors: RuleErrors;
  busy: boolean;
  creating: boolean;
  bots: readonly { value: string; label: string }[];
  onSave: (draft: RuleDraft) => void;
  onChange?: (draft: RuleDraft) => void;
}) {
  const [draft, setDraft] = useState(initial);
  useEffect(() => onChange?.(draft), [draft, onChange]);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(draft);
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="rule-form-title">
      <h2 id="rule-form-title">{creating ? 'New rule' : 'Rule'}</h2>
      <FormError message={errors.form} />
      <div className="rule-grid">
        <Field
          id="rule-name"
          label="Name"
          required
          maxLength={100}
          value={draft.name}
          onChange={(name) => set({ name })}
          error={errors.fields.name}
        />
        <Field
          id="rule-priority"
          label="Priority"
          hint="Lower numbers are tried first."
          inputMode="numeric"
          value={draft.priority}
          onChange={(priority) => set({ priority })}
          error={errors.fields.priority}
        />
        <Field
          id="rule-cooldown"
          label="Cooldown (seconds)"
          hint="Per contact: no second match within this time."
          inputMode="numeric"
          value={draft.cooldownSeconds}
          onChange={(cooldownSeconds) => set({ cooldownSeconds })}
          error={errors.fields.cooldownSeconds}
        />
      </div>
      <CheckboxField
        id="rule-enabled"
        label="Enabled"
        checked={draft.enabled}
        onChange={(enabled) => set({ enabled })}
      />
      <CheckboxField
        id="rule-stop"
        label="Stop at this rule when it matches"
        checked={draft.stopOnMatch}
        onChange={(stopOnMatch) => set({ stopOnMatch })}
      />

      <h3 id="conditions-title">When</h3>
      <SelectField
        id="rule-mode"
        label="The rule matches when"
        value={draft.mode}
        options={[
          { value: 'all', label: 'every condition holds' },
          { value: 'any', label: 'any condition holds' },
        ]}
        onChange={(mode) => set({ mode: mode as RuleDraft['mode'] })}
      />
      <FormError message={errors.conditions[-1]} />
      {draft.conditions.length === 0 && (
        <p className="muted">No conditions: the rule matches every message.</p>
      )}
      <ol className="rule-rows" aria-labelledby="conditions-title">
        {draft.conditions.map((c, i) => (
          <ConditionRow
            key={i}
            index={i}
            value={c}
            error={errors.conditions[i]}
            onChange={(value) => set({ conditions: replaceAt(draft.conditions, i, value) })}
            onRemove={() => set({ conditions: removeAt(draft.conditions, i) })}
          />
        ))}
      </ol>
      <p>
        <button
          type="button"
          className="button"
          onClick={() => set({ conditions: [...draft.conditions, newCondition()] })}
        >
          Add a condition
        </button>
      </p>

      <h3 id="actions-title">Then</h3>
      <FormError message={errors.actions[-1]} />
      <ol className="rule-rows" aria-labelledby="actions-title">
        {draft.actions.map((a, i) => (
          <ActionRow
            key={i}
            index={i}
            value={a}
            bots={bots}
            error={errors.actions[i]}
            onChange={(value) => set({ actions: replaceAt(draft.actions, i, value) })}
            onRemove={
              draft.actions.length > 1 ? () => set({ actions: removeAt(draft.actions, i) }) : undefined
            }
          />
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => set({ actions: [...draft.actions, newAction()] })}
        >
          Add an action
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : creating ? 'Create rule' : 'Save rule'}
        </button>
      </div>
    </form>
  );
}
