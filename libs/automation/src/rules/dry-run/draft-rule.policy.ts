import { DomainError, isDomainError } from '@wwb/runtime';
import { compileRule, CompiledRule, evaluateRules, InboundFacts, RuleOutcome } from '../rule-engine.policy';
import { RuleDefinition } from '../rule.model';

/**
 * The id a dry run gives a draft that replaces no saved rule. Saved ids are `ar_<ULID>`, so it
 * never names one, and it sorts after them: at equal priority a new rule, whose id is made when
 * it is saved (later than every existing one), is evaluated after the saved rules too.
 */
export const NEW_DRAFT_ID = 'draft';

export interface DraftOutcome extends RuleOutcome {
  /** The draft's outcome (the unsaved rule), not a saved rule's. */
  draft?: true;
}

export interface DraftEvaluation {
  evaluated: DraftOutcome[];
  matched: { rule: CompiledRule; draft: boolean }[];
}

/** A checked draft, compiled as if saved with the id of the rule it replaces (or NEW_DRAFT_ID). */
export function compileDraft(definition: RuleDefinition, replaces: string | undefined): CompiledRule {
  const epoch = new Date(0);
  return compileRule({
    ...definition,
    id: replaces ?? NEW_DRAFT_ID,
    accountId: '',
    createdAt: epoch,
    updatedAt: epoch,
  });
}

/**
 * Evaluates the saved rules with `draft` in place of the saved rule of the same id (or added to
 * them) exactly as the pipeline would once the draft were saved: same order, same stop, and a
 * disabled draft, or one for other connections, is not evaluated. Without a draft: the saved
 * rules alone. Pure; `saved` is not changed.
 */
export function evaluateWithDraft(
  saved: readonly CompiledRule[],
  draft: CompiledRule | undefined,
  facts: InboundFacts,
  now: Date,
): DraftEvaluation {
  const rules = draft ? [...saved.filter((r) => r.id !== draft.id), draft] : saved;
  const evaluation = evaluateRules(rules, facts, now);
  return {
    evaluated: evaluation.evaluated.map((o) => (draft && o.ruleId === draft.id ? { ...o, draft: true } : o)),
    matched: evaluation.matched.map((rule) => ({ rule, draft: rule === draft })),
  };
}

const DRAFT_FIELD_BY_CODE: Record<string, string> = {
  invalid_name: 'name',
  unknown_connection: 'connectionIds',
  unknown_condition_type: 'conditions',
  invalid_condition: 'conditions',
  invalid_regex: 'conditions',
  invalid_time_zone: 'conditions',
  invalid_business_hours: 'conditions',
};

/**
 * A rule error about a draft, as the dry run answers it: the code of a refused save, the message
 * prefixed with `draft`, and `details.field` naming the draft's part (`draft.conditions.items[0]`,
 * `draft.actions[1].text`, `draft.name`...). Details that were a list move to `details.items`.
 * Other errors pass through unchanged.
 */
export function draftError(err: unknown): unknown {
  if (!isDomainError(err) || err.kind !== 'invalid') return err;
  const named = /^(conditions\.items\[\d+\]|actions\[\d+\](?:\.\w+)?)/.exec(err.message)?.[1];
  const part = named ?? DRAFT_FIELD_BY_CODE[err.code] ?? 'actions';
  const details: Record<string, unknown> =
    err.details === undefined
      ? {}
      : typeof err.details === 'object' && err.details !== null && !Array.isArray(err.details)
        ? { ...(err.details as Record<string, unknown>) }
        : { items: err.details };
  const message = named ? `draft.${err.message}` : `draft: ${err.message}`;
  return new DomainError('invalid', err.code, message, { ...details, field: `draft.${part}` });
}
