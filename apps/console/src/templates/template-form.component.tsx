import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { ConfirmButton } from '../ui/confirm-button.component';
import { Field, FormError, SelectField } from '../ui/field.component';
import { TemplateBody } from './template-body.component';
import {
  bodyProblemsOf,
  CATEGORIES,
  draftOf,
  emptyDraft,
  requestOf,
  variablesOf,
  type Template,
  type TemplateCategory,
  type TemplateDraft,
  type TemplateProblem,
} from './template-form.mapper';
import { TemplatePreview } from './template-preview.component';
import { useBodyCheck } from './template-validation.store';
import { TemplateVariables } from './template-variables.component';

type FieldName = 'name' | 'language' | 'category' | 'variables';
const FIELDS: readonly FieldName[] = ['name', 'language', 'category', 'variables'];
const CODES = {
  template_name_taken: 'name',
  invalid_language: 'language',
  invalid_variable: 'variables',
} as const;
const NO_ERRORS: FormErrors<FieldName> = { fields: {} };

/**
 * Creating or changing a template. What was typed stays after a failed save; problems of the
 * body from the save are shown at their lines like the live check's.
 */
export function TemplateForm({
  template,
  onSaved,
}: {
  template?: Template;
  onSaved: (template: Template) => void;
}) {
  const [draft, setDraft] = useState<TemplateDraft>(() => (template ? draftOf(template) : emptyDraft()));
  const [errors, setErrors] = useState(NO_ERRORS);
  const [saveProblems, setSaveProblems] = useState<TemplateProblem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const [previewContact, setPreviewContact] = useState('');
  const check = useBodyCheck(draft.body, variablesOf(draft.variables), true, {
    language: draft.language,
    contactId: previewContact,
  });
  const problems = saveProblems ?? check.problems;

  const change = (patch: Partial<TemplateDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(undefined);
    if (patch.body !== undefined || patch.variables !== undefined) setSaveProblems(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(undefined);
    const body = requestOf(draft);
    const result = template
      ? await call(api.PATCH('/v1/templates/{id}', { params: { path: { id: template.id } }, body }))
      : await call(api.POST('/v1/templates', { body }));
    setBusy(false);
    if (!result.ok) {
      const atLines = bodyProblemsOf(result.problem);
      setSaveProblems(atLines);
      setErrors(
        atLines
          ? { fields: {}, form: 'The body has problems: see the list under it.' }
          : formErrors(result.problem, FIELDS, { codes: CODES }),
      );
      return;
    }
    setErrors(NO_ERRORS);
    setSaveProblems(null);
    if (!template) {
      navigate(urls.template(result.data.id));
      return;
    }
    const warnings = result.data.warnings.map((w) => w.message);
    setSaved(warnings.length ? `Saved. Note: ${warnings.join('; ')}.` : 'Saved.');
    onSaved(result.data);
  };

  const remove = async () => {
    if (!template) return;
    const result = await call(api.DELETE('/v1/templates/{id}', { params: { path: { id: template.id } } }));
    if (result.ok) navigate(urls.templates);
    else setErrors({ fields: {}, form: result.problem.message });
  };

  return (
    <div className="template-layout">
      <form
        className="template-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-label={template ? `Edit ${template.name}` : 'New template'}
      >
        <FormError message={errors.form} />
        <div className="card">
          <Field
            id="template-name"
            label="Name"
            hint="Unique in your account, e.g. order_shipped."
            required
            maxLength={100}
            value={draft.name}
            onChange={(name) => change({ name })}
            error={errors.fields.name}
          />
          <div className="inline-row">
            <Field
              id="template-language"
              label="Language"
              hint="A language tag: en, es, pt-BR…"
              required
              maxLength={35}
              value={draft.language}
              onChange={(language) => change({ language })}
              error={errors.fields.language}
            />
            <SelectField
              id="template-category"
              label="Category"
              value={draft.category}
              onChange={(category) => change({ category: category as TemplateCategory })}
              options={CATEGORIES}
              error={errors.fields.category}
            />
          </div>
          <TemplateBody
            body={draft.body}
            onChange={(body) => change({ body })}
            problems={problems}
            checking={check.checking}
            failure={check.failure}
          />
        </div>
        <TemplateVariables
          variables={draft.variables}
          onChange={(variables) => change({ variables })}
          paths={check.paths}
          unused={check.warnings.map((w) => w.variable)}
          error={errors.fields.variables}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : template ? 'Save changes' : 'Create template'}
          </button>
          {template && (
            <ConfirmButton
              label="Delete template"
              title={`Delete ${template.name}?`}
              confirmLabel="Delete"
              onConfirm={remove}
            >
              Auto-replies, FAQ bots and campaigns that use it keep it from being deleted.
            </ConfirmButton>
          )}
        </div>
        <p className="success" role="status" data-testid="save-status">
          {saved ?? ''}
        </p>
      </form>
      <TemplatePreview check={check} contactId={previewContact} onContact={setPreviewContact} />
    </div>
  );
}
