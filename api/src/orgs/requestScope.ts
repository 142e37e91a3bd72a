import { AsyncLocalStorage } from 'node:async_hooks';
import type { OrgMembership, OrgScope, Role } from '@voyce/core';

type Principal = { role: Role; memberships: readonly OrgMembership[] };

/**
 * The organisations a request may touch, for row-level security: every organisation the principal belongs
 * to (the permission module then narrows a member to their own submissions), or all of them for platform
 * staff, who read everyone's data (API.md "Platform roles ... stay for running the platform").
 */
export function scopeOf(p: Principal): OrgScope {
  if (p.role === 'analyst' || p.role === 'admin') return { all: true };
  return { all: false, orgIds: p.memberships.map((m) => m.orgId) };
}

const current = new AsyncLocalStorage<OrgScope>();

/** The scope of the request this code runs for; undefined outside one (then the database shows no organisation's rows). */
export const currentScope = (): OrgScope | undefined => current.getStore();

/** Runs `fn` (and everything it starts) with the principal's scope. */
export const runInScope = <T>(p: Principal, fn: () => T): T => current.run(scopeOf(p), fn);
