import { create } from 'zustand';
import type { AnchorHTMLAttributes, MouseEvent } from 'react';

/** A few lines of history-API routing: the app has a dozen flat routes, not enough to pay for a router library. */
interface RouteState {
  path: string;
  search: string;
}

const current = (): RouteState => ({ path: window.location.pathname, search: window.location.search });

export const useRoute = create<RouteState>(() => current());

window.addEventListener('popstate', () => useRoute.setState(current()));

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  useRoute.setState(current());
}

/** `/feedback/:id` against `/feedback/42` → `{id: '42'}`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const a = path.split('/').filter(Boolean);
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const want = p[i] as string;
    const got = a[i] as string;
    if (want.startsWith(':')) params[want.slice(1)] = decodeURIComponent(got);
    else if (want !== got) return null;
  }
  return params;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
