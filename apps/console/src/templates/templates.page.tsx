import { useState } from 'react';
import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { SelectField } from '../ui/field.component';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { useCursorPages } from '../ui/cursor-pages.store';
import { Pager } from '../ui/pager.component';
import { CATEGORIES, categoryLabel, type TemplateCategory } from './template-form.mapper';
import './templates.css';

const PAGE_SIZE = 25;

/** The account's message templates, oldest first, by category. */
export function TemplatesPage() {
  const user = useUser();
  const manage = can(user.role, 'templates.manage');
  const [category, setCategory] = useState<TemplateCategory | ''>('');
  const pages = useCursorPages();
  const list = useApiData(
    () =>
      call(
        api.GET('/v1/templates', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
              ...(category ? { category } : {}),
            },
          },
        }),
      ),
    `${category}|${pages.cursor ?? ''}`,
  );
  const rows = list.data?.data ?? [];

  return (
    <Page
      title="Templates"
      actions={
        manage ? (
          <Link to={urls.template('new')} className="button button-primary">
            New template
          </Link>
        ) : undefined
      }
    >
      <p className="lead">
        Messages with placeholders, used by auto-replies, FAQ bots and campaigns. Each is rendered for its
        contact when sent.
      </p>
      {!manage && (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see templates but not create or change them.
        </p>
      )}
      <div className="filters">
        <SelectField
          id="template-category-filter"
          label="Category"
          value={category}
          onChange={(value) => {
            setCategory(value as TemplateCategory | '');
            pages.reset();
          }}
          options={[{ value: '', label: 'All categories' }, ...CATEGORIES]}
        />
      </div>
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading templates…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title={category ? 'No templates in this category.' : 'No templates yet.'}>
          {manage
            ? 'Create one with “New template”.'
            : 'Someone with the marketing or admin role can add one.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="templates-table">
            <caption className="visually-hidden">Templates of your account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col">Language</th>
                <th scope="col">Variables</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id} data-template-id={t.id}>
                  <th scope="row">
                    <Link to={urls.template(t.id)}>{t.name}</Link>
                  </th>
                  <td>{categoryLabel(t.category)}</td>
                  <td>{t.language}</td>
                  <td>
                    {t.variables.length ? (
                      t.variables.map((v) => v.name).join(', ')
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td>
                    <Time iso={t.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} nextCursor={list.data?.nextCursor} label="Pages of templates" />
    </Page>
  );
}
