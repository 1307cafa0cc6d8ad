import type { ReactNode } from 'react';
import { Page } from '../ui/page.component';

/** The frame of the pages without a session: a centred card under the product name. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth">
      <p className="brand brand-dark" aria-hidden="true">
        WhatsApp Web Bot
      </p>
      <div className="card auth-card">
        <Page title={title}>{children}</Page>
      </div>
    </main>
  );
}
