/**
 * Hand-over of the stack's env from jest's globalSetup (which runs in the parent jest process) to
 * test files (which run in workers or a fresh module registry): a JSON file in the temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StackError } from './errors';
import type { StackEnv } from './index';

export interface TestStackFile {
  readonly env: StackEnv;
  /** pid of the jest process that owns the stack, to spot a stale file from a crashed run. */
  readonly ownerPid: number;
  readonly dataDir: string;
  readonly startedAt: string;
}

/**
 * Set by globalSetup in jest's own process.env (which test workers inherit) to this run's private
 * copy of the file, so two jest runs on one machine never read each other's stack.
 */
export const STACK_FILE_ENV = 'VOYCE_JEST_STACK_FILE';

/** The well-known location: `<os.tmpdir()>/voyce-jest-stack.json`. */
export function testStackFilePath(): string {
  return path.join(os.tmpdir(), 'voyce-jest-stack.json');
}

function privateStackFilePath(pid: number): string {
  return path.join(os.tmpdir(), `voyce-jest-stack.${pid}.json`);
}

/** Publish the stack: a private per-run file (named in process.env) and the well-known file. */
export function writeTestStackFile(content: TestStackFile): void {
  const own = privateStackFilePath(content.ownerPid);
  writeAtomically(own, content);
  writeAtomically(testStackFilePath(), content);
  process.env[STACK_FILE_ENV] = own;
}

/** Remove this run's files; the well-known one only if a later run has not replaced it. */
export function removeTestStackFile(ownerPid: number = process.pid): void {
  fs.rmSync(privateStackFilePath(ownerPid), { force: true });
  try {
    const current = JSON.parse(fs.readFileSync(testStackFilePath(), 'utf8')) as Partial<TestStackFile>;
    if (current.ownerPid === ownerPid) fs.rmSync(testStackFilePath(), { force: true });
  } catch {
    // Missing or unreadable: nothing of ours to remove.
  }
  delete process.env[STACK_FILE_ENV];
}

/** Read the env published by jestGlobalSetup, apply it to process.env, and return it. */
export function loadTestStackEnv(): StackEnv {
  const file = process.env[STACK_FILE_ENV] || testStackFilePath();
  let parsed: TestStackFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as TestStackFile;
  } catch (error) {
    throw new StackError(
      `no test stack description at ${file}: run integration tests through jest (its globalSetup ` +
        'scripts/stack/jestGlobalSetup.ts starts the stack), e.g. `npm run test:integration`',
      { cause: error },
    );
  }
  if (!isAlive(parsed.ownerPid)) {
    throw new StackError(`${file} is stale: the jest process ${parsed.ownerPid} that started that stack is gone`);
  }
  Object.assign(process.env, parsed.env);
  return parsed.env;
}

function writeAtomically(file: string, content: TestStackFile): void {
  // Write then rename, so a reader never sees half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content, null, 2));
  fs.renameSync(temporary, file);
}

/** Whether a process exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
