import { useState, type ReactNode } from 'react';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useSession, useUser } from '../session/session.store';

interface NavItem {
  to: string;
  label: string;
  /** Shown only to roles that may read the page (the API refuses the others' reads). */
  adminOnly?: boolean;
}

/** The sidebar, in the order people use it: phones and chats, the bots, marketing, plumbing. */
const NAV: readonly { label: string; items: readonly NavItem[] }[] = [
  {
    label: 'Messaging',
    items: [
      { to: urls.connections, label: 'Connections' },
      { to: urls.conversations, label: 'Conversations' },
    ],
  },
  {
    label: 'Automation',
    items: [
      { to: urls.autoReplies, label: 'Auto-replies' },
      { to: urls.faqBots, label: 'FAQ bots' },
    ],
  },
  {
    label: 'Marketing',
    items: [
      { to: urls.templates, label: 'Templates' },
      { to: urls.contacts, label: 'Contacts' },
      { to: urls.campaigns, label: 'Campaigns' },
    ],
  },
  {
    label: 'Account',
    items: [
      { to: urls.webhooks, label: 'Webhooks' },
      { to: urls.apiKeys, label: 'API keys', adminOnly: true },
      { to: urls.users, label: 'Users', adminOnly: true },
      { to: urls.usage, label: 'Usage' },
    ],
  },
];

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
          {NAV.map((group) => (
            <div className="nav-group" key={group.label}>
              <p className="nav-label" id={`nav-${group.label.toLowerCase()}`}>
                {group.label}
              </p>
              <ul aria-labelledby={`nav-${group.label.toLowerCase()}`}>
                {group.items
                  .filter((item) => !item.adminOnly || can(user.role, 'users.manage'))
                  .map((item) => (
                    <li key={item.to}>
                      <Link to={item.to} aria-current={section === item.to ? 'page' : undefined}>
                        {item.label}
                      </Link>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
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
