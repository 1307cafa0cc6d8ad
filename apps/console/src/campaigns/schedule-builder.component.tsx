import { useMemo } from 'react';
import { CheckboxField, Field, SelectField, TextAreaField } from '../ui/field.component';
import { viewerTimeZone } from '../ui/format.mapper';
import { campaignErrors, errorsUnder } from './campaign-form.mapper';
import {
  formatInZone,
  MODE_LABELS,
  SCHEDULE_MODES,
  scheduleBody,
  timeZoneOptions,
  WEEKDAYS,
  type ScheduleForm,
  type ScheduleMode,
} from './schedule-form.mapper';
import { useSchedulePreview } from './schedule-preview.store';

const MONTH_DAYS = [
  ...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
  { value: '-1', label: 'Last day' },
];
const MISFIRE = [
  { value: 'run_once', label: 'Run the latest missed one once' },
  { value: 'skip', label: 'Skip what was missed' },
];
/** Errors about these parts of the schedule show under their input; the rest above the list. */
const PLACED = new Set(['timeZone', 'at', 'expression', 'rule', 'startAt', 'endAt']);

interface Props {
  form: ScheduleForm;
  onChange: (form: ScheduleForm) => void;
  /** Errors of the last save, by part of the schedule ('' for the schedule as a whole). */
  saveErrors: Record<string, string>;
  /** Ask the API for the next runs (the viewer role may not). */
  preview: boolean;
}

