import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { FormError, TextAreaField } from '../ui/field.component';
import type { PendingReply } from './conversation.mapper';

const TEXT_CODES = { text_required: 'text', text_too_long: 'text' } as const;

/** A text reply, sent through the API like any message; a failed send keeps what was typed. */
export function ReplyForm({
  connectionId,
  chatId,
  onSent,
}: {
  connectionId: string;
  chatId: string;
  onSent: (reply: PendingReply) => void;
}) {
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FormErrors<'text'>>({ fields: {} });
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(
      api.POST('/v1/connections/{id}/messages', {
        params: { path: { id: connectionId } },
        body: { to: chatId, type: 'text', text },
      }),
    );
    setBusy(false);
    if (!result.ok) {
      setErrors(
        formErrors(result.problem, ['text'] as const, { codes: TEXT_CODES, labels: { text: 'Reply' } }),
      );
      return;
    }
    setErrors({ fields: {} });
    onSent({ messageId: result.data.id, text, sentAt: new Date().toISOString() });
    setText('');
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="reply-title">
      <h2 id="reply-title">Reply</h2>
      <FormError message={errors.form} />
      <TextAreaField
        id="reply-text"
        label="Your message"
        hint="Sent from this connection's WhatsApp number."
        value={text}
        onChange={setText}
        error={errors.fields.text}
        maxLength={4096}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send reply'}
      </button>
    </form>
  );
}
