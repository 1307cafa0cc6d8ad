import { useRef, useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { importSummary, listedErrorsNote, type ImportResult } from './contacts.mapper';

/**
 * CSV import: the file is sent as multipart (field "file"); good rows are applied and bad ones
 * listed with their line in the file, so they can be fixed and the file imported again (rows
 * are upserted by phone, so importing twice does no harm).
 */
export function ContactImport({ onImported }: { onImported: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    setBusy(true);
    setError(undefined);
    const answer = await call(
      api.POST('/v1/contacts/import', {
        // The browser sets the multipart boundary itself: the FormData goes out as it is.
        body: form as never,
        bodySerializer: (body: unknown) => body as FormData,
      }),
    );
    setBusy(false);
    if (!answer.ok) {
      setResult(undefined);
      setError(answer.problem.message);
      return;
    }
    setResult(answer.data);
    onImported();
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="import-title">
      <h2 id="import-title">Import from CSV</h2>
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor="import-file">CSV file</label>
        <p id="import-file-hint" className="field-hint">
          A header line with a <code>phone</code> column; also name, tags (separated by ;), timeZone,
          language, optedOut. Other columns become attributes. Rows are matched by phone.
        </p>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          ref={input}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'import-file-hint import-file-error' : 'import-file-hint'}
          onChange={() => setError(undefined)}
        />
        {error && (
          <p id="import-file-error" className="field-error">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      <div aria-live="polite">
        {result && (
          <div className="import-result" data-testid="import-result">
            <p className={result.failed ? 'form-error' : 'success'}>Imported: {importSummary(result)}.</p>
            {result.errors.length > 0 && (
              <div className="table-wrap">
                <table className="table" data-testid="import-errors">
                  <caption>Rows not imported{listedErrorsNote(result)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.errors.map((e) => (
                      <tr key={`${e.row}-${e.code}`}>
                        <th scope="row">{e.row}</th>
                        <td>
                          {e.message} <span className="muted small">({e.code})</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </div>
    </form>
  );
}
