import { useRef } from 'react';
import {
  lineCount,
  offsetOf,
  positionLabel,
  problemLines,
  type TemplateProblem,
} from './template-form.mapper';

const ID = 'template-body';

/**
 * The Handlebars body with line numbers, and its problems listed under it: each problem names
 * its line and column and, when clicked, puts the caret there. The textarea does not wrap, so
 * that a line of the gutter is a line of the body.
 */
export function TemplateBody({
  body,
  onChange,
  problems,
  checking,
  failure,
}: {
  body: string;
  onChange: (body: string) => void;
  problems: readonly TemplateProblem[];
  checking: boolean;
  failure: string | undefined;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const bad = problemLines(problems);
  const lines = Array.from({ length: lineCount(body) }, (_, i) => i + 1);

  const goTo = (problem: TemplateProblem) => {
    const el = area.current;
    if (!el || !problem.line) return;
    const offset = offsetOf(body, problem.line, problem.column);
    el.focus();
    el.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (problem.line - 3) * lineHeight);
    syncGutter();
  };
  const syncGutter = () => {
    if (gutter.current && area.current) gutter.current.scrollTop = area.current.scrollTop;
  };

  return (
    <div className={problems.length ? 'field field-invalid' : 'field'}>
      <label htmlFor={ID}>Body</label>
      <p id={`${ID}-hint`} className="field-hint">
        Handlebars: <code>{'{{orderId}}'}</code>, <code>{'{{contact.name}}'}</code>,{' '}
        <code>{'{{#if paid}}…{{/if}}'}</code>, <code>{'{{#each items}}…{{/each}}'}</code>. Checked as you
        type.
      </p>
      <div className="code-editor">
        <div className="code-gutter" ref={gutter} aria-hidden="true">
          {lines.map((n) => (
            <div key={n} className={bad.has(n) ? 'code-line code-line-bad' : 'code-line'}>
              {n}
            </div>
          ))}
        </div>
        <textarea
          id={ID}
          name={ID}
          ref={area}
          value={body}
          rows={Math.min(Math.max(lines.length + 1, 8), 24)}
          wrap="off"
          spellCheck={false}
          required
          maxLength={4096}
          onChange={(e) => onChange(e.target.value)}
          onScroll={syncGutter}
          aria-invalid={problems.length ? true : undefined}
          aria-describedby={`${ID}-hint ${ID}-problems`}
        />
      </div>
      <div id={`${ID}-problems`} className="problems" aria-live="polite" data-testid="body-problems">
        {problems.length > 0 ? (
          <ul className="problem-list">
            {problems.map((p, i) => {
              const where = positionLabel(p);
              return (
                <li key={`${i}-${p.code}`} data-line={p.line}>
                  {where ? (
                    <button type="button" className="problem-at" onClick={() => goTo(p)}>
                      {where}
                    </button>
                  ) : (
                    <span className="problem-at">Body</span>
                  )}
                  : {p.message}
                </li>
              );
            })}
          </ul>
        ) : failure ? (
          <p className="field-error">The body could not be checked: {failure}</p>
        ) : (
          !checking && body.trim() !== '' && <p className="muted small">No problems found.</p>
        )}
      </div>
      {checking && <p className="muted small">Checking…</p>}
    </div>
  );
}
