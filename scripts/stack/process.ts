/**
 * The one child-process helper every component uses: spawn in its own process group, prefix output
 * lines with the component name (or send them to a log file when quiet), wait until ready with a
 * timeout and a useful error, and stop with SIGTERM → SIGKILL for the whole group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ComponentStartError } from './errors';

export interface StartProcessOptions {
  /** Component name: the `[name]` line prefix, the log file name, and the name in errors. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string | undefined;
  /** Complete environment of the child (callers merge over process.env themselves). */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** When true nothing goes to our stdout; output still reaches the log file. */
  readonly quiet?: boolean | undefined;
  /** When set, every output line is appended to `<logDir>/<name>.log`. */
  readonly logDir?: string | undefined;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  readonly stopGraceMs?: number | undefined;
  /** Keep shutdown chatter (Temporal logs cancelled polls as ERROR) out of our stdout; still logged to file. */
  readonly muteOnStop?: boolean | undefined;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  readonly error?: Error | undefined;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** What we are waiting for, for the timeout message ("GET /health = 200"). */
  readonly what: string;
  readonly intervalMs?: number | undefined;
}

/** Readiness probe: true when ready; throwing counts as "not yet" and its message is kept. */
export type ReadinessCheck = () => Promise<boolean>;

const RECENT_LINES = 40;
const DEFAULT_GRACE_MS = 10_000;
const COLORS = [36, 35, 33, 32, 34, 96, 95, 93] as const;

/** Every group we started and have not yet seen die, killed synchronously if this process exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string | undefined;
  /** Resolves once the main process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;

  private readonly child: ChildProcess;
  private readonly recent: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly logStream: fs.WriteStream | undefined;
  private readonly quiet: boolean;
  private readonly prefix: string;
  private readonly graceMs: number;
  private readonly muteOnStop: boolean;
  private muted = false;
  private exitInfo: ProcessExit | undefined;
  private stopping: Promise<ProcessExit> | undefined;

  constructor(options: StartProcessOptions) {
    this.name = options.name;
    this.quiet = options.quiet ?? false;
    this.graceMs = options.stopGraceMs ?? DEFAULT_GRACE_MS;
    this.muteOnStop = options.muteOnStop ?? false;
    this.prefix = formatPrefix(options.name);
    if (options.logDir !== undefined) {
      fs.mkdirSync(options.logDir, { recursive: true });
      this.logFile = path.join(options.logDir, `${options.name}.log`);
      this.logStream = fs.createWriteStream(this.logFile, { flags: 'a' });
      this.logStream.write(`--- ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
    }

    // detached: the child leads its own process group, so we can signal it together with its
    // grandchildren (tsx → node, python → worker processes) and so a terminal Ctrl-C reaches only
    // us: we decide the shutdown order.
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.child.pid ?? -1;

    this.exited = new Promise<ProcessExit>((resolve) => {
      this.child.once('error', (error) => {
        // Only spawn failures arrive here before 'exit'; later errors (kill on a dead pid) are moot.
        if (this.exitInfo === undefined) {
          this.exitInfo = { code: null, signal: null, error };
          this.addLine(`failed to spawn ${options.command}: ${error.message}`);
          resolve(this.exitInfo);
        }
      });
      this.child.once('exit', (code, signal) => {
        this.exitInfo ??= { code, signal };
        resolve(this.exitInfo);
      });
    });

    if (this.pid > 0) {
      registerGroup(this.pid);
      void this.exited.then(() => this.forgetGroupWhenEmpty());
    }
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream === null) continue;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.addLine(line));
    }
  }

  hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The last lines the process printed (stdout and stderr interleaved), newest last. */
  recentOutput(lines: number = RECENT_LINES): string[] {
    return this.recent.slice(-lines);
  }

  /** Subscribe to output lines; returns the unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Poll check until it is true; fail early if the process exits, or after timeoutMs. */
  async waitUntilReady(check: ReadinessCheck, options: WaitOptions): Promise<void> {
    const started = Date.now();
    const interval = options.intervalMs ?? 250;
    let lastProblem = '';
    for (;;) {
      if (this.exitInfo !== undefined) throw this.startError(`exited (${describeExit(this.exitInfo)}) before it was ready`);
      try {
        if (await check()) return;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      const elapsed = Date.now() - started;
      if (elapsed >= options.timeoutMs) {
        throw this.startError(
          `not ready after ${Math.round(elapsed / 1000)} s (waiting for ${options.what}` +
            (lastProblem ? `; last probe error: ${lastProblem}` : '') +
            ')',
        );
      }
      // Wake early if the process dies, so a crash is reported at once rather than at the timeout.
      await Promise.race([sleep(interval), this.exited]);
    }
  }

  /** Wait until an output line matches pattern (for components that announce readiness). */
  waitForOutput(pattern: RegExp, options: Omit<WaitOptions, 'intervalMs'>): Promise<void> {
    if (this.recent.some((line) => pattern.test(line))) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        unsubscribe();
        if (error) reject(error);
        else resolve();
      };
      const unsubscribe = this.onLine((line) => {
        if (pattern.test(line)) finish();
      });
      const timer = setTimeout(
        () => finish(this.startError(`not ready after ${Math.round(options.timeoutMs / 1000)} s (waiting for ${options.what})`)),
        options.timeoutMs,
      );
      void this.exited.then((exit) => {
        // Let the last lines drain first: the ready line may be the final thing it printed.
        setImmediate(() => finish(this.startError(`exited (${describeExit(exit)}) before it was ready`)));
      });
    });
  }

  /**
   * SIGTERM the whole process group, SIGKILL whatever is left after the grace period.
   * Idempotent: concurrent and repeated calls share one shutdown.
   */
  stop(graceMs: number = this.graceMs): Promise<ProcessExit> {
    this.stopping ??= this.stopGroup(graceMs);
    return this.stopping;
  }

  private async stopGroup(graceMs: number): Promise<ProcessExit> {
    if (this.pid <= 0) return this.exited;
    this.muted = this.muteOnStop;
    // SIGTERM the leader alone first: well-behaved parents (tsx, the Python runtime) then stop their
    // own children in order; signalling the whole group at once makes them race their own shutdown.
    if (!this.hasExited()) signalPid(this.pid, 'SIGTERM');
    const leaderGone = await this.exitedWithin(graceMs);
    if (!leaderGone) {
      this.addLine(`still running ${Math.round(graceMs / 1000)} s after SIGTERM; sending SIGKILL`);
      signalGroup(this.pid, 'SIGKILL');
    } else if (!(await waitForGroupExit(this.pid, 2_000))) {
      // Leftover grandchildren the leader did not take down with it.
      signalGroup(this.pid, 'SIGTERM');
      if (!(await waitForGroupExit(this.pid, 2_000))) signalGroup(this.pid, 'SIGKILL');
    }
    await waitForGroupExit(this.pid, 5_000);
    const exit = await this.exited;
    liveGroups.delete(this.pid);
    unregisterPidFile(this.pid);
    this.logStream?.end();
    return exit;
  }

  /** Whether the leader exits within ms; the timer is cleared so it never holds the event loop open. */
  private exitedWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private startError(reason: string): ComponentStartError {
    return new ComponentStartError(this.name, reason, this.recentOutput(20), this.logFile);
  }

  private addLine(line: string): void {
    this.recent.push(line);
    if (this.recent.length > RECENT_LINES * 2) this.recent.splice(0, this.recent.length - RECENT_LINES);
    this.logStream?.write(`${line}\n`);
    if (!this.quiet && !this.muted) process.stdout.write(`${this.prefix} ${line}\n`);
    for (const listener of this.lineListeners) listener(line);
  }

  private async forgetGroupWhenEmpty(): Promise<void> {
    // The leader may exit while children linger; keep the group registered until it is empty.
    if (await waitForGroupExit(this.pid, 2_000)) {
      liveGroups.delete(this.pid);
      unregisterPidFile(this.pid);
    }
  }
}

