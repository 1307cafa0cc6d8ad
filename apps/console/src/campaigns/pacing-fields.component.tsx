import { CheckboxField, Field } from '../ui/field.component';
import type { PacingForm } from './campaign-form.mapper';

const PLACED = new Set([
  'messagesPerMinute',
  'jitter',
  'dailyCap',
  'pauseEvery',
  'pauseMinutes',
  'quietHours',
  'frequencyCap',
]);

interface Props {
  pacing: PacingForm;
  onChange: (pacing: PacingForm) => void;
  /** Errors by setting (messagesPerMinute, quietHours, ...; '' for pacing as a whole). */
  errors: Record<string, string>;
}

/**
 * How fast each connection sends. The defaults are the safe ones: unofficial WhatsApp numbers get
 * banned for bursts, so the hints say what each limit protects against.
 */
export function PacingFields({ pacing, onChange, errors }: Props) {
  const set = (patch: Partial<PacingForm>) => onChange({ ...pacing, ...patch });
  const general = Object.entries(errors)
    .filter(([key]) => !PLACED.has(key))
    .map(([, message]) => message)
    .join(' ');
  return (
    <fieldset className="card" aria-describedby="pacing-note">
      <legend>Pacing (per connection)</legend>
      <p id="pacing-note" className="muted small">
        Sending like a person, not a script, keeps the number from being banned.
      </p>
      {general && <p className="field-error">{general}</p>}
      <div className="inline-row">
        <Field
          id="pacing-rate"
          label="Messages per minute"
          type="number"
          min={1}
          max={60}
          value={pacing.messagesPerMinute}
          onChange={(v) => set({ messagesPerMinute: v })}
          error={errors.messagesPerMinute}
        />
        <Field
          id="pacing-jitter"
          label="Jitter (0 to 0.9)"
          type="number"
          min={0}
          max={0.9}
          step={0.1}
          value={pacing.jitter}
          onChange={(v) => set({ jitter: v })}
          error={errors.jitter}
        />
        <Field
          id="pacing-daily-cap"
          label="Messages per day"
          type="number"
          min={1}
          value={pacing.dailyCap}
          onChange={(v) => set({ dailyCap: v })}
          error={errors.dailyCap}
        />
      </div>
      <div className="inline-row">
        <Field
          id="pacing-pause-every"
          label="Break after this many messages"
          hint="Empty for no breaks."
          type="number"
          min={1}
          value={pacing.pauseEvery}
          onChange={(v) => set({ pauseEvery: v })}
          error={errors.pauseEvery}
        />
        <Field
          id="pacing-pause-minutes"
          label="Break length (minutes)"
          type="number"
          min={1}
          value={pacing.pauseMinutes}
          onChange={(v) => set({ pauseMinutes: v })}
          error={errors.pauseMinutes}
        />
      </div>
      <CheckboxField
        id="pacing-quiet"
        label="Quiet hours (in each recipient's time zone; messages wait until they end)"
        checked={pacing.quietHours}
        onChange={(on) => set({ quietHours: on })}
      />
      {pacing.quietHours && (
        <div className="inline-row">
          <Field
            id="pacing-quiet-start"
            label="Quiet from"
            type="time"
            value={pacing.quietStart}
            onChange={(v) => set({ quietStart: v })}
            error={errors.quietHours}
          />
          <Field
            id="pacing-quiet-end"
            label="Quiet until"
            type="time"
            value={pacing.quietEnd}
            onChange={(v) => set({ quietEnd: v })}
          />
        </div>
      )}
      <CheckboxField
        id="pacing-cap"
        label="Limit campaign messages per contact (across all campaigns)"
        checked={pacing.frequencyCap}
        onChange={(on) => set({ frequencyCap: on })}
      />
      {pacing.frequencyCap && (
        <div className="inline-row">
          <Field
            id="pacing-cap-max"
            label="At most"
            type="number"
            min={1}
            value={pacing.capMax}
            onChange={(v) => set({ capMax: v })}
            error={errors.frequencyCap}
          />
          <Field
            id="pacing-cap-hours"
            label="Messages per (hours)"
            type="number"
            min={1}
            value={pacing.capPerHours}
            onChange={(v) => set({ capPerHours: v })}
          />
        </div>
      )}
    </fieldset>
  );
}
