import { api, call } from '../api/api.client';
import { useApiData } from '../ui/api-data.store';
import { SelectField } from '../ui/field.component';
import type { BodyCheck } from './template-validation.store';

/**
 * The body as it is being typed, rendered by the API with the examples as sample data (POST
 * /v1/templates/validate answers with it), optionally for one of the account's contacts (their
 * name, attributes, language and zone). Nothing is saved to preview.
 */
export function TemplatePreview({
  check,
  contactId,
  onContact,
}: {
  check: BodyCheck;
  contactId: string;
  onContact: (contactId: string) => void;
}) {
  const contacts = useApiData(
    () => call(api.GET('/v1/contacts', { params: { query: { limit: 50 } } })),
    'preview-contacts',
  );
  const options = [
    { value: '', label: 'No contact (examples only)' },
    ...(contacts.data?.data ?? []).map((c) => ({
      value: c.id,
      label: c.name ? `${c.name} (${c.phone})` : c.phone,
    })),
  ];
  const stale = check.problems.length > 0 && check.preview !== undefined;

  return (
    <section className="card preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <SelectField
        id="preview-contact"
        label="Render for"
        hint="contact.* comes from the contact you pick; the other values from the examples."
        value={contactId}
        onChange={onContact}
        options={options}
      />
      <div aria-live="polite" aria-busy={check.checking}>
        {check.previewProblem ? (
          <p className="field-error" role="alert">
            The examples do not render: {check.previewProblem}
          </p>
        ) : check.preview ? (
          <>
            {stale && (
              <p className="note" data-testid="preview-stale">
                The body has problems: this is the last version that rendered.
              </p>
            )}
            <pre className="preview-text" data-testid="template-preview">
              {check.preview.text}
            </pre>
            {check.preview.missing.length > 0 && (
              <p className="muted small">
                No value for {check.preview.missing.join(', ')}: shown as empty text.
              </p>
            )}
          </>
        ) : (
          <p className="muted">
            {check.checking ? 'Rendering…' : 'Type a body to see it rendered with the examples.'}
          </p>
        )}
      </div>
    </section>
  );
}
