import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import type { components } from '../api/schema';
import { Field, FormError } from '../ui/field.component';
import { answerText, percent } from './faq-bot.mapper';

type AskResult = components['schemas']['FaqAskResultDto'];

/** Asks the bot a question: which entry would answer, with what score. Nothing is sent or recorded. */
export function FaqTester({ botId, threshold }: { botId: string; threshold: number }) {
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FormErrors<'text'>>({ fields: {} });
  const [result, setResult] = useState<AskResult>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const answer = await call(
      api.POST('/v1/faq-bots/{id}/ask', { params: { path: { id: botId } }, body: { text } }),
    );
    setBusy(false);
    if (!answer.ok) {
      setResult(undefined);
      setErrors(formErrors(answer.problem, ['text'] as const, { labels: { text: 'Question' } }));
      return;
    }
    setErrors({ fields: {} });
    setResult(answer.data);
  };
  return (
    <section className="card" aria-labelledby="tester-title">
      <h2 id="tester-title">Ask a question</h2>
      <p className="muted small">
        Shows which entry would answer (threshold {percent(threshold)}). Nothing is sent.
      </p>
      <form className="inline-row" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="tester-title">
        <FormError message={errors.form} />
        <Field id="ask-text" label="Question" value={text} onChange={setText} error={errors.fields.text} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      {result && (
        <div data-testid="ask-result" role="status">
          {result.matched && result.best ? (
            <p>
              <strong>Answers ({percent(result.best.score)}):</strong> {answerText(result.best.answer)}
            </p>
          ) : (
            <p>
              <strong>No answer:</strong> no entry reaches the threshold.
            </p>
          )}
          {result.candidates.length > 0 && (
            <ul>
              {result.candidates.map((c) => (
                <li key={c.entryId}>
                  {percent(c.score)} — {c.question}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
