import { ServiceUnavailableError } from '../http/serviceUnavailable';
import type { Check } from './readiness';

/** What a request says when a part it needs is down (the code is stable, the message for people). */
const OUTAGE: Record<string, { code: string; what: string }> = {
  blob: { code: 'storage_unavailable', what: 'Audio storage' },
  temporal: { code: 'pipeline_unavailable', what: 'The processing service' },
  postgres: { code: 'database_unavailable', what: 'The database' },
};

export interface DependencyGateOptions {
  /** How long one probe's answer (up or down) is reused, so a burst of uploads probes each part once. */
  readonly ttlMs?: number;
  /** A probe slower than this counts as down: an upload should hear "retry" at once, not after the SDK's retries. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export interface DependencyGate {
  /** Resolves when every named part answers; else throws a 503 ServiceUnavailableError with Retry-After. */
  require(names: readonly string[]): Promise<void>;
  /** A request saw the part fail: the next ones answer 503 at once until a fresh probe finds it back. */
  markDown(name: string, reason: string): void;
  /** The 503 for a part known to be down. */
  outage(name: string): ServiceUnavailableError;
}

interface Known {
  readonly at: number;
  readonly result: Promise<string | null>;
}

/** Cached probes of the parts a write needs, so uploads during an outage answer 503 + Retry-After quickly. */
export function createDependencyGate(checks: Record<string, Check>, options: DependencyGateOptions = {}): DependencyGate {
  const ttlMs = options.ttlMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 1500;
  const now = options.now ?? Date.now;
  const known = new Map<string, Known>();

  const probe = (name: string): Promise<string | null> => {
    const check = checks[name];
    if (!check) return Promise.resolve(`no check named ${name}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
      timer.unref();
    });
    const answer = check().then(
      () => null,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  };

  const statusOf = (name: string): Promise<string | null> => {
    const cached = known.get(name);
    if (cached && now() - cached.at < ttlMs) return cached.result;
    const result = probe(name);
    known.set(name, { at: now(), result });
    return result;
  };

  const outage = (name: string): ServiceUnavailableError => {
    const { code, what } = OUTAGE[name] ?? { code: 'service_unavailable', what: `A required service (${name})` };
    return new ServiceUnavailableError(code, `${what} is not reachable right now; nothing was stored. Please retry shortly.`);
  };

  return {
    async require(names) {
      const problems = await Promise.all(names.map(async (name) => [name, await statusOf(name)] as const));
      const down = problems.find(([, problem]) => problem !== null);
      if (down) throw outage(down[0]);
    },
    markDown(name, reason) {
      known.set(name, { at: now(), result: Promise.resolve(reason) });
    },
    outage,
  };
}
