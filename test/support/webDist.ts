import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/stack/paths';

export const WEB_DIR = path.join(REPO_ROOT, 'web');
/** The web app's production build, which the API serves with WEB_DIST_DIR. */
export const WEB_DIST = path.join(WEB_DIR, 'dist');

/** The build under test must be the sources under test: true when any source is newer than dist/. */
function distIsStale(): boolean {
  const built = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const newest = (p: string): number =>
    fs.statSync(p).isDirectory() ? Math.max(0, ...fs.readdirSync(p).map((f) => newest(path.join(p, f)))) : fs.statSync(p).mtimeMs;
  return ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].some((f) => fs.existsSync(path.join(WEB_DIR, f)) && newest(path.join(WEB_DIR, f)) > builtAt);
}

/** Rebuilds web/dist when it is missing or older than the sources; returns its path. */
export function ensureWebDist(): string {
  if (distIsStale()) execFileSync('npm', ['run', '-s', 'build', '--prefix', WEB_DIR], { stdio: 'inherit' });
  return WEB_DIST;
}
