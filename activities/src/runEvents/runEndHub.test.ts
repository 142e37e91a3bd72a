import { RunEndHub } from './runEndHub';

const settledWithin = async (p: Promise<void>, ms = 50): Promise<boolean> =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('RunEndHub', () => {
  it('wakes every waiter of the run that ended, and only those', async () => {
    const hub = new RunEndHub();
    const a = hub.wait(1);
    const b = hub.wait(1);
    const other = hub.wait(2);
    expect(hub.ended(1)).toBe(2);
    expect(await settledWithin(a.ended)).toBe(true);
    expect(await settledWithin(b.ended)).toBe(true);
    expect(await settledWithin(other.ended)).toBe(false);
    expect(hub.waitingCount).toBe(1);
  });

  it('remembers an end heard before anyone waited (callback faster than the submit reply)', async () => {
    const hub = new RunEndHub();
    expect(hub.ended(7)).toBe(0);
    expect(await settledWithin(hub.wait(7).ended)).toBe(true);
  });

  it('forgets ends after five minutes, and disposed waiters are not woken', async () => {
    let now = 0;
    const hub = new RunEndHub(() => now);
    hub.ended(7);
    now = 5 * 60_000 + 1;
    hub.ended(8); // pruning happens on the next notification
    expect(await settledWithin(hub.wait(7).ended)).toBe(false);
    const w = hub.wait(9);
    w.dispose();
    expect(hub.waitingCount).toBe(1); // only 7 is waited for
    expect(hub.ended(9)).toBe(0);
  });

  it('a duplicate notification is harmless', async () => {
    const hub = new RunEndHub();
    const w = hub.wait(3);
    expect(hub.ended(3)).toBe(1);
    expect(await settledWithin(w.ended)).toBe(true);
    const again = hub.wait(3); // the woken waiter listens again: the news it already had does not wake it
    expect(await settledWithin(again.ended)).toBe(false);
    expect(hub.ended(3)).toBe(1);
  });
});
