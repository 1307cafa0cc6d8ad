import { useState, type ReactNode } from 'react';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { roleLabel } from '../session/permissions.policy';
import { useSession, useUser } from '../session/session.store';

const NAV = [
  { to: urls.connections, label: 'Connections' },
  { to: urls.usage, label: 'Usage' },
] as const;

/** The signed-in frame: sidebar navigation, who is signed in with which role, and sign-out. */
export function Layout({ children, section }: { children: ReactNode; section: string }) {
  const user = useUser();
  const { signOut } = useSession();
  const [problem, setProblem] = useState<string>();
  const leave = async () => {
    const failed = await signOut();
    setProblem(failed?.message);
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <p className="brand">WhatsApp Web Bot</p>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={section === item.to ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who" aria-label="Signed in" role="group">
          <p className="who-name">{user.name}</p>
          <p className="who-email">{user.email}</p>
          <p>
            <span className="role" data-testid="user-role">
              {roleLabel(user.role)}
            </span>
          </p>
          <button type="button" className="button button-light" onClick={() => void leave()}>
            Sign out
          </button>
          {problem && (
            <p className="who-error" role="alert">
              {problem}
            </p>
          )}
        </div>
      </aside>
      <main id="main" className="content">
        {children}
      </main>
    </div>
  );
}
