import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { signOut } from './api/auth';
import type { Role } from './api/types';
import { Loading } from './components/Feedback';
import { AdminPage } from './pages/AdminPage';
import { ForgotPasswordPage, OauthCallbackPage, ResetPasswordPage, SignInPage, SignUpPage, UnlockPage } from './pages/AuthPages';
import { MyFeedbackPage } from './pages/MyFeedbackPage';
import { AcceptInvitationPage, OrgsPage } from './pages/OrgsPage';
import { OrgSwitcher } from './components/OrgSwitcher';
import { RecordPage } from './pages/RecordPage';
import { SearchPage } from './pages/SearchPage';
import { SubmissionPage } from './pages/SubmissionPage';
import { usePageTitle } from './pages/usePageTitle';
import { Link, matchPath, navigate, useRoute } from './router';
import { useOutbox } from './stores/outbox';
import { useSession } from './stores/session';

// Chart.js is the biggest dependency and only analysts need it: its own chunk, loaded on first visit.
const DashboardPage = lazy(() => import('./pages/DashboardPage'));

const PUBLIC = ['/signin', '/signup', '/forgot-password', '/reset-password', '/unlock', '/oauth/callback'];

function NotFound() {
  usePageTitle('Not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </>
  );
}

function Forbidden() {
  usePageTitle('Not allowed');
  return (
    <>
      <h1>Not for your role</h1>
      <p>This page is for analysts and admins.</p>
    </>
  );
}

/** The page for a path, or null when it needs a role the user lacks. */
function page(path: string, role: Role | undefined): ReactNode {
  const staff = role === 'analyst' || role === 'admin';
  if (path === '/signin') return <SignInPage />;
  if (path === '/signup') return <SignUpPage />;
  if (path === '/forgot-password') return <ForgotPasswordPage />;
  if (path === '/reset-password') return <ResetPasswordPage />;
  if (path === '/unlock') return <UnlockPage />;
  if (path === '/oauth/callback') return <OauthCallbackPage />;
  if (path === '/') return <RecordPage />;
  if (path === '/feedback') return <MyFeedbackPage />;
  if (path === '/orgs') return <OrgsPage />;
  if (path === '/orgs/accept') return <AcceptInvitationPage />;
  const sub = matchPath('/feedback/:id', path);
  if (sub?.id) return <SubmissionPage key={sub.id} id={sub.id} />;
  if (path === '/dashboard') return staff ? <DashboardPage /> : <Forbidden />;
  if (path === '/search') return staff ? <SearchPage /> : <Forbidden />;
  if (path === '/admin') return role === 'admin' ? <AdminPage /> : <Forbidden />;
  return <NotFound />;
}

function Nav() {
  const user = useSession((s) => s.user);
  const path = useRoute((r) => r.path);
  const waiting = useOutbox((s) => s.items.length);
  if (!user) return null;
  const item = (to: string, label: string) => (
    <li>
      <Link to={to} aria-current={path === to || (to !== '/' && path.startsWith(`${to}/`)) ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  const staff = user.role === 'analyst' || user.role === 'admin';
  return (
    <nav aria-label="Main">
      <ul>
        {item('/', 'Record')}
        {item('/feedback', waiting > 0 ? `My feedback (${waiting} waiting)` : 'My feedback')}
        {item('/orgs', 'Organisations')}
        {staff && item('/dashboard', 'Dashboard')}
        {staff && item('/search', 'Search')}
        {user.role === 'admin' && item('/admin', 'Admin')}
      </ul>
    </nav>
  );
}

export function App() {
  const path = useRoute((r) => r.path);
  const search = useRoute((r) => r.search);
  const user = useSession((s) => s.user);
  // A remembered user whose access token is still being fetched from the refresh cookie (page load).
  const restoring = useSession((s) => s.restoring);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const isPublic = PUBLIC.includes(path);

  useEffect(() => {
    if (!user && !isPublic) navigate(`/signin${path === '/' ? '' : `?next=${encodeURIComponent(path + search)}`}`, { replace: true });
    else if (user && (path === '/signin' || path === '/signup')) navigate('/', { replace: true });
  }, [user, isPublic, path, search]);

  // Move focus to the new page's content on navigation, as a full page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="top-inner">
          <Link to="/" className="brand">
            <span aria-hidden="true">◉</span> Voyce
          </Link>
          <Nav />
          {user && (
            <div className="account">
              <OrgSwitcher />
              <span className="muted small">
                {user.username}
                {user.role !== 'user' ? ` (${user.role})` : ''}
              </span>
              <button
                type="button"
                className="button secondary small"
                onClick={() => {
                  void signOut().then(() => navigate('/signin'));
                }}
              >
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {(user && !restoring) || isPublic ? <Suspense fallback={<Loading />}>{page(path, user?.role)}</Suspense> : <Loading />}
      </main>
    </>
  );
}
