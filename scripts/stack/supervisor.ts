/**
 * Keeps the parts of `npm start` running: a part that exits on its own is cleaned up (its whole process group),
 * restarted after a backoff delay and watched again; every restart is logged and counted. Only a crash loop (see
 * RestartPolicy) gives up, and then `crashLoop` resolves with the reason so the caller can stop the stack.
 * Processes, the clock and sleeping are injected, so the logic is unit-tested without real children.
 */
import { RestartTracker, formatSeconds, type RestartPolicy } from './restartPolicy';
import type { ProcessExit } from './process';

/** What the supervisor needs of a running part (ManagedProcess satisfies it). */
export interface SupervisedChild {
  readonly pid: number;
  /** Resolves once the process has exited, never rejects. */
  readonly exited: Promise<ProcessExit>;
  recentOutput(lines?: number): string[];
  /** Stops the process and whatever is left of its group (also after it died on its own). */
  stop(): Promise<unknown>;
}

/** Starts one instance of a part and resolves once it is ready; the supervisor calls it again for every restart. */
export type StartPart = () => Promise<SupervisedChild>;

export type PartState = 'running' | 'backoff' | 'restarting' | 'failed' | 'stopped';

export interface PartStatus {
  readonly name: string;
  readonly state: PartState;
  readonly pid: number | null;
  /** Successful restarts so far. */
  readonly restarts: number;
  /** Times an instance died or failed to start. */
  readonly crashes: number;
  /** How the last instance ended ("signal SIGKILL"), or why the last start failed. */
  readonly lastExit: string | null;
  /** ISO time of the last state change. */
  readonly since: string;
}

export interface CrashLoop {
  readonly part: string;
  readonly reason: string;
  /** The last lines the dead instance printed. */
  readonly recentOutput: readonly string[];
}

export interface SupervisorDeps {
  readonly policy: RestartPolicy;
  now(): number;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
  describeExit(exit: ProcessExit): string;
  /** Called after every state change with all parts' status (e.g. to publish it in a state file). */
  onChange?(parts: readonly PartStatus[]): void;
}

interface Slot {
  readonly name: string;
  readonly start: StartPart;
  readonly tracker: RestartTracker;
  child: SupervisedChild | null;
  status: PartStatus;
  /** The restart in progress, so stop() can wait for it instead of leaving its child behind. */
  restarting: Promise<void> | null;
}

export class Supervisor {
  /** Resolves when a part crash-loops; the supervisor has then stopped restarting anything. */
  readonly crashLoop: Promise<CrashLoop>;

  private readonly slots: Slot[] = [];
  private stopping = false;
  private reportCrashLoop!: (loop: CrashLoop) => void;
  private signalStop!: () => void;
  /** Resolves when stop() is called, to cut a backoff delay short. */
  private readonly stopRequested: Promise<void>;

  constructor(private readonly deps: SupervisorDeps) {
    this.crashLoop = new Promise((resolve) => {
      this.reportCrashLoop = resolve;
    });
    this.stopRequested = new Promise((resolve) => {
      this.signalStop = resolve;
    });
  }

  /** Take over a part that is already running; `start` makes a fresh instance after it dies. */
  adopt(name: string, child: SupervisedChild, start: StartPart): void {
    const slot: Slot = {
      name,
      start,
      tracker: new RestartTracker(this.deps.policy),
      child,
      status: { name, state: 'running', pid: child.pid, restarts: 0, crashes: 0, lastExit: null, since: this.isoNow() },
      restarting: null,
    };
    this.slots.push(slot);
    this.watch(slot, child);
    this.changed();
  }

  snapshot(): PartStatus[] {
    return this.slots.map((slot) => slot.status);
  }

  /** Stop restarting, then stop every part, newest first. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    for (const slot of [...this.slots].reverse()) {
      await slot.restarting;
      await slot.child?.stop();
      this.set(slot, { state: 'stopped' });
    }
  }

  private watch(slot: Slot, child: SupervisedChild): void {
    void child.exited.then((exit) => {
      if (this.stopping || slot.child !== child) return;
      slot.restarting = this.recover(slot, child, this.deps.describeExit(exit));
    });
  }

  /** After a crash: clean up, back off, start again; a failed start counts as another crash. */
  private async recover(slot: Slot, dead: SupervisedChild, exitDescription: string): Promise<void> {
    const crashedAt = this.deps.now();
    let lastOutput = dead.recentOutput(15);
    let description = exitDescription;
    await dead.stop(); // the leader is gone; take down whatever is left of its group (it may hold the port)
    for (;;) {
      if (this.stopping) return;
      const decision = slot.tracker.recordCrash(this.deps.now());
      this.set(slot, { state: 'backoff', pid: null, lastExit: description, crashes: slot.status.crashes + 1 });
      if (!decision.restart) {
        this.set(slot, { state: 'failed' });
        this.deps.log(`${slot.name} ${description}; ${decision.reason}: giving up`);
        this.reportCrashLoop({ part: slot.name, reason: `${slot.name} ${decision.reason}; last: ${description}`, recentOutput: lastOutput });
        return;
      }
      this.deps.log(
        `${slot.name} exited unexpectedly (${description}); restarting in ${formatSeconds(decision.delayMs)} ` +
          `(crash ${decision.recentCrashes} of at most ${this.deps.policy.maxRestarts} within ${formatSeconds(this.deps.policy.windowMs)})`,
      );
      await Promise.race([this.deps.sleep(decision.delayMs), this.stopRequested]);
      if (this.stopping) return;
      this.set(slot, { state: 'restarting' });
      try {
        const child = await slot.start();
        slot.child = child;
        this.set(slot, { state: 'running', pid: child.pid, restarts: slot.status.restarts + 1 });
        this.deps.log(`${slot.name} is back (pid ${child.pid}, ${formatSeconds(this.deps.now() - crashedAt)} after it died; restart ${slot.status.restarts})`);
        if (this.stopping) {
          await child.stop();
          return;
        }
        this.watch(slot, child);
        return;
      } catch (error) {
        slot.child = null;
        description = `could not restart: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`;
        lastOutput = error instanceof Error ? error.message.split('\n').slice(1, 16) : [];
      }
    }
  }

  private set(slot: Slot, change: Partial<Omit<PartStatus, 'name' | 'since'>>): void {
    const state = change.state ?? slot.status.state;
    slot.status = { ...slot.status, ...change, since: state === slot.status.state ? slot.status.since : this.isoNow() };
    this.changed();
  }

  private isoNow(): string {
    return new Date(this.deps.now()).toISOString();
  }

  private changed(): void {
    this.deps.onChange?.(this.snapshot());
  }
}
