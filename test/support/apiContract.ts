import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/stack/paths';

/** One route row of API.md, with its path in OpenAPI form (`/api/submissions/{id}`). */
export interface ContractRoute {
  method: string;
  path: string;
}

/** API.md lives in shared/, beside the repository (locally and in CI). */
export const API_MD = path.join(REPO_ROOT, '..', 'shared', 'API.md');

/** Reads every `| METHOD | /path | ...` row of API.md, prefixing each section's base path (`## Auth — \`/api/auth\``). */
export function contractRoutes(file = API_MD): ContractRoute[] {
  const routes: ContractRoute[] = [];
  let base = '';
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const section = /^##\s.*`(\/api\/[a-z-]+)`/.exec(line);
    if (line.startsWith('## ')) base = section?.[1] ?? '';
    const row = /^\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*(\/[^\s|]*)\s*\|/.exec(line);
    if (!row?.[1] || !row[2]) continue;
    const full = row[2].startsWith('/api/') || !base ? row[2] : `${base}${row[2] === '/' ? '' : row[2]}`;
    routes.push({ method: row[1].toLowerCase(), path: full.replace(/:([A-Za-z]+)/g, '{$1}') });
  }
  return routes;
}
