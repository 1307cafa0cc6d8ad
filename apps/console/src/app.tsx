import { useEffect } from 'react';
import { OperatorAccountsPage } from './operator/operator-accounts.page';
import { OperatorSignInPage } from './operator/operator-sign-in.page';
import { AcceptInvitationPage } from './pages/accept-invitation.page';
import { Layout } from './pages/layout.component';
import { SignInPage } from './pages/sign-in.page';
import { SIGNED_IN_PAGES } from './routing/page.registry';
import { Link } from './routing/link.component';
import { navigate, useLocationKey } from './routing/router.store';
import { isOperator, isPublic, matchRoute, signInUrl, urls } from './routing/routes.policy';
import { SessionProvider, useSession } from './session/session.store';
import { ApiBanner } from './ui/api-banner.component';
import { Page } from './ui/page.component';

export function App() {
  return (
    <SessionProvider>
      <ApiBanner />
      <Screen />
    </SessionProvider>
  );
}

/**
 * Picks the page for the URL. Pages other than sign-in and accept-invitation need a session:
 * without one they send to sign-in, keeping the page (?next=) to come back to.
 */
function Screen() {
  const here = useLocationKey();
  const route = matchRoute(here.split('?')[0]!);
  const { state } = useSession();
  const needsSession = !isPublic(route) && !isOperator(route);

  useEffect(() => {
    if (state.status === 'signed-out' && needsSession) navigate(signInUrl(here), { replace: true });
    if (state.status === 'signed-in' && route.name === 'home') navigate(urls.connections, { replace: true });
  }, [state.status, needsSession, route.name, here]);

  useEffect(() => {
    // A new page: start keyboard and screen-reader users at its heading.
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [here]);

  if (route.name === 'sign-in') return <SignInPage />;
  if (route.name === 'accept-invitation') return <AcceptInvitationPage />;
  // The operator's pages run on the operator's own session, not on an account user's.
  if (route.name === 'operator-sign-in') return <OperatorSignInPage />;
  if (route.name === 'operator-accounts') return <OperatorAccountsPage />;
  if (state.status === 'loading') {
    return (
      <main id="main" className="auth">
        <p className="muted" role="status">
          Loading the console…
        </p>
      </main>
    );
  }
  if (state.status === 'unknown') {
    return (
      <main id="main" className="auth">
        <p className="muted">The console could not check your session. It opens once the API answers.</p>
      </main>
    );
  }
  if (state.status !== 'signed-in') return null;
  const page = SIGNED_IN_PAGES[route.name];
  return (
    <Layout section={page?.section ?? ''}>
      {page ? (
        page.render(route.params)
      ) : route.name === 'home' ? null : (
        <Page title="Page not found">
          <p>There is no such page in the console.</p>
          <p>
            <Link to={urls.connections}>Go to connections</Link>
          </p>
        </Page>
      )}
    </Layout>
  );
}
