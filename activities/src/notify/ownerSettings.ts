import type { NotifyActivityDeps } from './types';

/** The submission and its owner's settings, or null when there is nothing to tell anyone. */
export async function loadOwnerSettings(deps: NotifyActivityDeps, submissionId: string) {
  const n = deps.notifier;
  if (!n) return null;
  const sub = await deps.submissions.findById(submissionId);
  if (!sub) return null;
  return { n, sub, settings: await n.settings.get(sub.userId) };
}
