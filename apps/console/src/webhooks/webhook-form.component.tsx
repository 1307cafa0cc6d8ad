import { useState, type FormEvent } from 'react';
import type { Result } from '../api/api.client';
import type { FormErrors } from '../api/api-error.mapper';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { CheckboxField, Field, FormError, SelectField, TextAreaField } from '../ui/field.component';
import { webhookFormErrors, type WebhookField, type WebhookForm } from './webhook-form.mapper';
import { WebhookHeadersEditor } from './webhook-headers.component';

const ORDERING = [
  { value: 'none', label: 'As fast as possible (any order)' },
  { value: 'chat', label: "One chat's events in order, one at a time" },
] as const;

interface Props {
  title: string;
  initial: WebhookForm;
  submitLabel: string;
  /** Offer the on/off switch (an endpoint being created is always on). */
  withEnabled: boolean;
  save: (form: WebhookForm) => Promise<Result<unknown>>;
  onSaved: () => void;
}

/** Create or change an endpoint. A refused save keeps what was typed, with the error beside its field. */
export function WebhookFormCard({ title, initial, submitLabel, withEnabled, save, onSaved }: Props) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FormErrors<WebhookField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set =
    <K extends keyof WebhookForm>(key: K) =>
    (value: WebhookForm[K]) => {
      setSaved(false);
      setForm((f) => ({ ...f, [key]: value }));
    };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await save(form);
    setBusy(false);
    if (!result.ok) {
      const placed = webhookFormErrors(result.problem);
      setErrors(placed.form ? { ...placed, form: problemMessage(result.problem) } : placed);
      return;
    }
    setErrors({ fields: {} });
    setSaved(true);
    onSaved();
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="webhook-form-title">
      <h2 id="webhook-form-title">{title}</h2>
      <FormError message={errors.form} />
      <Field
        id="webhook-url"
        label="URL"
        hint="http or https. Private, loopback and cloud metadata addresses are refused."
        type="url"
        inputMode="url"
        required
        value={form.url}
        onChange={set('url')}
        error={errors.fields.url}
      />
      <TextAreaField
        id="webhook-events"
        label="Events"
        hint="Exact types (message.received), prefixes (message.*) or * for all; separate with commas."
        rows={2}
        value={form.events}
        onChange={set('events')}
        error={errors.fields.events}
      />
      <Field
        id="webhook-description"
        label="Description (optional)"
        maxLength={500}
        value={form.description}
        onChange={set('description')}
        error={errors.fields.description}
      />
      <SelectField
        id="webhook-ordering"
        label="Delivery order"
        options={ORDERING}
        value={form.ordering}
        onChange={(v) => set('ordering')(v === 'chat' ? 'chat' : 'none')}
        error={errors.fields.ordering}
      />
      <WebhookHeadersEditor rows={form.headers} onChange={set('headers')} error={errors.fields.headers} />
      {withEnabled && (
        <CheckboxField
          id="webhook-enabled"
          label="Enabled"
          hint="A disabled endpoint gets no deliveries. Turning it on again also restarts one the API disabled."
          checked={form.enabled}
          onChange={set('enabled')}
        />
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
    </form>
  );
}
