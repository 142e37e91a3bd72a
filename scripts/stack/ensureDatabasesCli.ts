/**
 * `tsx scripts/stack/ensureDatabasesCli.ts URL...`: used by setup.sh so the shell script and the
 * TypeScript stack share one implementation of "PostgreSQL is up and these databases exist".
 */
import { databaseName, ensureDatabase, ensurePostgres } from './postgres';

async function main(urls: string[]): Promise<void> {
  if (urls.length === 0) throw new Error('usage: ensureDatabasesCli.ts postgres://…/db [postgres://…/db2 …]');
  for (const url of urls) {
    const { started } = await ensurePostgres(url);
    if (started) console.log('PostgreSQL was down: started the local cluster');
    const created = await ensureDatabase(url);
    console.log(`database ${databaseName(url)}: ${created ? 'created' : 'exists'}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
