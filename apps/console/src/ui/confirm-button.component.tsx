import { useId, useRef, useState, type ReactNode } from 'react';

interface ConfirmButtonProps {
  /** The button's visible word ("Revoke"). */
  label: string;
  /**
   * Read after the label by screen readers only, to tell one row's button from the next on a
   * table ("crm key").
   */
  context?: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  className?: string;
}

/**
 * A button that asks first, in a modal dialog (the browser's <dialog>: focus is kept inside,
 * Escape cancels, and focus returns to the button).
 */
export function ConfirmButton({
  label,
  context,
  title,
  children,
  confirmLabel,
  onConfirm,
  className,
}: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  // Unique per button: a list repeats the same label on every row.
  const titleId = useId();
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  };
  return (
    <>
      <button type="button" className={className ?? 'button'} onClick={() => dialog.current?.showModal()}>
        {label}
        {context && <span className="visually-hidden"> {context}</span>}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="dialog">
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => void confirm()}
            disabled={busy}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
