import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { categoryLabel, formatExample, type Template } from './template-form.mapper';
import { TemplateForm } from './template-form.component';
import './templates.css';

/** One template (id `new`: a template being created): the editor, or a read-only view. */
export function TemplatePage({ id }: { id: string }) {
  const user = useUser();
  const manage = can(user.role, 'templates.manage');
  const creating = id === 'new';
  const back = (
    <p className="breadcrumb">
      <Link to={urls.templates}>Templates</Link> / {creating ? 'New' : 'Template'}
    </p>
  );

  if (creating) {
    return (
      <Page title="New template">
        {back}
        {manage ? (
          <TemplateForm onSaved={() => undefined} />
        ) : (
          <p className="note" data-testid="read-only-note">
            Your role ({roleLabel(user.role)}) can see templates but not create them.
          </p>
        )}
      </Page>
    );
  }
  return <ExistingTemplate id={id} manage={manage} role={user.role} />;
}

function ExistingTemplate({ id, manage, role }: { id: string; manage: boolean; role: string }) {
  const loaded = useApiData(() => call(api.GET('/v1/templates/{id}', { params: { path: { id } } })), id);
  const template = loaded.data;

  if (!template) {
    const message =
      loaded.problem?.status === 404 ? 'There is no such template in your account.' : loaded.problem?.message;
    return (
      <Page title="Template">
        {message ? (
          <>
            <LoadError message={message} onRetry={loaded.reload} />
            <p>
              <Link to={urls.templates}>Back to templates</Link>
            </p>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </Page>
    );
  }
  return (
    <Page title={template.name}>
      <p className="breadcrumb">
        <Link to={urls.templates}>Templates</Link> / {template.name}
      </p>
      <p className="muted small">
        Revision {template.revision}, changed <Time iso={template.updatedAt} />.
      </p>
      {manage ? (
        <TemplateForm template={template} onSaved={loaded.set} />
      ) : (
        <TemplateView template={template} role={role} />
      )}
    </Page>
  );
}

function TemplateView({ template, role }: { template: Template; role: string }) {
  return (
    <>
      <p className="note" data-testid="read-only-note">
        Your role ({roleLabel(role)}) can see this template but not change or preview it.
      </p>
      <section className="card" aria-labelledby="template-facts">
        <h2 id="template-facts">Details</h2>
        <dl className="facts">
          <dt>Category</dt>
          <dd>{categoryLabel(template.category)}</dd>
          <dt>Language</dt>
          <dd>{template.language}</dd>
          <dt>Created</dt>
          <dd>
            <Time iso={template.createdAt} />
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="template-body-title">
        <h2 id="template-body-title">Body</h2>
        <pre className="preview-text" data-testid="template-body-view">
          {template.body}
        </pre>
      </section>
      <section className="card" aria-labelledby="template-variables-title">
        <h2 id="template-variables-title">Variables</h2>
        {template.variables.length === 0 ? (
          <p className="muted">None: the body reads only contact.* data.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Declared variables and their examples</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Example</th>
              </tr>
            </thead>
            <tbody>
              {template.variables.map((v) => (
                <tr key={v.name}>
                  <th scope="row">
                    <code>{v.name}</code>
                  </th>
                  <td>{formatExample(v.example)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
