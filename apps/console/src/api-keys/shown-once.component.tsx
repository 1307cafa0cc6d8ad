import { useId, useRef, useState } from 'react';
import './api-keys.css';

interface ShownOnceProps {
  title: string;
  label: string;
  value: string;
  /** Why it is shown only now, and what to do with it. */
  note: string;
  testId: string;
  onDone: () => void;
}

/**
 * A secret the API shows in one answer only (a key, a signing secret, an invitation link): in a
 * read-only field to select, with a copy button, until the person says they have it.
 */
export function ShownOnce({ title, label, value, note, testId, onDone }: ShownOnceProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied.');
    } catch {
      // No clipboard (an http origin other than localhost): select it for Ctrl+C instead.
      input.current?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <section className="card shown-once" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="note">{note}</p>
      <div className="field">
        <label htmlFor={`${id}-value`}>{label}</label>
        <input
          id={`${id}-value`}
          ref={input}
          className="shown-once-value"
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          data-testid={`${testId}-value`}
        />
      </div>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p className="muted small" role="status">
        {copied}
      </p>
    </section>
  );
}
