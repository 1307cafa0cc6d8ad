import { CheckboxField, Field, SelectField, TextAreaField } from '../ui/field.component';
import { BusinessHoursEditor } from './business-hours.component';
import {
  ACTION_TYPES,
  CONDITION_TYPES,
  LABELS,
  newAction,
  newCondition,
  TAG_OPS,
  TEXT_OPS,
  type ActionDraft,
  type ConditionDraft,
} from './rule-form.mapper';

const options = <T extends string>(values: readonly T[], labels: Readonly<Record<string, string>>) =>
  values.map((v) => ({ value: v, label: labels[v] ?? v }));

interface RowProps<T> {
  index: number;
  value: T;
  onChange: (value: T) => void;
  onRemove: (() => void) | undefined;
  error: string | undefined;
}

/** One condition: its type, then the controls that type needs. Ids carry the row number. */
export function ConditionRow({ index, value: c, onChange, onRemove, error }: RowProps<ConditionDraft>) {
  const id = `condition-${index}`;
  const set = (patch: Partial<ConditionDraft>) => onChange({ ...c, ...patch });
  return (
    <li className="rule-row" data-testid="condition-row">
      <fieldset>
        <legend>Condition {index + 1}</legend>
        <div className="inline-row">
          <SelectField
            id={`${id}-type`}
            label="Type"
            value={c.type}
            options={options(CONDITION_TYPES, LABELS.condition)}
            onChange={(type) => onChange(newCondition(type as ConditionDraft['type']))}
            error={error}
          />
          {c.type === 'text' && (
            <>
              <SelectField
                id={`${id}-op`}
                label="Match"
                value={c.op}
                options={options(TEXT_OPS, LABELS.op)}
                onChange={(op) => set({ op })}
              />
              <Field
                id={`${id}-value`}
                label={
                  c.op === 'keywords' ? 'Words (comma-separated)' : c.op === 'regex' ? 'Pattern' : 'Text'
                }
                value={c.value}
                onChange={(value) => set({ value })}
              />
            </>
          )}
          {c.type === 'messageType' && (
            <Field
              id={`${id}-value`}
              label="Types (comma-separated)"
              hint="text, image, video, audio, document, sticker, location, contact, poll"
              value={c.value}
              onChange={(value) => set({ value })}
            />
          )}
          {c.type === 'chatType' && (
            <SelectField
              id={`${id}-op`}
              label="Chats"
              value={c.op}
              options={[
                { value: 'direct', label: 'Direct chats' },
                { value: 'group', label: 'Groups' },
                { value: 'both', label: 'Both' },
              ]}
              onChange={(op) => set({ op })}
            />
          )}
          {c.type === 'contactTag' && (
            <>
              <SelectField
                id={`${id}-op`}
                label="The contact"
                value={c.op}
                options={options(TAG_OPS, LABELS.op)}
                onChange={(op) => set({ op })}
              />
              <Field
                id={`${id}-value`}
                label="Tags (comma-separated)"
                value={c.value}
                onChange={(value) => set({ value })}
              />
            </>
          )}
          {c.type === 'businessHours' && (
            <SelectField
              id={`${id}-op`}
              label="When"
              value={c.op}
              options={[
                { value: 'inside', label: 'During business hours' },
                { value: 'outside', label: 'Outside business hours' },
              ]}
              onChange={(op) => set({ op })}
            />
          )}
        </div>
        {c.type === 'text' && (
          <div className="inline-row">
            <CheckboxField
              id={`${id}-negate`}
              label="Does not match"
              checked={c.negate}
              onChange={(negate) => set({ negate })}
            />
            <CheckboxField
              id={`${id}-case`}
              label="Case-sensitive"
              checked={c.caseSensitive}
              onChange={(caseSensitive) => set({ caseSensitive })}
            />
          </div>
        )}
        {c.type === 'businessHours' && (
          <BusinessHoursEditor id={`${id}-hours`} value={c.hours} onChange={(hours) => set({ hours })} />
        )}
        {onRemove && (
          <div className="actions">
            <button type="button" className="button" onClick={onRemove}>
              Remove condition {index + 1}
            </button>
          </div>
        )}
      </fieldset>
    </li>
  );
}

/** One action: its type, then the controls that type needs. */
export function ActionRow({
  index,
  value: a,
  onChange,
  onRemove,
  error,
  bots,
}: RowProps<ActionDraft> & { bots: readonly { value: string; label: string }[] }) {
  const id = `action-${index}`;
  const set = (patch: Partial<ActionDraft>) => onChange({ ...a, ...patch });
  return (
    <li className="rule-row" data-testid="action-row">
      <fieldset>
        <legend>Action {index + 1}</legend>
        <div className="inline-row">
          <SelectField
            id={`${id}-type`}
            label="Type"
            value={a.type}
            options={options(ACTION_TYPES, LABELS.action)}
            onChange={(type) => onChange(newAction(type as ActionDraft['type']))}
            error={error}
          />
          {a.type === 'reply' && (
            <Field
              id={`${id}-template`}
              label="Template id (instead of text)"
              value={a.templateId}
              onChange={(templateId) => set({ templateId })}
            />
          )}
          {a.type === 'tag' && (
            <>
              <Field id={`${id}-add`} label="Add tags" value={a.add} onChange={(add) => set({ add })} />
              <Field
                id={`${id}-remove`}
                label="Remove tags"
                value={a.remove}
                onChange={(remove) => set({ remove })}
              />
            </>
          )}
          {a.type === 'http' && (
            <Field id={`${id}-url`} label="URL" type="url" value={a.url} onChange={(url) => set({ url })} />
          )}
          {a.type === 'handoff' && (
            <Field
              id={`${id}-minutes`}
              label="Pause the bot for (minutes)"
              inputMode="numeric"
              value={a.minutes}
              onChange={(minutes) => set({ minutes })}
            />
          )}
          {a.type === 'askFaq' && (
            <SelectField
              id={`${id}-bot`}
              label="FAQ bot"
              value={a.botId}
              options={[{ value: '', label: 'Choose a bot' }, ...bots]}
              onChange={(botId) => set({ botId })}
            />
          )}
        </div>
        {a.type === 'reply' && !a.templateId && (
          <TextAreaField
            id={`${id}-text`}
            label="Reply text"
            hint={
              a.original?.media && !a.text
                ? 'This reply sends media (kept as it is); type a text to send text instead.'
                : 'Placeholders: {{contact.name}}, {{contact.phone}}.'
            }
            value={a.text}
            onChange={(text) => set({ text })}
          />
        )}
        {onRemove && (
          <div className="actions">
            <button type="button" className="button" onClick={onRemove}>
              Remove action {index + 1}
            </button>
          </div>
        )}
      </fieldset>
    </li>
  );
}
