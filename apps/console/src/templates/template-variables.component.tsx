import { undeclaredPaths, type VariableDraft } from './template-form.mapper';

/**
 * The variables the template declares (a name and an example, which previews use) and the paths
 * its body reads: a path nobody declared can be declared with one click, since the API refuses
 * a body that reads undeclared data.
 */
export function TemplateVariables({
  variables,
  onChange,
  paths,
  unused,
  error,
}: {
  variables: VariableDraft[];
  onChange: (variables: VariableDraft[]) => void;
  paths: readonly string[];
  unused: readonly string[];
  error: string | undefined;
}) {
  const declared = variables.map((v) => v.name.trim());
  const missing = undeclaredPaths(paths, declared);
  const set = (i: number, change: Partial<VariableDraft>) =>
    onChange(variables.map((v, j) => (j === i ? { ...v, ...change } : v)));
  const remove = (i: number) => onChange(variables.filter((_, j) => j !== i));
  const add = (name = '') => onChange([...variables, { name, example: '' }]);

  return (
    <fieldset className="card variables" aria-describedby={error ? 'variables-error' : undefined}>
      <legend>Variables</legend>
      <p className="muted small" id="variables-hint">
        Data the body reads besides <code>contact.*</code>. The example fills previews; numbers, true/false,
        [lists] and {'{objects}'} are read as JSON.
      </p>
      {error && (
        <p id="variables-error" className="field-error">
          {error}
        </p>
      )}
      {variables.length > 0 && (
        <ul className="variable-rows">
          {variables.map((v, i) => (
            <li key={i} className="variable-row">
              <div className="field">
                <label htmlFor={`variable-name-${i}`}>Name</label>
                <input
                  id={`variable-name-${i}`}
                  value={v.name}
                  maxLength={200}
                  placeholder="orderId"
                  onChange={(e) => set(i, { name: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`variable-example-${i}`}>Example</label>
                <input
                  id={`variable-example-${i}`}
                  value={v.example}
                  onChange={(e) => set(i, { example: e.target.value })}
                  aria-describedby="variables-hint"
                />
              </div>
              <button
                type="button"
                className="button"
                onClick={() => remove(i)}
                aria-label={`Remove variable ${v.name || i + 1}`}
              >
                Remove
              </button>
              {unused.includes(v.name.trim()) && (
                <p className="muted small variable-note">The body does not use this variable.</p>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={() => add()}>
          Add variable
        </button>
      </div>
      <h3 className="used-title">Used in the body</h3>
      {paths.length === 0 ? (
        <p className="muted small">The body reads no data yet.</p>
      ) : (
        <ul className="used-paths" data-testid="used-paths">
          {paths.map((path) => (
            <li key={path}>
              <code>{path}</code>{' '}
              {path.split('.')[0] === 'contact' ? (
                <span className="badge badge-off">contact</span>
              ) : missing.includes(path) ? (
                <>
                  <span className="badge badge-bad">not declared</span>{' '}
                  <button type="button" className="button button-small" onClick={() => add(path)}>
                    Declare {path}
                  </button>
                </>
              ) : (
                <span className="badge badge-ok">declared</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
