import type { ManagedProcess } from './process';

/** What every component starter returns: the process it runs and how to stop it. */
export interface RunningService {
  readonly name: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Options common to the component starters. */
export interface ServiceOptions {
  /** Folder for the component's state; logs go to `<dataDir>/logs`. */
  readonly dataDir: string;
  /** Send output only to the log file (tests), not to our stdout. */
  readonly quiet?: boolean | undefined;
  /** Base environment of the child; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Readiness timeout override. */
  readonly timeoutMs?: number | undefined;
}

export function wrapService(name: string, process: ManagedProcess): RunningService {
  return {
    name,
    process,
    async stop() {
      await process.stop();
    },
  };
}
