/** What the console knows of a failed call: the API's error body, or why there was none. */
export interface ApiProblem {
  /** HTTP status; 0 when the API could not be reached at all. */
  status: number;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

export const unreachable = (): ApiProblem => ({
  status: 0,
  code: 'network_error',
  message: 'The API could not be reached. Check your connection and try again.',
});

/** Turns any error answer into a problem; proxies and crashes may answer with no JSON body. */
export function toProblem(status: number, body: unknown): ApiProblem {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.code === 'string' && typeof b.message === 'string') {
      return {
        status,
        code: b.code,
        message: b.message,
        ...(b.details !== undefined ? { details: b.details } : {}),
        ...(typeof b.requestId === 'string' ? { requestId: b.requestId } : {}),
      };
    }
  }
  if (status >= 500) {
    return { status, code: 'server_error', message: `The API failed (HTTP ${status}). Try again shortly.` };
  }
  return { status, code: `http_${status}`, message: `The request failed (HTTP ${status}).` };
}

/** Errors of one form: under the field they concern, or for the form as a whole. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  form?: string;
}

export interface FormErrorOptions<F extends string> {
  /** Codes about one field (`weak_password` is the password's). */
  codes?: Readonly<Partial<Record<string, F>>>;
  /** How the form labels its fields: "phoneNumber must be…" reads "Phone number must be…". */
  labels?: Readonly<Partial<Record<F, string>>>;
}

const sentence = (text: string): string => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

/**
 * Places a problem on a form: `validation_failed` lists fields (dotted paths; the first segment
 * names the form field), and some codes are about one field. Whatever no field of this form
 * takes becomes the form's message, so nothing is lost.
 */
export function formErrors<F extends string>(
  problem: ApiProblem,
  fields: readonly F[],
  options: FormErrorOptions<F> = {},
): FormErrors<F> {
  const known = new Set<string>(fields);
  const out: FormErrors<F> = { fields: {} };
  const label = (name: string, text: string): string => {
    const human = options.labels?.[name as F];
    return sentence(human && text.startsWith(`${name} `) ? human + text.slice(name.length) : text);
  };
  if (problem.code === 'validation_failed' && Array.isArray(problem.details)) {
    const rest: string[] = [];
    for (const item of problem.details as unknown[]) {
      const { field, messages } = (item ?? {}) as { field?: unknown; messages?: unknown };
      const texts = Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : [];
      const name = typeof field === 'string' ? field.split(/[.[]/)[0]! : '';
      if (!texts.length) continue;
      if (known.has(name)) {
        const key = name as F;
        const text = texts.map((t) => label(name, t)).join('; ');
        out.fields[key] = out.fields[key] ? `${out.fields[key]}; ${text}` : text;
      } else {
        rest.push(...texts.map(sentence));
      }
    }
    if (rest.length) out.form = rest.join(' ');
    else if (Object.keys(out.fields).length === 0) out.form = problem.message;
    return out;
  }
  const field = options.codes?.[problem.code];
  if (field && known.has(field)) out.fields[field] = sentence(problem.message);
  else out.form = problem.message;
  return out;
}
