import { listenChannel, type Logger, type OrgMembership, type OrganisationRepository, type UserRepository } from '@voyce/core';

type User = NonNullable<Awaited<ReturnType<UserRepository['findById']>>>;

/** What `requireAuth` needs to know about the account behind a token. */
export interface PrincipalLookup {
  findById(id: string): Promise<(Pick<User, 'id' | 'role' | 'disabled' | 'sessionsRevokedAt'> & { memberships?: OrgMembership[] }) | null>;
  /** Called by this process right after it changes an account, so its own next request sees the change. */
  forget?(id: string): void;
}

export interface CachedPrincipalLookup extends PrincipalLookup {
  /** Drops one account (a change notification) or all of them. */
  invalidate(id?: string): void;
  size(): number;
  close(): Promise<void>;
}

interface ChangeFeed {
  isLive(): boolean;
}

/**
 * Remembers who each token's account is for `ttlMs`, so an authenticated request costs no query for it.
 * Correctness rests on the `user_changes` notifications (migrations 010, 013): any change to an account or
 * its memberships drops it
 * here at once, on every API replica. While the LISTEN connection is down nothing is cached or served from
 * the cache, and its loss clears the cache, so a missed notification can never keep a disabled account in.
 */
export function cachePrincipals(users: PrincipalLookup, feed: ChangeFeed, ttlMs = 60_000, maxEntries = 50_000): CachedPrincipalLookup {
  const entries = new Map<string, { user: Awaited<ReturnType<PrincipalLookup['findById']>>; expires: number }>();
  let generation = 0;
  const invalidate = (id?: string): void => {
    generation++;
    if (id === undefined) entries.clear();
    else entries.delete(id);
  };
  return {
    async findById(id) {
      if (!feed.isLive()) return users.findById(id);
      const hit = entries.get(id);
      if (hit && hit.expires > Date.now()) return hit.user;
      const started = generation;
      const user = await users.findById(id);
      // A change (or a gap) seen while we were reading means this answer may already be old: don't keep it.
      if (started === generation && feed.isLive()) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(id, { user, expires: Date.now() + ttlMs });
      }
      return user;
    },
    invalidate,
    forget: (id) => invalidate(id),
    size: () => entries.size,
    close: async () => undefined,
  };
}

/** An account with its memberships: a removal or role change must reach the next request like a disable does. */
export function accountsWithMemberships(users: Pick<UserRepository, 'findById'>, orgs: Pick<OrganisationRepository, 'membershipsOf'>): PrincipalLookup {
  return {
    async findById(id) {
      const [user, memberships] = await Promise.all([users.findById(id), orgs.membershipsOf(id)]);
      return user ? { ...user, memberships } : null;
    },
  };
}

/** The cache wired to PostgreSQL: LISTEN `user_changes` for invalidations. */
export function createPrincipalLookup(users: PrincipalLookup, databaseUrl: string, logger: Logger): CachedPrincipalLookup {
  let cache: CachedPrincipalLookup | null = null;
  const channel = listenChannel(
    databaseUrl,
    'user_changes',
    { onPayload: (id) => cache?.invalidate(id), onGap: () => cache?.invalidate() },
    logger,
  );
  cache = cachePrincipals(users, channel);
  return { ...cache, close: () => channel.close() };
}
