import { useState } from 'react';
import { api, call, type Result } from '../api/api.client';
import type { components } from '../api/schema';
import { AdminOnly } from '../api-keys/admin-only.component';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { can, roleLabel, type Role } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { ConfirmButton } from '../ui/confirm-button.component';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { InviteCard } from './invite.component';
import { isLastAdmin, isRole, ROLE_OPTIONS } from './users.policy';
import './users.css';

type User = components['schemas']['UserDto'];

/** The account's console users and pending invitations (admins only). */
export function UsersPage() {
  const user = useUser();
  if (!can(user.role, 'users.manage')) return <AdminOnly title="Users" what="users" role={user.role} />;
  return <Users me={user.id} />;
}

function Users({ me }: { me: string }) {
  const users = useApiData(() => call(api.GET('/v1/users')), 'users');
  const invitations = useApiData(() => call(api.GET('/v1/users/invitations')), 'invitations');
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const rows = users.data?.data ?? [];
  const pending = invitations.data?.data ?? [];

  const act = async (request: Promise<Result<unknown>>, message: string) => {
    setProblem(undefined);
    setDone(undefined);
    const result = await request;
    if (!result.ok) return setProblem(problemMessage(result.problem));
    setDone(message);
    users.reload();
    invitations.reload();
  };
  const changeRole = (u: User, role: Role) =>
    act(
      call(api.PATCH('/v1/users/{id}', { params: { path: { id: u.id } }, body: { role } })),
      `${u.name} is now ${roleLabel(role)}. Their sessions ended: they sign in again.`,
    );
  const remove = (u: User) =>
    act(call(api.DELETE('/v1/users/{id}', { params: { path: { id: u.id } } })), `${u.name} was removed.`);
  const revoke = (id: string, email: string) =>
    act(
      call(api.DELETE('/v1/users/invitations/{id}', { params: { path: { id } } })),
      `The invitation for ${email} was withdrawn.`,
    );

  return (
    <Page title="Users">
      <p className="lead">People who sign in to this console, and what their role lets them do.</p>
      <InviteCard onInvited={invitations.reload} />
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="success" role="status">
        {done}
      </p>
      <section aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        {users.problem && !users.data && <LoadError message={users.problem.message} onRetry={users.reload} />}
        {users.loading && !users.data && <p className="muted">Loading users…</p>}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="users-table">
              <caption className="visually-hidden">Users of your account</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => (
                  <UserRow
                    key={`${u.id}/${u.role}`}
                    user={u}
                    self={u.id === me}
                    lastAdmin={isLastAdmin(rows, u.id)}
                    onRole={(role) => changeRole(u, role)}
                    onRemove={() => remove(u)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="invitations-title">
        <h2 id="invitations-title">Pending invitations</h2>
        {invitations.problem && !invitations.data && (
          <LoadError message={invitations.problem.message} onRetry={invitations.reload} />
        )}
        {invitations.data && pending.length === 0 && <EmptyState title="No pending invitations." />}
        {pending.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="invitations-table">
              <caption className="visually-hidden">Pending invitations</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.map((i) => (
                  <tr key={i.id} data-invitation-id={i.id}>
                    <th scope="row">{i.email}</th>
                    <td>{roleLabel(i.role)}</td>
                    <td>
                      <Time iso={i.expiresAt} />
                    </td>
                    <td>
                      <ConfirmButton
                        label="Withdraw"
                        context={`the invitation for ${i.email}`}
                        title={`Withdraw the invitation for ${i.email}?`}
                        confirmLabel="Withdraw"
                        onConfirm={() => revoke(i.id, i.email)}
                      >
                        <p>The link stops working and the plan slot is given back.</p>
                      </ConfirmButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}

interface RowProps {
  user: User;
  self: boolean;
  lastAdmin: boolean;
  onRole: (role: Role) => Promise<void>;
  onRemove: () => Promise<void>;
}

function UserRow({ user, self, lastAdmin, onRole, onRemove }: RowProps) {
  const [role, setRole] = useState<Role>(user.role);
  const [busy, setBusy] = useState(false);
  const selectId = `role-${user.id}`;
  const save = async () => {
    setBusy(true);
    await onRole(role);
    setBusy(false);
  };
  return (
    <tr data-user-id={user.id} data-email={user.email}>
      <th scope="row">
        {user.name}
        {self && <span className="muted small"> (you)</span>}
      </th>
      <td>{user.email}</td>
      <td>
        {lastAdmin ? (
          <span title="The only admin of the account keeps the role">
            {roleLabel(user.role)} <span className="muted small">(only admin)</span>
          </span>
        ) : (
          <div className="role-picker">
            <label htmlFor={selectId} className="visually-hidden">
              Role of {user.name}
            </label>
            <select
              id={selectId}
              value={role}
              onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}
            >
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {roleLabel(o.value)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button"
              disabled={busy || role === user.role}
              onClick={() => void save()}
            >
              Change role<span className="visually-hidden"> of {user.name}</span>
            </button>
          </div>
        )}
      </td>
      <td>
        <Time iso={user.createdAt} />
      </td>
      <td>
        {!lastAdmin && (
          <ConfirmButton
            label="Remove"
            context={`${user.name} (${user.email})`}
            className="button button-danger"
            title={`Remove ${user.name}?`}
            confirmLabel="Remove user"
            onConfirm={onRemove}
          >
            <p>
              {self
                ? 'You are removing yourself: you are signed out at once.'
                : 'Their sessions end at once and they can no longer sign in.'}
            </p>
          </ConfirmButton>
        )}
      </td>
    </tr>
  );
}
