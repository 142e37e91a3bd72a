import { hashPassword, passwordProblem, ROLES, type AuditRepository, type Role, type UserRepository } from '@voyce/core';

export interface UsersCommandDeps {
  users: UserRepository;
  audit: AuditRepository;
  passwordMinLength: number;
  out: (line: string) => void;
}

/** A usage mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const isRole = (r: string | undefined): r is Role => (ROLES as readonly string[]).includes(r ?? '');

/** `users create --email E --username U --password P [--role R]`: how the first admin comes to be. */
export async function createUserCommand(deps: UsersCommandDeps, opts: { email?: string; username?: string; password?: string; role?: string }): Promise<void> {
  const { email, username, password } = opts;
  if (!email || !username || !password) throw new UsageError('users create needs --email, --username and --password');
  const role = opts.role ?? 'user';
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const problem = passwordProblem(password, deps.passwordMinLength, { email, username });
  if (problem) throw new UsageError(`--password ${problem}`);
  const user = await deps.users.create({ email, username, passwordHash: await hashPassword(password), role });
  if (!user) throw new UsageError('an account with this e-mail or username already exists');
  await deps.audit.record({ action: 'user.created', subjectUserId: user.id, detail: { via: 'cli', role } });
  deps.out(`created ${user.username} <${user.email}> as ${user.role} (${user.id})`);
}

/** `users set-role <email|username> <role>`: role changes outside the API (e.g. when no admin is left). */
export async function setRoleCommand(deps: UsersCommandDeps, login: string | undefined, role: string | undefined): Promise<void> {
  if (!login || !role) throw new UsageError('users set-role needs <email|username> <role>');
  if (!isRole(role)) throw new UsageError(`role must be one of ${ROLES.join(', ')}`);
  const user = await deps.users.findByLogin(login);
  if (!user) throw new UsageError(`no account ${login}`);
  const updated = await deps.users.setRole(user.id, role);
  await deps.audit.record({ action: 'user.role_changed', subjectUserId: user.id, detail: { via: 'cli', from: user.role, to: role } });
  deps.out(`${updated?.username ?? login}: ${user.role} -> ${role}`);
}
