import type { ReactNode } from 'react';
import { Page } from '../ui/page.component';
import './operator.css';

/**
 * The operator's pages have no account and no sidebar: a bar saying whose console this is, and
 * the page under it.
 */
export function OperatorFrame({
  title,
  children,
  onSignOut,
}: {
  title: string;
  children: ReactNode;
  onSignOut?: () => void;
}) {
  return (
    <div className="operator-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="operator-bar">
        <p className="operator-brand">
          WhatsApp Web Bot <span className="operator-tag">Operator</span>
        </p>
        {onSignOut && (
          <button type="button" className="button button-light" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" className="operator-main">
        <Page title={title}>{children}</Page>
      </main>
    </div>
  );
}
