import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors } from '../api/api-error.mapper';
import { Time } from '../ui/time.component';
import { displayName, formatTags, parseTags, type Contact } from './contacts.mapper';

/**
 * One contact: tags (editable in place by those who may manage contacts) and the opt-out state
 * with the button that flips it (support may do that too: people ask them).
 */
export function ContactRow({
  contact,
  onChange,
  editTags,
  optOut,
}: {
  contact: Contact;
  onChange: (contact: Contact) => void;
  editTags: boolean;
  optOut: boolean;
}) {
  const name = displayName(contact);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const flip = async () => {
    setBusy(true);
    setError(undefined);
    const path = contact.optOut.optedOut ? '/v1/contacts/{id}/opt-in' : '/v1/contacts/{id}/opt-out';
    const result = await call(api.POST(path, { params: { path: { id: contact.id } }, body: {} }));
    setBusy(false);
    if (result.ok) onChange(result.data);
    else setError(result.problem.message);
  };

  return (
    <tr data-contact-id={contact.id}>
      <th scope="row">
        {contact.name ?? contact.pushName ?? <span className="muted">No name</span>}
        <div className="muted small">{contact.phone}</div>
      </th>
      <td>
        <TagsCell contact={contact} name={name} editable={editTags} onChange={onChange} />
      </td>
      <td data-testid="opt-status">
        {contact.optOut.optedOut ? (
          <span className="badge badge-bad">Opted out</span>
        ) : (
          <span className="badge badge-ok">Subscribed</span>
        )}
        {contact.optOut.at && (
          <div className="muted small">
            since <Time iso={contact.optOut.at} />
          </div>
        )}
      </td>
      <td>
        <Time iso={contact.lastInboundAt} />
      </td>
      {optOut && (
        <td>
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() => void flip()}
            aria-label={`${contact.optOut.optedOut ? 'Opt in' : 'Opt out'} ${name}`}
          >
            {contact.optOut.optedOut ? 'Opt in' : 'Opt out'}
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </td>
      )}
    </tr>
  );
}

function TagsCell({
  contact,
  name,
  editable,
  onChange,
}: {
  contact: Contact;
  name: string;
  editable: boolean;
  onChange: (contact: Contact) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const id = `tags-${contact.id}`;

  useEffect(() => {
    if (editing) field.current?.focus();
  }, [editing]);

  const open = () => {
    setText(formatTags(contact.tags));
    setError(undefined);
    setEditing(true);
  };
  const close = () => {
    setEditing(false);
    // Focus goes back where it was, not to the top of the page.
    setTimeout(() => editButton.current?.focus());
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(
      api.PATCH('/v1/contacts/{id}', {
        params: { path: { id: contact.id } },
        body: { tags: parseTags(text) },
      }),
    );
    setBusy(false);
    if (!result.ok) {
      const errors = formErrors(result.problem, ['tags'] as const, {
        codes: { invalid_tag: 'tags', too_many_tags: 'tags' },
      });
      setError(errors.fields.tags ?? errors.form);
      return;
    }
    onChange(result.data);
    close();
  };

  if (editing) {
    return (
      <form className="tag-form" onSubmit={(e) => void save(e)} noValidate>
        <label htmlFor={id} className="visually-hidden">
          Tags of {name}
        </label>
        <input
          id={id}
          ref={field}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && close()}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
        />
        <span id={`${id}-hint`} className="visually-hidden">
          Separate tags with commas or spaces.
        </span>
        <button type="submit" className="button button-small button-primary" disabled={busy}>
          Save
        </button>
        <button type="button" className="button button-small" onClick={close}>
          Cancel
        </button>
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </form>
    );
  }
  return (
    <div className="tags">
      {contact.tags.length ? (
        contact.tags.map((t) => (
          <span key={t} className="badge badge-off tag">
            {t}
          </span>
        ))
      ) : (
        <span className="muted">No tags</span>
      )}
      {editable && (
        <button
          type="button"
          ref={editButton}
          className="button button-small"
          onClick={open}
          aria-label={`Edit tags of ${name}`}
        >
          Edit tags
        </button>
      )}
    </div>
  );
}
