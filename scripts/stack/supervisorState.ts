/**
 * The supervisor's state file: every part's state, pid and restart count as JSON, rewritten atomically on each
 * change. The API reads it (VOYCE_SUPERVISOR_STATE_FILE) for `voyce_supervisor_*` metrics and `/ready`; tests and
 * bench:chaos read it to find the pids and to wait for a part to be back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PartStatus } from './supervisor';

export interface SupervisorStateFile {
  readonly supervisorPid: number;
  readonly updatedAt: string;
  readonly parts: readonly PartStatus[];
}

/** `<dataDir>/supervisor.json`. */
export function supervisorStatePath(dataDir: string): string {
  return path.join(dataDir, 'supervisor.json');
}

export function writeSupervisorState(file: string, parts: readonly PartStatus[]): void {
  const content: SupervisorStateFile = { supervisorPid: process.pid, updatedAt: new Date().toISOString(), parts };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`);
  fs.renameSync(temporary, file); // a reader never sees half a file
}

/** The current state, or null when there is no (readable) file. */
export function readSupervisorState(file: string): SupervisorStateFile | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SupervisorStateFile;
  } catch {
    return null;
  }
}
