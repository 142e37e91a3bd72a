import type { Db } from './knex';
import type { Role, User, UserWithSecret } from '../domain/user';

interface UserRow {
  id: string;
  email: string;
  username: string;
  password_hash: string | null;
  role: Role;
  disabled: boolean;
  last_login_at: Date | null;
  sessions_revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toUser = (r: UserRow): UserWithSecret => ({
  id: r.id,
  email: r.email,
  username: r.username,
  role: r.role,
  disabled: r.disabled,
  passwordHash: r.password_hash,
  sessionsRevokedAt: r.sessions_revoked_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Strips the secret parts before a user leaves the application layer. */
export const publicUser = ({ passwordHash: _h, sessionsRevokedAt: _s, ...user }: UserWithSecret): User => user;

export interface NewUser {
  email: string;
  username: string;
  /** null for accounts that only sign in through an OpenID Connect provider. */
  passwordHash: string | null;
  role?: Role;
}

export function createUserRepository(db: Db) {
  return {
    /** Inserts a user; returns null when the e-mail or username is taken (case-insensitively). */
    async create(input: NewUser): Promise<UserWithSecret | null> {
      const rows = await db<UserRow>('users')
        .insert({ email: input.email, username: input.username, password_hash: input.passwordHash, role: input.role ?? 'user' })
        .onConflict()
        .ignore()
        .returning('*');
      return rows[0] ? toUser(rows[0]) : null;
    },
    async findById(id: string): Promise<UserWithSecret | null> {
      const row = await db<UserRow>('users').where({ id }).first();
      return row ? toUser(row) : null;
    },
    /** Finds by e-mail or username, case-insensitively (both columns are citext). */
    async findByLogin(login: string): Promise<UserWithSecret | null> {
      const row = await db<UserRow>('users').where('email', login).orWhere('username', login).first();
      return row ? toUser(row) : null;
    },
    async setRole(id: string, role: Role): Promise<UserWithSecret | null> {
      const [row] = await db<UserRow>('users').where({ id }).update({ role, updated_at: db.fn.now() }).returning('*');
      return row ? toUser(row) : null;
    },
    /** Disabling also ends every session: access tokens issued before now stop working. */
    async setDisabled(id: string, disabled: boolean): Promise<UserWithSecret | null> {
      const patch = disabled ? { disabled, sessions_revoked_at: db.fn.now(), updated_at: db.fn.now() } : { disabled, updated_at: db.fn.now() };
      const [row] = await db<UserRow>('users').where({ id }).update(patch).returning('*');
      return row ? toUser(row) : null;
    },
    /** Sets a new password and ends every session issued before it. */
    async setPassword(id: string, passwordHash: string, trx: Db = db): Promise<void> {
      await trx<UserRow>('users').where({ id }).update({
        password_hash: passwordHash,
        sessions_revoked_at: db.fn.now(),
        updated_at: db.fn.now(),
      });
    },
    async recordLoginSuccess(id: string): Promise<void> {
      await db<UserRow>('users').where({ id }).update({ last_login_at: db.fn.now() });
    },
    /** One page of users, oldest first, keyset-paginated on (created_at, id). */
    async list(opts: { limit: number; after?: { createdAt: Date; id: string } }): Promise<UserWithSecret[]> {
      const q = db<UserRow>('users').orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(opts.limit);
      if (opts.after) q.whereRaw('(created_at, id) > (?, ?)', [opts.after.createdAt, opts.after.id]);
      return (await q).map(toUser);
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
