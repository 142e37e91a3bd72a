import type { ProcessExit } from './process';
import { describeExit } from './process';
import type { RestartPolicy } from './restartPolicy';
import { Supervisor, type PartStatus, type SupervisedChild } from './supervisor';

/** A child whose death the test decides. */
class FakeChild implements SupervisedChild {
  readonly exited: Promise<ProcessExit>;
  stopped = 0;
  private die!: (exit: ProcessExit) => void;
  constructor(readonly pid: number) {
    this.exited = new Promise((resolve) => {
      this.die = resolve;
    });
  }
  recentOutput(): string[] {
    return [`last words of ${this.pid}`];
  }
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.die({ code: null, signal });
  }
  async stop(): Promise<void> {
    this.stopped += 1;
    this.die({ code: 0, signal: null });
  }
}

const POLICY: RestartPolicy = { initialDelayMs: 100, factor: 2, maxDelayMs: 300, maxRestarts: 3, windowMs: 10_000 };

/** Fake time: sleep() resolves only when the test advances the clock past its end. */
function harness(startFails: () => boolean = () => false) {
  let now = 1_000_000;
  const sleeps: Array<{ until: number; wake: () => void; ms: number }> = [];
  const lines: string[] = [];
  const snapshots: PartStatus[][] = [];
  let nextPid = 100;
  const children: FakeChild[] = [];
  const supervisor = new Supervisor({
    policy: POLICY,
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => sleeps.push({ until: now + ms, wake, ms })),
    log: (line) => lines.push(line),
    describeExit,
    onChange: (parts) => snapshots.push([...parts]),
  });
  const start = async (): Promise<SupervisedChild> => {
    if (startFails()) throw new Error('port 7233 still in use\nline two of the output');
    const child = new FakeChild(nextPid++);
    children.push(child);
    return child;
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const advance = async (ms: number) => {
    now += ms;
    for (const s of sleeps.filter((s) => s.until <= now)) {
      sleeps.splice(sleeps.indexOf(s), 1);
      s.wake();
    }
    await settle();
    await settle();
  };
  return { supervisor, start, children, lines, snapshots, sleeps, advance, settle, first: new FakeChild(1) };
}

describe('Supervisor', () => {
  it('restarts a killed part after the backoff delay, says so, and counts it', async () => {
    const h = harness();
    h.supervisor.adopt('worker', h.first, h.start);
    h.first.kill();
    await h.settle();
    await h.settle();
    expect(h.first.stopped).toBe(1); // the dead group is cleaned up before the restart
    expect(h.supervisor.snapshot()[0]).toMatchObject({ state: 'backoff', pid: null, crashes: 1, restarts: 0, lastExit: 'signal SIGKILL' });
    expect(h.sleeps.map((s) => s.ms)).toEqual([100]);
    expect(h.lines[0]).toBe('worker exited unexpectedly (signal SIGKILL); restarting in 0.1 s (crash 1 of at most 3 within 10 s)');

    await h.advance(100);
    expect(h.children).toHaveLength(1);
    expect(h.supervisor.snapshot()[0]).toMatchObject({ state: 'running', pid: 100, restarts: 1, crashes: 1 });
    expect(h.lines[1]).toMatch(/^worker is back \(pid 100, 0\.1 s after it died; restart 1\)$/);
    expect(h.snapshots.map((parts) => parts[0]?.state)).toEqual(['running', 'backoff', 'restarting', 'running']);
  });

  it('doubles the delay for each crash within the window, and starts over once the part stayed up', async () => {
    const h = harness();
    h.supervisor.adopt('jobs-runtime', h.first, h.start);
    const delays: number[] = [];
    let current: FakeChild = h.first;
    for (let i = 0; i < 3; i++) {
      current.kill();
      await h.settle();
      await h.settle();
      const pending = h.sleeps[0]!;
      delays.push(pending.ms);
      await h.advance(pending.ms);
      current = h.children.at(-1)!;
    }
    expect(delays).toEqual([100, 200, 300]); // capped at maxDelayMs
    await h.advance(10_000); // stays up longer than the window
    current.kill();
    await h.settle();
    await h.settle();
    expect(h.sleeps[0]!.ms).toBe(100);
  });

  it('gives up on a crash loop, with the reason and the last output', async () => {
    const h = harness();
    h.supervisor.adopt('temporal', h.first, h.start);
    let current: FakeChild = h.first;
    for (let i = 0; i < 3; i++) {
      current.kill();
      await h.settle();
      await h.settle();
      await h.advance(h.sleeps[0]!.ms);
      current = h.children.at(-1)!;
    }
    current.kill('SIGSEGV');
    const loop = await h.supervisor.crashLoop;
    expect(loop.part).toBe('temporal');
    expect(loop.reason).toBe('temporal crashed 4 times within 10 s (crash loop; at most 3 restarts allowed); last: signal SIGSEGV');
    expect(loop.recentOutput).toEqual([`last words of ${current.pid}`]);
    expect(h.supervisor.snapshot()[0]).toMatchObject({ state: 'failed', restarts: 3, crashes: 4 });
    expect(h.children).toHaveLength(3);
  });

  it('counts a failed restart as a crash and tries again', async () => {
    let failures = 1;
    const h = harness(() => failures-- > 0);
    h.supervisor.adopt('azurite', h.first, h.start);
    h.first.kill();
    await h.settle();
    await h.settle();
    await h.advance(100);
    expect(h.children).toHaveLength(0);
    expect(h.supervisor.snapshot()[0]).toMatchObject({ state: 'backoff', crashes: 2, lastExit: 'could not restart: port 7233 still in use' });
    expect(h.sleeps[0]!.ms).toBe(200);
    await h.advance(200);
    expect(h.supervisor.snapshot()[0]).toMatchObject({ state: 'running', pid: 100, restarts: 1 });
  });

  it('does not restart what it was asked to stop, and cuts a backoff short', async () => {
    const h = harness();
    const other = new FakeChild(2);
    h.supervisor.adopt('api', h.first, h.start);
    h.supervisor.adopt('worker', other, h.start);
    other.kill();
    await h.settle();
    await h.settle();
    await h.supervisor.stop(); // no clock advance: the backoff sleep must not hold it up
    expect(h.children).toHaveLength(0);
    expect(h.first.stopped).toBe(1);
    expect(h.supervisor.snapshot().map((p) => p.state)).toEqual(['stopped', 'stopped']);
  });
});
