import type { ApiDeps } from '../deps';
import { createDependencyGate, type DependencyGate } from '../service/dependencyGate';
import { readinessChecks } from '../service/readiness';

/** Every write of a submission needs these: the row, the staged audio, the workflow start. */
export const UPLOAD_NEEDS = ['postgres', 'blob', 'temporal'] as const;

const PROBE_DEADLINE_MS = 4000;

const gates = new WeakMap<ApiDeps, DependencyGate>();

/** The one dependency gate of this API instance (one per deps, so its probe cache is shared by all requests). */
export function uploadGate(deps: ApiDeps): DependencyGate {
  let gate = gates.get(deps);
  if (!gate) {
    // Probes end by their own deadline; the gate's timer is only the backstop. The deadline is generous on
    // purpose: a part that refuses connections answers at once whatever it is, and a slow answer from a busy
    // machine (a loaded Temporal answers getSystemInfo in seconds) must not turn a good upload into a 503.
    // A part that hangs costs an upload PROBE_DEADLINE_MS before its 503.
    gate = createDependencyGate(readinessChecks(deps, PROBE_DEADLINE_MS), { timeoutMs: PROBE_DEADLINE_MS + 500 });
    gates.set(deps, gate);
  }
  return gate;
}
