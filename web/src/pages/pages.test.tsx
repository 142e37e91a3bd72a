import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { navigate } from '../router';
import { useSession } from '../stores/session';
import { json, mockFetch, signedInAs, token, USER } from '../test/helpers';

beforeEach(() => {
  useSession.getState().clear();
  navigate('/', { replace: true });
});

describe('signing up and in', () => {
  it('sends a signed-out visitor to sign in, then back to the page they wanted', async () => {
    navigate('/feedback', { replace: true });
    mockFetch({
      'POST /api/auth/login': async (req) => {
        expect(await req.json()).toEqual({ login: 'ann', password: 'correct horse battery' });
        // The web app always asks for the cookie session: the refresh token stays in the HttpOnly cookie.
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        return json(200, { user: USER, accessToken: token() });
      },
      'GET /api/submissions': () => json(200, { items: [], nextCursor: null }),
    });
    render(<App />);
    await waitFor(() => expect(window.location.pathname).toBe('/signin'));
    await userEvent.type(screen.getByLabelText('E-mail or username'), 'ann');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'My feedback' });
    expect(window.location.pathname).toBe('/feedback');
    expect(await screen.findByText(/Nothing yet/)).toBeInTheDocument();
  });

  it('shows the server’s field messages next to the fields', async () => {
    navigate('/signup', { replace: true });
    mockFetch({
      'POST /api/auth/register': () =>
        json(422, { error: { code: 'validation_failed', message: 'Invalid request.', details: [{ field: 'password', message: 'is among the most common passwords' }] } }),
    });
    render(<App />);
    await userEvent.type(screen.getByLabelText('E-mail'), 'ann@example.test');
    await userEvent.type(screen.getByLabelText('Username'), 'ann');
    await userEvent.type(screen.getByLabelText('Password'), 'password123');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const message = await screen.findByText('is among the most common passwords');
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Password').getAttribute('aria-describedby')).toContain(message.id);
  });

  it('confirms a password reset from the e-mailed link', async () => {
    navigate('/reset-password?token=tok123', { replace: true });
    const fetch = mockFetch({ 'POST /api/auth/password-reset/confirm': () => new Response(null, { status: 204 }) });
    render(<App />);
    await userEvent.type(screen.getByLabelText('New password'), 'a much better passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Your password has been changed/)).toBeInTheDocument();
    expect(JSON.parse(String(fetch.mock.calls[0]![1]!.body))).toEqual({ token: 'tok123', password: 'a much better passphrase' });
  });

  it('spends the unlock code of the e-mail only on a click', async () => {
    navigate('/unlock?token=unl456', { replace: true });
    const fetch = mockFetch({ 'POST /api/auth/unlock': () => new Response(null, { status: 204 }) });
    render(<App />);
    await screen.findByRole('button', { name: 'Let this browser sign in' });
    expect(fetch).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Let this browser sign in' }));
    expect(await screen.findByText(/This browser may sign in again/)).toBeInTheDocument();
    expect(JSON.parse(String(fetch.mock.calls[0]![1]!.body))).toEqual({ token: 'unl456' });
  });
});

describe('OAuth sign-in', () => {
  it('takes the access token from the fragment, clears it from the address bar and signs in', async () => {
    const access = token();
    navigate(`/oauth/callback#accessToken=${access}`, { replace: true });
    window.location.hash = `accessToken=${access}`;
    mockFetch({
      'GET /api/auth/me': (req) => (req.headers.get('authorization') === `Bearer ${access}` ? json(200, { user: USER }) : json(401, {})),
    });
    render(<App />);
    await screen.findByRole('heading', { name: 'Give feedback' });
    expect(window.location.hash).toBe('');
    expect(useSession.getState()).toMatchObject({ user: USER, accessToken: access });
    expect(JSON.stringify({ ...localStorage })).not.toContain(access);
  });
});

describe('roles', () => {
  it('shows analysts the dashboard and search, and nobody but admins the admin page', async () => {
    signedInAs({ role: 'analyst' });
    navigate('/admin', { replace: true });
    mockFetch({});
    render(<App />);
    expect(screen.getByRole('link', { name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Search' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Not for your role' })).toBeInTheDocument();
  });
});

describe('a submission page', () => {
  it('shows a failure with its reason and gives admins replay and the Temporal UI link', async () => {
    signedInAs({ role: 'admin' });
    const id = '22222222-2222-4222-8222-222222222222';
    navigate(`/feedback/${id}`, { replace: true });
    const replay = vi.fn(() => json(202, { submissionId: id, runId: 'r' }));
    mockFetch({
      [`GET /api/submissions/${id}`]: () =>
        json(200, {
          submission: { id, userId: USER.id, status: 'failed', title: 'Broken upload', description: null, category: null, language: null, contentType: 'audio/wav', sizeBytes: 1, durationMs: 2000, createdAt: '2026-11-27T10:00:00.000Z', updatedAt: '2026-11-27T10:00:00.000Z', completedAt: null, progress: { stage: 'failed', attempts: 3, error: { code: 'pipeline_failed', message: 'UNAUTHENTICATED: bad token' } } },
        }),
      [`GET /api/submissions/${id}/audio`]: () => json(200, { url: 'http://blob/a.wav', expiresAt: '2026-11-27T11:00:00.000Z' }),
      [`GET /api/submissions/${id}/screenshot`]: () => json(404, { error: { code: 'not_found', message: 'none' } }),
      [`POST /api/admin/submissions/${id}/replay`]: replay,
    });
    render(<App />);
    expect(await screen.findByText(/UNAUTHENTICATED: bad token/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the workflow in the Temporal UI' })).toHaveAttribute('href', `http://127.0.0.1:8233/namespaces/default/workflows/submission-${id}`);
    await userEvent.click(screen.getByRole('button', { name: 'Replay' }));
    expect(await screen.findByText('Replay started.')).toBeInTheDocument();
    expect(replay).toHaveBeenCalledOnce();
    expect(screen.queryByRole('img')).toBeNull(); // 404: no screenshot
  });
});
