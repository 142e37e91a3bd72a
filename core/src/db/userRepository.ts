import type { Db } from './knex';
import type { Role, User, UserWithSecret } from '../domain/user';

interface UserRow {
  id: string;
  email: string;
  username: string;
  password_hash: string | null;
  role: Role;
  disabled: boolean;
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
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Strips the secret parts before a user leaves the application layer. */
export const publicUser = ({ passwordHash: _hash, ...user }: UserWithSecret): User => user;

export interface NewUser {
  email: string;
  username: string;
  passwordHash: string;
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
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
