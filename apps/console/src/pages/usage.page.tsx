import { api, call } from '../api/api.client';
import { usageRows } from '../usage/usage.mapper';
import { useApiData } from '../ui/api-data.store';
import { LoadError, Page } from '../ui/page.component';

const PLAN_NAMES: Readonly<Record<string, string>> = {
  starter: 'Starter',
  professional: 'Professional',
  enterprise: 'Enterprise',
};

/** The plan and, for each of its limits, what the account uses now (GET /v1/account). */
export function UsagePage() {
  const account = useApiData(() => call(api.GET('/v1/account')), 'account');
  const data = account.data;
  return (
    <Page title="Usage">
      {account.problem && !data && <LoadError message={account.problem.message} onRetry={account.reload} />}
      {!data && !account.problem && <p className="muted">Loading…</p>}
      {data && (
        <>
          <p className="lead">
            <span data-testid="plan-name">{PLAN_NAMES[data.plan] ?? data.plan}</span> plan of {data.name}.
          </p>
          <div className="table-wrap">
            <table className="table usage">
              <caption className="visually-hidden">Limits of the plan and their use</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">In use</th>
                  <th scope="col">Limit</th>
                  <th scope="col">Share used</th>
                </tr>
              </thead>
              <tbody>
                {usageRows(data).map((row) => (
                  <tr key={row.resource} data-resource={row.resource}>
                    <th scope="row">{row.label}</th>
                    <td className={row.used === null ? 'muted' : undefined}>{row.usedText}</td>
                    <td>{row.limitText}</td>
                    <td>
                      {row.share === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <progress
                          className={row.share >= 0.9 ? 'meter meter-high' : 'meter'}
                          max={1}
                          value={row.share}
                          aria-label={`${row.label}: ${row.usedText} of ${row.limitText}`}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {usageRows(data).some((row) => row.used === null) && (
            <p className="muted small">Contacts are counted on the Contacts API (GET /v1/contacts).</p>
          )}
        </>
      )}
    </Page>
  );
}
