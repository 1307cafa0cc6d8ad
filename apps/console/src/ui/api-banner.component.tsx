import { apiHealth, useApiHealth } from '../api/api-health.store';

/**
 * Shown over every page while the API does not answer (or answers 5xx), instead of a blank page.
 * What was typed stays in the forms; "Try again" makes the pages read their data again.
 */
export function ApiBanner() {
  const { state } = useApiHealth();
  if (state === 'ok') return null;
  return (
    <div className="banner" role="alert" data-testid="api-banner">
      <p>
        {state === 'down'
          ? 'The API is not reachable. Nothing you typed is lost.'
          : 'The API ran into an error. Nothing you typed is lost.'}
      </p>
      <button type="button" className="button button-light" onClick={() => apiHealth.retry()}>
        Try again
      </button>
    </div>
  );
}
