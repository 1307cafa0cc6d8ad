import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import type { FormErrors } from '../api/api-error.mapper';
import type { components } from '../api/schema';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { CheckboxField, Field, FormError, SelectField, TextAreaField } from '../ui/field.component';
import { botErrors, MODE_OPTIONS, numberOrText, type BotField } from './faq-bot.mapper';

type Bot = components['schemas']['FaqBotDetailDto'];
type BotBody = components['schemas']['UpdateFaqBotDto'];
type CreateBody = components['schemas']['CreateFaqBotDto'];

/** Name and mode are enough to start a bot; entries are added on its page. */
export function CreateBotForm() {
  const [name, setName] = useState('');
  const [mode, setMode] = useState<string>('fallback');
  const [errors, setErrors] = useState<FormErrors<BotField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(
      api.POST('/v1/faq-bots', { body: { name: name.trim(), mode } as unknown as CreateBody }),
    );
    setBusy(false);
    if (!result.ok) {
      setErrors(botErrors(result.problem));
      return;
    }
    navigate(urls.faqBot(result.data.id));
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-bot-title">
      <h2 id="create-bot-title">New FAQ bot</h2>
      <FormError message={errors.form} />
      <div className="inline-row">
        <Field
          id="bot-name"
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={setName}
          error={errors.fields.name}
        />
        <SelectField
          id="bot-mode"
          label="Answers"
          value={mode}
          options={MODE_OPTIONS}
          onChange={setMode}
          error={errors.fields.mode}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create bot'}
        </button>
      </div>
    </form>
  );
}

/** The bot's settings (entries have their own form). */
export function BotSettingsForm({ bot, onSaved }: { bot: Bot; onSaved: (bot: Bot) => void }) {
  const [name, setName] = useState(bot.name);
  const [mode, setMode] = useState<string>(bot.mode);
  const [enabled, setEnabled] = useState(bot.enabled);
  const [threshold, setThreshold] = useState(String(bot.threshold));
  const [fallback, setFallback] = useState(bot.fallbackAnswer ?? '');
  const [misses, setMisses] = useState(String(bot.handoffAfterMisses));
  const [errors, setErrors] = useState<FormErrors<BotField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const body = {
      name: name.trim(),
      mode,
      enabled,
      threshold: numberOrText(threshold),
      fallbackAnswer: fallback.trim() ? fallback : null,
      handoffAfterMisses: numberOrText(misses),
    } as unknown as BotBody;
    const result = await call(api.PATCH('/v1/faq-bots/{id}', { params: { path: { id: bot.id } }, body }));
    setBusy(false);
    if (!result.ok) {
      setErrors(botErrors(result.problem));
      return;
    }
    setErrors({ fields: {} });
    setSaved(true);
    onSaved(result.data);
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <FormError message={errors.form} />
      <div className="faq-grid">
        <Field id="settings-name" label="Name" value={name} onChange={setName} error={errors.fields.name} />
        <SelectField
          id="settings-mode"
          label="Answers"
          value={mode}
          options={MODE_OPTIONS}
          onChange={setMode}
          error={errors.fields.mode}
        />
        <Field
          id="settings-threshold"
          label="Threshold"
          hint="Lowest score (0 to 1) of the best entry to answer."
          inputMode="decimal"
          value={threshold}
          onChange={setThreshold}
          error={errors.fields.threshold}
        />
        <Field
          id="settings-misses"
          label="Hand off after misses in a row"
          hint="0: never."
          inputMode="numeric"
          value={misses}
          onChange={setMisses}
          error={errors.fields.handoffAfterMisses}
        />
      </div>
      <TextAreaField
        id="settings-fallback"
        label="Fallback answer"
        hint="Sent when no entry fits. Empty: nothing is sent."
        value={fallback}
        onChange={setFallback}
        error={errors.fields.fallbackAnswer}
      />
      <CheckboxField id="settings-enabled" label="Enabled" checked={enabled} onChange={setEnabled} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save settings'}
      </button>
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
    </form>
  );
}