/** One-off or recurring schedule in a chosen zone, with the next five runs as the API computes them. */
export function ScheduleBuilder({ form, onChange, saveErrors, preview: withPreview }: Props) {
  const set = (patch: Partial<ScheduleForm>) => onChange({ ...form, ...patch });
  const zones = useMemo(() => timeZoneOptions(form.timeZone), [form.timeZone]);
  const body = useMemo(() => scheduleBody(form), [form]);
  const preview = useSchedulePreview(withPreview ? body : null);
  const errors = {
    ...(preview.problem ? errorsUnder(campaignErrors(preview.problem).fields, 'schedule') : {}),
    ...saveErrors,
  };
  if (preview.problem && Object.keys(errors).length === 0) errors[''] = preview.problem.message;
  const general = Object.entries(errors)
    .filter(([key, message]) => message && !(PLACED.has(key) && shown(form.mode, key)))
    .map(([, message]) => message)
    .join(' ');
  const recurring = form.mode !== 'once';
  const viewer = viewerTimeZone();

  return (
    <fieldset className="card schedule" aria-describedby="schedule-note">
      <legend>Schedule</legend>
      <p id="schedule-note" className="muted small">
        Times are wall-clock times in the schedule's time zone.
      </p>
      <div className="inline-row">
        <SelectField
          id="schedule-mode"
          label="Runs"
          value={form.mode}
          onChange={(v) => set({ mode: v as ScheduleMode })}
          options={SCHEDULE_MODES.map((m) => ({ value: m, label: MODE_LABELS[m] }))}
        />
        <SelectField
          id="schedule-zone"
          label="Time zone"
          value={form.timeZone}
          onChange={(v) => set({ timeZone: v })}
          options={zones.map((z) => ({ value: z, label: z === viewer ? `${z} (yours)` : z }))}
          error={errors.timeZone}
        />
      </div>
      {form.mode === 'once' && (
        <Field
          id="schedule-at"
          label="Date and time"
          type="datetime-local"
          value={form.at}
          onChange={(v) => set({ at: v })}
          error={errors.at}
        />
      )}
      {(form.mode === 'daily' || form.mode === 'weekly' || form.mode === 'monthly') && (
        <div className="inline-row">
          <Field
            id="schedule-time"
            label="Time of day"
            type="time"
            value={form.time}
            onChange={(v) => set({ time: v })}
          />
          <Field
            id="schedule-interval"
            label={`Every how many ${form.mode === 'daily' ? 'days' : form.mode === 'weekly' ? 'weeks' : 'months'}`}
            type="number"
            min={1}
            inputMode="numeric"
            value={form.interval}
            onChange={(v) => set({ interval: v })}
          />
          {form.mode === 'monthly' && (
            <SelectField
              id="schedule-month-day"
              label="Day of the month"
              value={form.monthDay}
              onChange={(v) => set({ monthDay: v })}
              options={MONTH_DAYS}
            />
          )}
        </div>
      )}
      {form.mode === 'weekly' && (
        <fieldset className="weekdays">
          <legend>On</legend>
          {WEEKDAYS.map((d) => (
            <CheckboxField
              key={d.code}
              id={`schedule-day-${d.code.toLowerCase()}`}
              label={d.label}
              checked={form.weekdays.includes(d.code)}
              onChange={(on) =>
                set({ weekdays: on ? [...form.weekdays, d.code] : form.weekdays.filter((w) => w !== d.code) })
              }
            />
          ))}
        </fieldset>
      )}
      {form.mode === 'cron' && (
        <Field
          id="schedule-cron"
          label="Cron expression"
          hint='Minute, hour, day of month, month, day of week: "0 9 * * MON" is Mondays at 09:00.'
          value={form.expression}
          onChange={(v) => set({ expression: v })}
          error={errors.expression}
          spellCheck={false}
        />
      )}
      {form.mode === 'rrule' && (
        <TextAreaField
          id="schedule-rule"
          label="RRULE"
          hint='RFC 5545, e.g. "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9" (the first Monday of each month at 09:00).'
          rows={3}
          value={form.rule}
          onChange={(v) => set({ rule: v })}
          error={errors.rule}
          spellCheck={false}
        />
      )}
      {recurring && (
        <div className="inline-row">
          <Field
            id="schedule-start"
            label="From (optional)"
            type="date"
            value={form.startDate}
            onChange={(v) => set({ startDate: v })}
            error={errors.startAt}
          />
          <Field
            id="schedule-end"
            label="Until (optional)"
            type="date"
            value={form.endDate}
            onChange={(v) => set({ endDate: v })}
            error={errors.endAt}
          />
        </div>
      )}
      <div className="inline-row">
        <SelectField
          id="schedule-misfire"
          label="After downtime"
          value={form.misfire}
          onChange={(v) => set({ misfire: v as ScheduleForm['misfire'] })}
          options={MISFIRE}
        />
      </div>
      <CheckboxField
        id="schedule-local"
        label="Send at this time in each recipient's own time zone"
        checked={form.recipientLocalTime}
        onChange={(on) => set({ recipientLocalTime: on })}
      />
      {withPreview && (
        <section className="occurrences" aria-labelledby="occurrences-title" aria-live="polite">
          <h3 id="occurrences-title">Next runs ({form.timeZone})</h3>
          {general && (
            <p className="field-error" data-testid="schedule-error">
              {general}
            </p>
          )}
          {!preview.problem && preview.preview && preview.preview.occurrences.length === 0 && (
            <p className="muted">This schedule has no run left.</p>
          )}
          {!preview.problem && preview.preview && preview.preview.occurrences.length > 0 && (
            <ol className="occurrence-list" data-testid="occurrences">
              {preview.preview.occurrences.map((o) => (
                <li key={o.at} data-local={o.local}>
                  <time dateTime={o.at}>{formatInZone(o.at, preview.preview!.timeZone)}</time>
                  {preview.preview!.timeZone !== viewer && (
                    <span className="muted small"> · your time {formatInZone(o.at, viewer)}</span>
                  )}
                </li>
              ))}
            </ol>
          )}
          {preview.loading && !preview.preview && !preview.problem && <p className="muted">Working out…</p>}
        </section>
      )}
    </fieldset>
  );
}

/** Whether the input for `key` is on screen in `mode`. */
function shown(mode: ScheduleMode, key: string): boolean {
  if (key === 'at') return mode === 'once';
  if (key === 'expression') return mode === 'cron';
  if (key === 'rule') return mode === 'rrule';
  if (key === 'startAt' || key === 'endAt') return mode !== 'once';
  return true;
}
