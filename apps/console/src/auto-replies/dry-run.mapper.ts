import type { ApiProblem } from '../api/api-error.mapper';

/**
 * The dry run of the rule being edited: POST /v1/auto-replies/test with the form as `draft`. The
 * API answers problems of the draft as a save would, about `draft.<field>`; these belong next to
 * the editor's fields, the rest to the dry-run panel.
 */

const DRAFT_PREFIX = /^draft(\.|: |$)/;
const isDraftField = (field: unknown): boolean => typeof field === 'string' && DRAFT_PREFIX.test(field);
const undraft = (text: string): string => text.replace(DRAFT_PREFIX, '');

/** A problem split into what is about the draft (as if a save had been refused) and the rest. */
export function splitDryRunProblem(problem: ApiProblem): { draft?: ApiProblem; panel?: ApiProblem } {
  if (problem.code === 'validation_failed' && Array.isArray(problem.details)) {
    const items = problem.details as { field?: unknown }[];
    const about = items.filter((d) => isDraftField(d?.field));
    const rest = items.filter((d) => !isDraftField(d?.field));
    return {
      ...(about.length
        ? {
            draft: {
              ...problem,
              details: about.map((d) => ({ ...d, field: undraft(d.field as string) || '(rule)' })),
            },
          }
        : {}),
      ...(rest.length || !about.length ? { panel: { ...problem, details: rest } } : {}),
    };
  }
  const field = (problem.details as { field?: unknown } | undefined)?.field;
  if (problem.status === 400 && isDraftField(field)) {
    return { draft: { ...problem, message: undraft(problem.message) } };
  }
  return { panel: problem };
}

export interface DraftShape {
  enabled?: unknown;
  connectionIds?: unknown;
}

/**
 * Why the rule being edited has no outcome in a dry run's result, in words; null when it has one.
 * A rule that serves the connection and is enabled is only left out when an earlier rule matched
 * and stopped the evaluation.
 */
export function draftNote(
  draft: DraftShape,
  connectionId: string,
  result: { evaluated: readonly { draft?: boolean }[] },
): string | null {
  if (result.evaluated.some((o) => o.draft)) return null;
  if (draft.enabled === false) return 'The rule you are editing is disabled, so it was not tried.';
  const only = Array.isArray(draft.connectionIds) ? (draft.connectionIds as string[]) : [];
  if (only.length && !only.includes(connectionId)) {
    return 'The rule you are editing does not serve this connection, so it was not tried.';
  }
  return 'The rule you are editing was not reached: a rule before it matched and stopped the evaluation.';
}
