import { useEffect, useRef, useState } from 'react';
import { api, call } from '../api/api.client';
import type { TemplateProblem, TemplateValidation, TemplateVariable } from './template-form.mapper';

/** Long enough not to call the API on every key press, short enough to feel live. */
export const VALIDATE_DELAY_MS = 400;

export interface BodyCheck {
  problems: TemplateProblem[];
  warnings: TemplateValidation['warnings'];
  /** Paths the body reads; kept from the last body that parsed while a syntax error hides them. */
  paths: string[];
  checking: boolean;
  /** Set when the check itself failed (API unreachable, bad variable names). */
  failure?: string;
  /** The body as it is now, rendered by the API with the examples (and the chosen contact). */
  preview?: { text: string; missing: string[] };
  /** Why the examples did not render, when the body itself is fine. */
  previewProblem?: string;
}

export interface PreviewOptions {
  language: string;
  contactId: string;
}

const NONE: BodyCheck = { problems: [], warnings: [], paths: [], checking: false };

/**
 * The API's check of the body as it is being typed (POST /v1/templates/validate), debounced,
 * with its live preview. Only the answer to the latest text counts: an older answer arriving
 * late is dropped.
 */
export function useBodyCheck(
  body: string,
  variables: TemplateVariable[],
  enabled: boolean,
  options: PreviewOptions,
): BodyCheck {
  const [check, setCheck] = useState<BodyCheck>(NONE);
  const latest = useRef(0);
  const key = JSON.stringify([body, variables, options.language.trim(), options.contactId]);

  useEffect(() => {
    if (!enabled || body.trim() === '') {
      latest.current += 1;
      setCheck((c) => ({ ...NONE, paths: body.trim() === '' ? [] : c.paths }));
      return;
    }
    const seq = ++latest.current;
    setCheck((c) => ({ ...c, checking: true }));
    const timer = setTimeout(() => {
      const language = options.language.trim();
      const request = {
        body,
        variables,
        ...(language ? { language } : {}),
        ...(options.contactId ? { contactId: options.contactId } : {}),
      };
      void call(api.POST('/v1/templates/validate', { body: request })).then((result) => {
        if (seq !== latest.current) return;
        if (!result.ok) {
          setCheck((c) => ({ ...c, checking: false, failure: result.problem.message }));
          return;
        }
        const { problems, warnings, paths, preview, previewProblem } = result.data;
        const unparsed = problems.some((p) => p.code === 'template_syntax_error');
        setCheck((c) => ({
          problems,
          warnings,
          paths: unparsed ? c.paths : paths,
          checking: false,
          // A body with problems keeps showing the last preview that rendered, marked as such.
          ...(preview
            ? { preview: { text: preview.text, missing: preview.missingVariables ?? [] } }
            : c.preview && problems.length
              ? { preview: c.preview }
              : {}),
          ...(previewProblem ? { previewProblem: previewProblem.message } : {}),
        }));
      });
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
    // `key` stands for body and variables (a new array on every render).
  }, [key, enabled]);

  return check;
}
