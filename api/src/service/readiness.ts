import type { ApiDeps } from '../deps';

export type Check = () => Promise<void>;

const withTimeout = (p: Promise<void>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** The dependencies that must answer before this replica takes traffic. */
export function readinessChecks(deps: ApiDeps): Record<string, Check> {
  return {
    postgres: async () => {
      await deps.db.raw('select 1');
    },
    temporal: async () => {
      await deps.temporal.workflowService.getSystemInfo({});
    },
    blob: () => deps.blob.ping(),
  };
}

/** Runs every check concurrently; returns each one's outcome. */
export async function runChecks(checks: Record<string, Check>, timeoutMs = 3000): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, (err as Error).message.split('\n')[0] ?? 'error'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
