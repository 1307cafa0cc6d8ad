import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

/** The ids an input is described by: its hint and its error, when there are. */
const describedBy = (id: string, hint?: string, error?: string): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

function Hint({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={`${id}-hint`} className="field-hint">
      {text}
    </p>
  ) : null;
}

function ErrorText({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={`${id}-error`} className="field-error">
      {text}
    </p>
  ) : null;
}

/** What the three text-like fields share: their value, label, hint and error. */
interface FieldBase {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
}

/**
 * The frame of a field: label, hint, the control, the error; `control` gets the attributes that
 * tie it to them (read out with it by screen readers through aria-describedby).
 */
function FieldFrame({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  control,
}: FieldBase & {
  control: (bound: {
    id: string;
    name: string;
    value: string;
    onChange: (e: { target: { value: string } }) => void;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} text={hint} />
      {control({
        id,
        name: id,
        value,
        onChange: (e) => onChange(e.target.value),
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy(id, hint, error),
      })}
      <ErrorText id={id} text={error} />
    </div>
  );
}

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & FieldBase;

/** A labelled input whose error is read out with it (aria-describedby) and shown under it. */
export function Field({ id, label, value, onChange, error, hint, ...input }: FieldProps) {
  const base = { id, label, value, onChange, error, ...(hint ? { hint } : {}) };
  return <FieldFrame {...base} control={(bound) => <input {...bound} {...input} />} />;
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> & FieldBase;

/** A labelled multi-line input, with hint and error like Field. */
export function TextAreaField({ id, label, value, onChange, error, hint, ...area }: TextAreaProps) {
  const base = { id, label, value, onChange, error, ...(hint ? { hint } : {}) };
  return <FieldFrame {...base} control={(bound) => <textarea {...bound} {...area} />} />;
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> &
  FieldBase & { options: readonly { value: string; label: string }[] };

/** A labelled choice among fixed options, with hint and error like Field. */
export function SelectField({ id, label, value, onChange, options, error, hint, ...select }: SelectProps) {
  const base = { id, label, value, onChange, error, ...(hint ? { hint } : {}) };
  return (
    <FieldFrame
      {...base}
      control={(bound) => (
        <select {...bound} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A labelled checkbox (the label follows the box, as people expect to click it). */
export function CheckboxField({
  id,
  label,
  checked,
  onChange,
  hint,
  disabled,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}) {
  return (
    <div className="field field-check">
      <input
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      <Hint id={id} text={hint} />
    </div>
  );
}

/** The message of a form that no single field owns. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
