import { useEffect, useRef, useState } from 'react';
import { headerRow, type HeaderRow } from './webhook-form.mapper';

interface Props {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  error?: string | undefined;
}

const ID = 'webhook-headers';

/**
 * Custom headers sent with every delivery, as name/value rows. Values of a saved endpoint come
 * masked (`****abcd`); left as they are they keep the stored value, typed over they replace it.
 */
export function WebhookHeadersEditor({ rows, onChange, error }: Props) {
  const addRef = useRef<HTMLButtonElement>(null);
  // Keyboard users land in the row they added, and on "Add header" when the row they were in goes.
  const [focus, setFocus] = useState<number | 'add' | null>(null);
  useEffect(() => {
    if (focus === null) return;
    if (focus === 'add') addRef.current?.focus();
    else document.getElementById(`${ID}-name-${focus}`)?.focus();
    setFocus(null);
  }, [focus]);

  const change = (key: number, part: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...part } : r)));
  const add = () => {
    const row = headerRow();
    onChange([...rows, row]);
    setFocus(row.key);
  };
  const remove = (key: number) => {
    onChange(rows.filter((r) => r.key !== key));
    setFocus('add');
  };
  const described = [`${ID}-hint`, error ? `${ID}-error` : ''].filter(Boolean).join(' ');

  return (
    <fieldset
      className={error ? 'field webhook-headers field-invalid' : 'field webhook-headers'}
      aria-describedby={described}
      data-testid="webhook-headers"
    >
      <legend>Custom headers (optional)</legend>
      <p id={`${ID}-hint`} className="field-hint">
        Sent with every delivery, e.g. Authorization for your receiver. Saved values are shown masked; leave
        them as they are to keep them. At most 20; signature, content and hop-by-hop headers are refused.
      </p>
      {rows.length === 0 && <p className="muted small">No custom headers.</p>}
      {rows.map((row, i) => (
        <div className="webhook-header-row" key={row.key} data-testid="webhook-header-row">
          <div className="field">
            <label htmlFor={`${ID}-name-${row.key}`}>
              <span className="visually-hidden">Header {i + 1} </span>Name
            </label>
            <input
              id={`${ID}-name-${row.key}`}
              value={row.name}
              autoComplete="off"
              spellCheck={false}
              placeholder="X-Api-Key"
              aria-invalid={error ? true : undefined}
              onChange={(e) => change(row.key, { name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ID}-value-${row.key}`}>
              <span className="visually-hidden">Header {i + 1} </span>Value
            </label>
            <input
              id={`${ID}-value-${row.key}`}
              value={row.value}
              autoComplete="off"
              spellCheck={false}
              maxLength={1000}
              aria-invalid={error ? true : undefined}
              onChange={(e) => change(row.key, { value: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="button"
            aria-label={`Remove header ${i + 1}${row.name.trim() ? ` (${row.name.trim()})` : ''}`}
            onClick={() => remove(row.key)}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="actions">
        <button type="button" className="button" ref={addRef} onClick={add} disabled={rows.length >= 20}>
          Add header
        </button>
      </div>
      {error && (
        <p id={`${ID}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
