import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { navigate, useLocationKey } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useCursorPages } from '../ui/cursor-pages.store';
import { Pager } from '../ui/pager.component';
import { useApiData } from '../ui/api-data.store';
import { Field, SelectField } from '../ui/field.component';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { viewerTimeZone } from '../ui/format.mapper';
import { ContactImport } from './contact-import.component';
import { ContactRow } from './contact-row.component';
import {
  exportHref,
  filterFromUrl,
  filterQuery,
  filterSearch,
  NO_FILTER,
  type Contact,
  type ContactFilter,
  type OptOutFilter,
} from './contacts.mapper';
import './contacts.css';

const PAGE_SIZE = 50;
const STATUS_OPTIONS: readonly { value: OptOutFilter; label: string }[] = [
  { value: 'any', label: 'Everyone' },
  { value: 'in', label: 'Subscribed' },
  { value: 'out', label: 'Opted out' },
];

/** The account's contacts: search, tags, opt-out, CSV import and export. */
export function ContactsPage() {
  const user = useUser();
  const manage = can(user.role, 'contacts.manage');
  const optOut = can(user.role, 'contacts.opt-out');
  // The applied search lives in the address (kept on reload); the form holds what is being typed.
  const where = useLocationKey();
  const filter = useMemo(() => filterFromUrl(where), [where]);
  const [typed, setTyped] = useState<ContactFilter>(filter);
  // The address changed (a search applied, the Contacts link followed): the form shows what applies.
  useEffect(() => setTyped(filter), [filter]);
  const apply = (next: ContactFilter) => navigate(`${urls.contacts}${filterSearch(next)}`, { replace: true });
  const pages = useCursorPages();
  const list = useApiData(
    () =>
      call(
        api.GET('/v1/contacts', {
          params: {
            query: {
              ...filterQuery(filter),
              limit: PAGE_SIZE,
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
            },
          },
        }),
      ),
    JSON.stringify([filter, pages.cursor]),
  );
  const rows = list.data?.data ?? [];
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_FILTER);

  const search = (event: FormEvent) => {
    event.preventDefault();
    apply(typed);
    pages.reset();
  };
  const clear = () => {
    setTyped(NO_FILTER);
    apply(NO_FILTER);
    pages.reset();
  };
  const replace = (changed: Contact) => {
    if (list.data)
      list.set({ ...list.data, data: list.data.data.map((c) => (c.id === changed.id ? changed : c)) });
  };

  return (
    <Page
      title="Contacts"
      actions={
        <a className="button" href={exportHref(filter)} download="contacts.csv" data-testid="export-link">
          Export CSV{filtered ? ' (filtered)' : ''}
        </a>
      }
    >
      <p className="lead">
        The people you message: their tags pick campaign audiences, and opted-out contacts get no automated or
        campaign messages.
      </p>
      {!manage && (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see contacts but not import them or change their tags
          {optOut ? '; you can opt contacts out and back in' : ''}.
        </p>
      )}
      {manage && <ContactImport onImported={list.reload} />}
      <form className="card filters" role="search" onSubmit={search} aria-label="Search contacts">
        <div className="inline-row">
          <Field
            id="contact-search"
            label="Name or phone"
            hint="The start of a name (any case) or of a number."
            type="search"
            value={typed.q}
            onChange={(q) => setTyped((t) => ({ ...t, q }))}
          />
          <Field
            id="contact-tags"
            label="Tags"
            hint="Contacts with every tag listed."
            value={typed.tags}
            onChange={(tags) => setTyped((t) => ({ ...t, tags }))}
          />
          <SelectField
            id="contact-status"
            label="Opt-out"
            value={typed.status}
            onChange={(status) => setTyped((t) => ({ ...t, status: status as OptOutFilter }))}
            options={STATUS_OPTIONS}
          />
          <button type="submit" className="button button-primary">
            Search
          </button>
          {filtered && (
            <button type="button" className="button" onClick={clear}>
              Clear
            </button>
          )}
        </div>
      </form>
      {list.problem && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading contacts…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title={filtered ? 'No contact matches.' : 'No contacts yet.'}>
          {filtered
            ? 'Try a shorter name or number, or fewer tags.'
            : manage
              ? 'Import a CSV file above.'
              : 'Contacts appear when people write to you or are imported.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <p className="muted small">Times in your time zone ({viewerTimeZone()}).</p>
          <div className="table-wrap">
            <table className="table" data-testid="contacts-table">
              <caption className="visually-hidden">Contacts{filtered ? ' matching the search' : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Tags</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last message</th>
                  {optOut && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <ContactRow key={c.id} contact={c} onChange={replace} editTags={manage} optOut={optOut} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pager pages={pages} nextCursor={list.data?.nextCursor} label="Pages of contacts" />
    </Page>
  );
}
