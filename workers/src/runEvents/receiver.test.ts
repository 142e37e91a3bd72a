import { RunEndHub } from '@voyce/activities';
import { createLogger } from '@voyce/core';
import { authorized, parseRunEvent, runEventsAuthorization, startRunEventsReceiver, RUN_EVENTS_PATH, type RunEventsReceiver } from './receiver';

const SECRET = 'a-secret-of-24-characters';

describe('run-events receiver', () => {
  let receiver: RunEventsReceiver;
  let hub: RunEndHub;
  const post = (body: unknown, auth: string | undefined = runEventsAuthorization(SECRET), path = RUN_EVENTS_PATH) =>
    fetch(`http://${receiver.address}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeEach(async () => {
    hub = new RunEndHub();
    receiver = await startRunEventsReceiver({ address: '127.0.0.1:0', secret: SECRET, hub, logger: createLogger('test', 'silent') });
  });
  afterEach(() => receiver.close());

  it('wakes the waiter of the run named by an end event', async () => {
    const w = hub.wait(42);
    let woke = false;
    void w.ended.then(() => (woke = true));
    const res = await post({ event_type: 'jobs.on_success', workspace_id: 'local', run: { run_id: 42 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, woke: 1 });
    await Promise.resolve();
    expect(woke).toBe(true);
    // a failure ends a run too; a run id as a string is accepted (Databricks sends both); on_start wakes nobody
    const w2 = hub.wait(43);
    expect(await (await post({ event_type: 'jobs.on_start', run: { run_id: 43 } })).json()).toEqual({ received: true, woke: 0 });
    expect(await (await post({ event_type: 'jobs.on_failure', run: { run_id: '43' } })).json()).toEqual({ received: true, woke: 1 });
    w2.dispose();
  });

  it('refuses wrong or missing credentials without waking anyone', async () => {
    const w = hub.wait(5);
    for (const auth of ['', runEventsAuthorization('another-secret-of-24-chars'), `Bearer ${SECRET}`]) {
      const res = await post({ event_type: 'jobs.on_success', run: { run_id: 5 } }, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
    expect(hub.waitingCount).toBe(1);
    w.dispose();
  });

  it('answers bad bodies and other paths clearly', async () => {
    expect((await post('not json')).status).toBe(400);
    expect(await (await post({ event_type: 'x', run: { run_id: 1 } })).json()).toEqual({ error: { code: 'bad_event', message: 'event_type must be a jobs.* event' } });
    expect((await post({ event_type: 'jobs.on_success', run: { run_id: -1 } })).status).toBe(400);
    expect((await post({ event_type: 'jobs.on_success', run: {} })).status).toBe(400);
    expect((await post({}, runEventsAuthorization(SECRET), '/other')).status).toBe(404);
    expect((await post('x'.repeat(70 * 1024))).status).toBe(413);
  });

  it('compares credentials by their digests', () => {
    expect(authorized(runEventsAuthorization(SECRET), SECRET)).toBe(true);
    expect(authorized(runEventsAuthorization(SECRET).slice(0, -1), SECRET)).toBe(false);
    expect(authorized(undefined, SECRET)).toBe(false);
    expect(parseRunEvent('{"event_type":"jobs.on_success","run":{"run_id":"12"}}')).toEqual({ ok: true, eventType: 'jobs.on_success', runId: 12 });
  });
});
