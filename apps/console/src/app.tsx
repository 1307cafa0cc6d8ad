import { useEffect } from 'react';
import { AcceptInvitationPage } from './pages/accept-invitation.page';
import { ConnectionDetailPage } from './pages/connection-detail.page';
import { ConnectionsPage } from './pages/connections.page';
import { Layout } from './pages/layout.component';
import { SignInPage } from './pages/sign-in.page';
import { UsagePage } from './pages/usage.page';
import { Link } from './routing/link.component';
import { navigate, useLocationKey } from './routing/router.store';
import { isPublic, matchRoute, signInUrl, urls, type Route } from './routing/routes.policy';
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
  const needsSession = !isPublic(route);

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
  return (
    <Layout section={sectionOf(route)}>
      <SignedInPage route={route} />
    </Layout>
  );
}

function sectionOf(route: Route): string {
  if (route.name === 'usage') return urls.usage;
  if (route.name === 'connections' || route.name === 'connection') return urls.connections;
  return '';
}

function SignedInPage({ route }: { route: Route }) {
  switch (route.name) {
    case 'connections':
      return <ConnectionsPage />;
    case 'connection':
      return <ConnectionDetailPage key={route.id} id={route.id} />;
    case 'usage':
      return <UsagePage />;
    case 'home':
      return null;
    default:
      return (
        <Page title="Page not found">
          <p>There is no such page in the console.</p>
          <p>
            <Link to={urls.connections}>Go to connections</Link>
          </p>
        </Page>
      );
  }
}
