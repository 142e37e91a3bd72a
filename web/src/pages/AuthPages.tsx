import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, messageOf } from '../api/client';
import { confirmPasswordReset, finishOauth, requestPasswordReset, signIn, signUp, unlockSignIn } from '../api/auth';
import { Link, navigate, useRoute } from '../router';
import { useClientConfig } from '../stores/clientConfig';
import { usePageTitle } from './usePageTitle';

function Field(props: { id: string; label: string; type?: string; value: string; onChange(v: string): void; autoComplete?: string; error?: string | undefined; hint?: string; required?: boolean }) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        required={props.required ?? true}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
      />
      {props.hint && (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="auth">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** Where to go after signing in: the page that asked for it (`?next=`), else recording. */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

function OauthButtons() {
  const providers = useClientConfig((s) => s.config.oauthProviders);
  if (providers.length === 0) return null;
  return (
    <div className="oauth">
      <p className="divider">or</p>
      {providers.map((p) => (
        <a key={p} className="button secondary block" href={`/api/auth/oauth/${encodeURIComponent(p)}`}>
          Continue with {p}
        </a>
      ))}
    </div>
  );
}

export function SignInPage() {
  const search = useRoute((r) => r.search);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await signIn(login.trim(), password);
    navigate(nextPath(search), { replace: true });
  });
  return (
    <AuthCard title="Sign in">
      <form onSubmit={(e) => void submit(e)} noValidate>
        {error !== null && (
          <p className="notice notice-error" role="alert">
            {messageOf(error)}
          </p>
        )}
        <Field id="login" label="E-mail or username" value={login} onChange={setLogin} autoComplete="username" />
        <Field id="password" label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
        <button className="button block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <OauthButtons />
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </AuthCard>
  );
}

export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await signUp(email.trim(), username.trim(), password);
    navigate('/', { replace: true });
  });
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  return (
    <AuthCard title="Create your account">
      <form onSubmit={(e) => void submit(e)} noValidate>
        {error !== null && (
          <p className="notice notice-error" role="alert">
            {error instanceof ApiError && error.code === 'account_exists' ? 'An account with this e-mail or username already exists.' : messageOf(error)}
          </p>
        )}
        <Field id="email" label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="email" error={fields.email} />
        <Field id="username" label="Username" value={username} onChange={setUsername} autoComplete="username" error={fields.username} hint="3 to 32 letters, digits, dots, dashes or underscores." />
        <Field
          id="new-password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          error={fields.password}
          hint="At least 10 characters; not a common password."
        />
        <button className="button block" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <OauthButtons />
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await requestPasswordReset(email.trim());
    setSent(true);
  });
  return (
    <AuthCard title="Reset your password">
      {sent ? (
        <p className="notice" role="status">
          If an account uses {email}, we have sent it a link to choose a new password. The link works once, for a limited time.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          {error !== null && (
            <p className="notice notice-error" role="alert">
              {messageOf(error)}
            </p>
          )}
          <Field id="email" label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="email" />
          <button className="button block" type="submit" disabled={busy}>
            Send reset link
          </button>
        </form>
      )}
      <p>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const search = useRoute((r) => r.search);
  const token = new URLSearchParams(search).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await confirmPasswordReset(token, password);
    setDone(true);
  });
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  return (
    <AuthCard title="Choose a new password">
      {done ? (
        <p className="notice" role="status">
          Your password has been changed and every other session signed out. <Link to="/signin">Sign in</Link> with the new one.
        </p>
      ) : !token ? (
        <p className="notice notice-error" role="alert">
          This page needs the link from the reset e-mail. <Link to="/forgot-password">Ask for a new one</Link>.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          {error !== null && !fields.password && (
            <p className="notice notice-error" role="alert">
              {messageOf(error)}
            </p>
          )}
          <Field id="new-password" label="New password" type="password" value={password} onChange={setPassword} autoComplete="new-password" error={fields.password} />
          <button className="button block" type="submit" disabled={busy}>
            Change password
          </button>
        </form>
      )}
    </AuthCard>
  );
}

/**
 * The link of the e-mail sent after many failed sign-ins from unknown devices. The code is spent only by a click,
 * never on page load: mail scanners that open links must not use it up.
 */
export function UnlockPage() {
  const search = useRoute((r) => r.search);
  const token = new URLSearchParams(search).get('token') ?? '';
  const [done, setDone] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await unlockSignIn(token);
    setDone(true);
  });
  return (
    <AuthCard title="Sign in from this browser">
      {done ? (
        <p className="notice" role="status">
          This browser may sign in again. <Link to="/signin">Sign in</Link>
        </p>
      ) : !token ? (
        <p className="notice notice-error" role="alert">
          This page needs the link from the e-mail about failed sign-ins.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>Someone tried many wrong passwords for your account. Let this browser sign in despite that; others stay held back.</p>
          {error !== null && (
            <p className="notice notice-error" role="alert">
              {messageOf(error)}
            </p>
          )}
          <button className="button block" type="submit" disabled={busy}>
            Let this browser sign in
          </button>
        </form>
      )}
    </AuthCard>
  );
}

export function OauthCallbackPage() {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const fragment = window.location.hash;
    // Take the tokens out of the address bar (and history) at once.
    window.history.replaceState(null, '', '/oauth/callback');
    finishOauth(fragment).then(
      () => navigate('/', { replace: true }),
      (err: unknown) => setError(err),
    );
  }, []);
  return (
    <AuthCard title="Signing you in">
      {error ? (
        <p className="notice notice-error" role="alert">
          {messageOf(error)} <Link to="/signin">Back to sign in</Link>
        </p>
      ) : (
        <p role="status">One moment…</p>
      )}
    </AuthCard>
  );
}