/** Spawn a managed child process (see ManagedProcess). */
export function startProcess(options: StartProcessOptions): ManagedProcess {
  return new ManagedProcess(options);
}

/** "code 1", "signal SIGKILL", or the spawn error. */
export function describeExit(exit: ProcessExit): string {
  if (exit.error) return `could not spawn: ${exit.error.message}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return `code ${String(exit.code)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we want.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

function registerGroup(pgid: number): void {
  liveGroups.add(pgid);
  registerPidFile(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last line of defence when our own process dies without stopping its children
    // (uncaught exception, process.exit in a test runner): no orphaned servers holding ports.
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
}

/**
 * CI support: when VOYCE_STACK_PID_DIR is set, each live process group is recorded there as a file
 * named after its id, so an outer script can kill whatever survived even if this process was SIGKILLed.
 */
function registerPidFile(pgid: number): void {
  const dir = process.env.VOYCE_STACK_PID_DIR;
  if (!dir) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, String(pgid)), `${process.pid}\n`);
  } catch {
    // Best effort only: the registry is a safety net, not a requirement.
  }
}

function unregisterPidFile(pgid: number): void {
  const dir = process.env.VOYCE_STACK_PID_DIR;
  if (!dir) return;
  fs.rmSync(path.join(dir, String(pgid)), { force: true });
}

function formatPrefix(name: string): string {
  const label = `[${name}]`;
  if (!process.stdout.isTTY) return label;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const color = COLORS[hash % COLORS.length] ?? 36;
  return `\u001b[${color}m${label}\u001b[0m`;
}
