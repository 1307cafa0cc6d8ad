import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import type { Connection } from '../api/api.dto';
import { Field, FormError, SelectField } from '../ui/field.component';
import type { Campaign, Contact, Template } from './campaign.dto';
import {
  campaignBody,
  campaignErrors,
  campaignVariables,
  errorsUnder,
  unplaced,
  type CampaignErrors,
  type CampaignForm,
} from './campaign-form.mapper';
import { PacingFields } from './pacing-fields.component';
import { ScheduleBuilder } from './schedule-builder.component';

/** Parts of the form with a place on screen; errors about anything else go above the form. */
const SHOWN = ['name', 'connectionIds', 'templateId', 'variables', 'audience', 'schedule', 'pacing'];

interface Props {
  /** The campaign being changed; undefined while creating one. */
  campaign: Campaign | undefined;
  initial: CampaignForm;
  templates: Template[];
  connections: Connection[];
  contacts: Contact[];
  /** Viewers see the settings but cannot change them. */
  readOnly: boolean;
  onSaved: (campaign: Campaign) => void;
}

/** Name, connections, template and its values, audience, schedule and pacing; saved in one go. */
export function CampaignEditor({
  campaign,
  initial,
  templates,
  connections,
  contacts,
  readOnly,
  onSaved,
}: Props) {
  const [form, setForm] = useState(initial);
  const [scheduleTouched, setScheduleTouched] = useState(!campaign);
  const [errors, setErrors] = useState<CampaignErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<CampaignForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const template = templates.find((t) => t.id === form.templateId);
  const variables = template ? campaignVariables(template.variables) : [];
  const f = errors.fields;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const body = campaignBody(form, scheduleTouched);
    const result = campaign
      ? await call(api.PATCH('/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body }))
      : await call(api.POST('/v1/campaigns', { body }));
    setBusy(false);
    if (!result.ok) {
      // What was typed stays as it is, to fix and save again.
      setErrors(campaignErrors(result.problem));
      return;
    }
    setErrors({ fields: {} });
    setSaved(true);
    setScheduleTouched(false);
    onSaved(result.data);
  };

  const contactOptions = [
    ...contacts.map((c) => ({ id: c.id, label: c.name ? `${c.name} (${c.phone})` : c.phone })),
    ...form.contactIds.filter((id) => !contacts.some((c) => c.id === id)).map((id) => ({ id, label: id })),
  ];

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Campaign settings">
      <FormError message={unplaced(errors, SHOWN)} />
      <fieldset className="plain" disabled={readOnly}>
        <section className="card" aria-labelledby="what-title">
          <h2 id="what-title">What and from where</h2>
          <Field
            id="campaign-name"
            label="Name"
            required
            maxLength={120}
            value={form.name}
            onChange={(v) => set({ name: v })}
            error={f.name}
          />
          <fieldset className="choices" aria-describedby={f.connectionIds ? 'connections-error' : undefined}>
            <legend>Send from</legend>
            {connections.length === 0 && <p className="muted">No connections yet: link a phone first.</p>}
            {connections.map((c) => (
              <div className="field field-check" key={c.id}>
                <input
                  id={`connection-${c.id}`}
                  type="checkbox"
                  checked={form.connectionIds.includes(c.id)}
                  onChange={(e) =>
                    set({
                      connectionIds: e.target.checked
                        ? [...form.connectionIds, c.id]
                        : form.connectionIds.filter((id) => id !== c.id),
                    })
                  }
                />
                <label htmlFor={`connection-${c.id}`}>
                  {c.name} <span className="muted small">({c.status})</span>
                </label>
              </div>
            ))}
            {f.connectionIds && (
              <p id="connections-error" className="field-error">
                {f.connectionIds}
              </p>
            )}
          </fieldset>
          <SelectField
            id="campaign-template"
            label="Template"
            value={form.templateId}
            onChange={(v) => set({ templateId: v })}
            options={[
              { value: '', label: templates.length ? 'Choose a template' : 'No templates yet' },
              ...templates.map((t) => ({ value: t.id, label: `${t.name} (${t.language})` })),
            ]}
            error={f.templateId}
          />
          {template && <p className="template-body small">{template.body}</p>}
          {variables.length > 0 && (
            <fieldset className="choices">
              <legend>Template values (the same for every recipient)</legend>
              {f.variables && <p className="field-error">{f.variables}</p>}
              {variables.map((v) => (
                <Field
                  key={v.name}
                  id={`variable-${v.name.replace(/\W/g, '-')}`}
                  label={v.name}
                  hint={v.description ?? `e.g. ${JSON.stringify(v.example)}`}
                  value={form.variables[v.name] ?? ''}
                  onChange={(value) => set({ variables: { ...form.variables, [v.name]: value } })}
                />
              ))}
            </fieldset>
          )}
        </section>
        <section className="card" aria-labelledby="audience-title">
          <h2 id="audience-title">Audience</h2>
          <p className="muted small">Contacts with any of the tags, and the contacts picked below.</p>
          {f.audience && <p className="field-error">{f.audience}</p>}
          <Field
            id="audience-tags"
            label="Tags"
            hint="Separated by commas, e.g. vip, newsletter."
            value={form.tags}
            onChange={(v) => set({ tags: v })}
          />
          <div className="field">
            <label htmlFor="audience-contacts">Contacts</label>
            <p id="audience-contacts-hint" className="field-hint">
              Hold Ctrl (or ⌘) to pick several.
            </p>
            <select
              id="audience-contacts"
              multiple
              size={Math.min(6, Math.max(2, contactOptions.length))}
              value={form.contactIds}
              aria-describedby="audience-contacts-hint"
              onChange={(e) => set({ contactIds: [...e.target.selectedOptions].map((o) => o.value) })}
            >
              {contactOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        </section>
        <ScheduleBuilder
          form={form.schedule}
          onChange={(schedule) => {
            setScheduleTouched(true);
            // A new schedule is asked about afresh; the last save's complaints no longer apply.
            setErrors((e) => ({
              ...e,
              fields: Object.fromEntries(Object.entries(e.fields).filter(([k]) => !k.startsWith('schedule'))),
            }));
            set({ schedule });
          }}
          saveErrors={errorsUnder(f, 'schedule')}
          preview={!readOnly}
        />
        <PacingFields
          pacing={form.pacing}
          onChange={(pacing) => set({ pacing })}
          errors={errorsUnder(f, 'pacing')}
        />
      </fieldset>
      {!readOnly && (
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : campaign ? 'Save changes' : 'Create campaign'}
          </button>
          {saved && (
            <p className="success" role="status">
              Saved.
            </p>
          )}
        </div>
      )}
    </form>
  );
}
