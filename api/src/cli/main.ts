/**
 * The ops CLI on the server (`npm run voyce -- …`): chores that must work without the API (the first admin,
 * key rotation) and the same replay and status operations as the admin API, from a shell. It migrates first,
 * so it also works on a fresh database.
 */
import { parseArgs } from 'node:util';
import { backup, columnCipherFromConfig, ENCRYPTED_COLUMNS, loadConfig, migrateLatest, restore } from '@voyce/core';
import { reencryptCommand } from './keysCommand';
import { createUserCommand, setRoleCommand, UsageError as UsersUsageError } from './usersCommand';
import { buildApiDeps } from '../buildDeps';
import { replayCommand, SCHEDULE_COMMANDS, scheduleCommand, statusCommand, UsageError } from './opsCommands';

const USAGE = `usage:
  npm run voyce -- users create --email E --username U --password P [--role user|analyst|admin]
  npm run voyce -- users set-role <email|username> <user|analyst|admin>
  npm run voyce -- keys re-encrypt            (after adding a new current key to COLUMN_ENCRYPTION_KEYS)
  npm run voyce -- replay [--status failed|rejected|completed] [--since 2d]
  npm run voyce -- replay --id <submission id>
  npm run voyce -- status <submission id>
  npm run voyce -- schedule describe|pause|unpause|trigger [--reason R]   (batch re-inference schedule)
  npm run voyce -- backup --out <dir>          (PostgreSQL dump + every referenced audio blob + manifest)
  npm run voyce -- restore --from <dir>        (into an empty database and empty containers)`;

const out = (line: string) => console.log(line);

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      status: { type: 'string' },
      since: { type: 'string' },
      id: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, ...rest] = positionals;
  const known =
    (group === 'users' && (command === 'create' || command === 'set-role')) ||
    (group === 'keys' && command === 're-encrypt') ||
    group === 'replay' ||
    group === 'status' ||
    (group === 'schedule' && (SCHEDULE_COMMANDS as readonly (string | undefined)[]).includes(command)) ||
    (group === 'backup' && !!values.out) ||
    (group === 'restore' && !!values.from);
  if (values.help || !known) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const deps = buildApiDeps(config);
  // The operator works across organisations: the owner's connection, not the API's row-level-secured one.
  const operator = { ...deps, ...deps.crossOrg };
  try {
    if (group === 'restore') {
      const started = Date.now();
      const restored = await restore(deps.db, config.DATABASE_URL, deps.blob, values.from as string);
      out(`restored the database and ${restored.blobs} blob(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    }
    await migrateLatest(deps.db);
    if (group === 'backup') {
      const started = Date.now();
      const manifest = await backup(deps.db, config.DATABASE_URL, deps.blob, values.out as string);
      out(`backed up the database and ${manifest.blobs.length} blob(s) to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s (recovery point ${manifest.createdAt})`);
      return 0;
    }
    if (group === 'keys') await reencryptCommand(deps.db, columnCipherFromConfig(config), ENCRYPTED_COLUMNS, out);
    else if (group === 'users') {
      const usersDeps = { users: deps.users, audit: deps.audit, passwordMinLength: config.PASSWORD_MIN_LENGTH, out };
      if (command === 'create') await createUserCommand(usersDeps, values);
      else await setRoleCommand(usersDeps, rest[0], rest[1]);
    } else if (group === 'replay') await replayCommand(operator, values, out);
    else if (group === 'schedule') await scheduleCommand(operator, command, values, out);
    else await statusCommand(operator, command, out);
    return 0;
  } finally {
    await deps.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof UsageError || err instanceof UsersUsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    console.error(usage ? `error: ${(err as Error).message}\n${USAGE}` : err instanceof Error ? err.message : err);
    process.exit(usage ? 2 : 1);
  },
);
