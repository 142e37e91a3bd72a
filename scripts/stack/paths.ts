import path from 'node:path';

/** Repository root: this file lives in <root>/scripts/stack, whatever the caller's cwd is. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Default folder for dev-mode state (git-ignored), so `npm start` keeps data across runs. */
export const DEV_DATA_DIR = path.join(REPO_ROOT, '.data');

/** The project-local Python virtualenv that setup.sh creates. */
export const VENV_DIR = path.join(REPO_ROOT, '.venv');

/** Loopback only: the local stack must never be reachable from the network. */
export const LOCAL_HOST = '127.0.0.1';
