import { ServiceUnavailableError } from '../http/serviceUnavailable';
import { createDependencyGate } from './dependencyGate';

describe('createDependencyGate', () => {
  it('passes when every part answers and probes each once within the cache time', async () => {
    let now = 0;
    const calls: string[] = [];
    const gate = createDependencyGate(
      { blob: async () => void calls.push('blob'), temporal: async () => void calls.push('temporal') },
      { ttlMs: 1000, now: () => now },
    );
    await gate.require(['blob', 'temporal']);
    await gate.require(['blob', 'temporal']);
    expect(calls).toEqual(['blob', 'temporal']);
    now = 1000;
    await gate.require(['blob']);
    expect(calls).toEqual(['blob', 'temporal', 'blob']);
  });

  it('answers 503 with a stable code and Retry-After seconds when a part is down or too slow', async () => {
    const gate = createDependencyGate(
      { blob: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:10000')), temporal: () => new Promise<void>(() => undefined) },
      { timeoutMs: 20 },
    );
    const blob = await gate.require(['blob']).catch((e: unknown) => e);
    expect(blob).toBeInstanceOf(ServiceUnavailableError);
    expect(blob).toMatchObject({ status: 503, code: 'storage_unavailable', retryAfterSeconds: 5 });
    await expect(gate.require(['temporal'])).rejects.toMatchObject({ code: 'pipeline_unavailable' });
  });

  it('after markDown answers 503 without probing until the cache time has passed, then finds the part back', async () => {
    let now = 0;
    let probes = 0;
    const gate = createDependencyGate({ temporal: async () => void probes++ }, { ttlMs: 1000, now: () => now });
    gate.markDown('temporal', 'workflow start failed');
    await expect(gate.require(['temporal'])).rejects.toMatchObject({ code: 'pipeline_unavailable' });
    expect(probes).toBe(0);
    now = 1500;
    await gate.require(['temporal']);
    expect(probes).toBe(1);
  });
});
