import { useMemo } from 'react';
import { SelectField } from '../ui/field.component';
import {
  copyMondayToWeekdays,
  DAY_NAMES,
  MAX_HOLIDAYS,
  MAX_RANGES_PER_DAY,
  nextRange,
  rangeNote,
  timeZoneOptions,
  WEEKDAYS,
  withDay,
  type HoursDraft,
  type HoursRange,
  type Weekday,
} from './business-hours-form.mapper';

/** Moves focus once React has drawn the control (an added range, or the button after a removal). */
const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/**
 * Business hours: a time zone, per weekday any number of open ranges (from/to time inputs), and
 * holidays. Times are wall-clock times in the chosen zone. Ids start with `id`.
 */
export function BusinessHoursEditor({
  id,
  value,
  onChange,
}: {
  id: string;
  value: HoursDraft;
  onChange: (value: HoursDraft) => void;
}) {
  const zones = useMemo(() => timeZoneOptions(value.timeZone), [value.timeZone]);
  return (
    <div className="hours-editor" data-testid="business-hours">
      <SelectField
        id={`${id}-zone`}
        label="Time zone"
        hint="The hours below are wall-clock times in this zone (summer time included)."
        value={value.timeZone}
        options={zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
        onChange={(timeZone) => onChange({ ...value, timeZone })}
      />
      <div className="hours-week">
        {WEEKDAYS.map((day) => (
          <DayHours key={day} id={`${id}-${day}`} day={day} value={value} onChange={onChange} />
        ))}
      </div>
      <Holidays id={`${id}-holiday`} value={value} onChange={onChange} />
    </div>
  );
}

function DayHours({
  id,
  day,
  value,
  onChange,
}: {
  id: string;
  day: Weekday;
  value: HoursDraft;
  onChange: (value: HoursDraft) => void;
}) {
  const ranges = value.weekly[day];
  const name = DAY_NAMES[day];
  const setRange = (index: number, patch: Partial<HoursRange>) =>
    onChange(withDay(value, day, (rs) => rs.map((r, i) => (i === index ? { ...r, ...patch } : r))));
  const add = () => {
    onChange(withDay(value, day, (rs) => [...rs, nextRange(value, day)]));
    focusSoon(`${id}-${ranges.length}-from`);
  };
  const remove = (index: number) => {
    onChange(withDay(value, day, (rs) => rs.filter((_, i) => i !== index)));
    focusSoon(`${id}-add`);
  };
  return (
    <fieldset className="hours-day" data-day={day}>
      <legend>{name}</legend>
      {ranges.length === 0 && <p className="muted small hours-closed">Closed</p>}
      {ranges.map((r, i) => {
        const label = ranges.length > 1 ? `${name}, hours ${i + 1}` : name;
        const note = rangeNote(day, r);
        return (
          <div className="hours-range" key={i}>
            <label htmlFor={`${id}-${i}-from`}>
              <span className="visually-hidden">{label}: </span>from
            </label>
            <input
              id={`${id}-${i}-from`}
              type="time"
              value={r.from}
              required
              onChange={(e) => setRange(i, { from: e.target.value })}
            />
            <label htmlFor={`${id}-${i}-to`}>
              <span className="visually-hidden">{label}: </span>to
            </label>
            <input
              id={`${id}-${i}-to`}
              type="time"
              value={r.to}
              required
              aria-describedby={note ? `${id}-${i}-note` : undefined}
              onChange={(e) => setRange(i, { to: e.target.value })}
            />
            <button type="button" className="button hours-button" onClick={() => remove(i)}>
              Remove<span className="visually-hidden"> {label}</span>
            </button>
            {note && (
              <span id={`${id}-${i}-note`} className="muted small">
                {note}
              </span>
            )}
          </div>
        );
      })}
      <div className="hours-day-actions">
        {ranges.length < MAX_RANGES_PER_DAY && (
          <button type="button" id={`${id}-add`} className="button hours-button" onClick={add}>
            Add hours<span className="visually-hidden"> on {name}</span>
          </button>
        )}
        {day === 'mon' && (
          <button
            type="button"
            className="button hours-button"
            onClick={() => onChange(copyMondayToWeekdays(value))}
          >
            Copy to Tuesday–Friday
          </button>
        )}
      </div>
    </fieldset>
  );
}

function Holidays({
  id,
  value,
  onChange,
}: {
  id: string;
  value: HoursDraft;
  onChange: (value: HoursDraft) => void;
}) {
  const set = (holidays: string[]) => onChange({ ...value, holidays });
  return (
    <fieldset className="hours-holidays">
      <legend>Holidays</legend>
      <p id={`${id}-hint`} className="field-hint">
        Closed on these dates (in the zone above): the hours that start on a holiday do not open.
      </p>
      {value.holidays.length === 0 && <p className="muted small">No holidays.</p>}
      {value.holidays.map((h, i) => (
        <div className="hours-range" key={i}>
          <label htmlFor={`${id}-${i}`}>Holiday {i + 1}</label>
          <input
            id={`${id}-${i}`}
            type="date"
            value={h}
            required
            aria-describedby={`${id}-hint`}
            onChange={(e) => set(value.holidays.map((d, j) => (j === i ? e.target.value : d)))}
          />
          <button
            type="button"
            className="button hours-button"
            onClick={() => {
              set(value.holidays.filter((_, j) => j !== i));
              focusSoon(`${id}-add`);
            }}
          >
            Remove<span className="visually-hidden"> holiday {i + 1}</span>
          </button>
        </div>
      ))}
      {value.holidays.length < MAX_HOLIDAYS && (
        <button
          type="button"
          id={`${id}-add`}
          className="button hours-button"
          onClick={() => {
            set([...value.holidays, '']);
            focusSoon(`${id}-${value.holidays.length}`);
          }}
        >
          Add a holiday
        </button>
      )}
    </fieldset>
  );
}
