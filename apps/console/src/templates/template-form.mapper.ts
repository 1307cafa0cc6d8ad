import type { ApiProblem } from '../api/api-error.mapper';
import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Template = Schemas['TemplateDto'];
export type TemplateCategory = Template['category'];
export type TemplateProblem = Schemas['TemplateProblemDto'];
export type TemplateVariable = Schemas['TemplateVariableDto'];
export type TemplateValidation = Schemas['TemplateValidationDto'];
export type TemplateRequest = Schemas['CreateTemplateDto'];

export const CATEGORIES: readonly { value: TemplateCategory; label: string }[] = [
  { value: 'utility', label: 'Utility' },
  { value: 'marketing', label: 'Marketing' },
  { value: 'service', label: 'Service' },
];

export const categoryLabel = (category: string): string =>
  CATEGORIES.find((c) => c.value === category)?.label ?? category;

/** A declared variable as the form holds it: the example as typed. */
export interface VariableDraft {
  name: string;
  example: string;
}

export interface TemplateDraft {
  name: string;
  language: string;
  category: TemplateCategory;
  body: string;
  variables: VariableDraft[];
}

export const emptyDraft = (): TemplateDraft => ({
  name: '',
  language: 'en',
  category: 'utility',
  body: '',
  variables: [],
});

export function formatExample(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * An example as typed: JSON when it reads as a number, true/false, a list or an object (lists
 * feed {{#each}}), else the text itself. null is not an example the API takes, so it stays text.
 */
export function parseExample(text: string): TemplateVariable['example'] {
  const trimmed = text.trim();
  if (/^(-?\d|\[|\{|true$|false$)/.test(trimmed)) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (value !== null) return value as TemplateVariable['example'];
    } catch {
      // not JSON: the text is the example
    }
  }
  return text;
}

export function draftOf(template: Template): TemplateDraft {
  return {
    name: template.name,
    language: template.language,
    category: template.category,
    body: template.body,
    variables: template.variables.map((v) => ({ name: v.name, example: formatExample(v.example) })),
  };
}

/** Rows left completely blank are not variables the author meant. */
export function variablesOf(drafts: readonly VariableDraft[]): TemplateVariable[] {
  return drafts
    .filter((v) => v.name.trim() !== '' || v.example.trim() !== '')
    .map((v) => ({ name: v.name.trim(), example: parseExample(v.example) }));
}

export function requestOf(draft: TemplateDraft): TemplateRequest {
  return {
    name: draft.name.trim(),
    language: draft.language.trim(),
    category: draft.category,
    body: draft.body,
    variables: variablesOf(draft.variables),
  };
}

/** Codes of the body itself (their details list every problem, with line and column). */
const BODY_CODES = new Set([
  'template_syntax_error',
  'template_partials_not_allowed',
  'unknown_helper',
  'invalid_helper_usage',
  'undeclared_variable',
  'template_render_failed',
]);

const isProblem = (item: unknown): item is TemplateProblem =>
  typeof item === 'object' &&
  item !== null &&
  typeof (item as TemplateProblem).message === 'string' &&
  typeof (item as TemplateProblem).code === 'string';

/** The body's problems in a failed save or preview, or null when the failure is about something else. */
export function bodyProblemsOf(problem: ApiProblem): TemplateProblem[] | null {
  if (!BODY_CODES.has(problem.code)) return null;
  if (Array.isArray(problem.details) && problem.details.every(isProblem) && problem.details.length) {
    return problem.details;
  }
  const at = (problem.details ?? {}) as { line?: unknown; column?: unknown };
  const out: TemplateProblem = { code: problem.code, message: problem.message };
  if (typeof at.line === 'number') out.line = at.line;
  if (typeof at.column === 'number') out.column = at.column;
  return [out];
}

/** "Line 3, column 5" (1-based, as the API counts). */
export function positionLabel(problem: TemplateProblem): string | null {
  if (!problem.line) return null;
  return problem.column ? `Line ${problem.line}, column ${problem.column}` : `Line ${problem.line}`;
}

export const lineCount = (text: string): number => text.split('\n').length;

/** Lines (1-based) that hold a problem, for the gutter. */
export const problemLines = (problems: readonly TemplateProblem[]): Set<number> =>
  new Set(problems.flatMap((p) => (p.line ? [p.line] : [])));

/** Character offset of a 1-based line and column in `text`, kept inside the line and the text. */
export function offsetOf(text: string, line: number, column = 1): number {
  const lines = text.split('\n');
  const target = Math.min(Math.max(line, 1), lines.length);
  let offset = 0;
  for (let i = 0; i < target - 1; i++) offset += lines[i]!.length + 1;
  return offset + Math.min(Math.max(column, 1) - 1, lines[target - 1]!.length);
}

/**
 * Paths the body reads that no declared variable covers (a declared `order` covers `order.total`
 * and the other way round, as the API checks); `contact.*` is always there.
 */
export function undeclaredPaths(paths: readonly string[], declared: readonly string[]): string[] {
  const split = declared.filter(Boolean).map((d) => d.split('.'));
  const prefix = (a: string[], b: string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);
  return paths.filter((path) => {
    const parts = path.split('.');
    if (parts[0] === 'contact') return false;
    return !split.some((d) => prefix(d, parts) || prefix(parts, d));
  });
}
