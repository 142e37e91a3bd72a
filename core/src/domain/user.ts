export const ROLES = ['user', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A user row including the secret parts that never leave the repository layer's callers in core/api. */
export interface UserWithSecret extends User {
  passwordHash: string | null;
  /** Access tokens issued before this are refused. */
  sessionsRevokedAt: Date | null;
}
