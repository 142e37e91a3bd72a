import { loadOwnerSettings } from './ownerSettings';
import type { NotifyActivityDeps, NotifyInput } from './types';

/** The e-mail to the owner, when they asked for e-mail. */
export function createEmailActivities(deps: NotifyActivityDeps) {
  return {
    /** E-mails the owner, if they asked for e-mail. A separate activity, so a webhook retry never re-sends it. */
    async sendEmail({ submissionId, event }: NotifyInput): Promise<boolean> {
      const loaded = await loadOwnerSettings(deps, submissionId);
      if (!loaded?.settings.emailEnabled) return false;
      const { n, sub } = loaded;
      const user = await n.users.findById(sub.userId);
      if (!user) return false;
      const analysis = event === 'submission.completed' ? await deps.results.findAnalysis(submissionId) : null;
      const what = event === 'submission.completed' ? 'has been transcribed and analysed' : 'could not be processed';
      await n.mailer.send({
        to: user.email,
        subject: `Your feedback "${sub.title ?? 'recording'}" ${what}`,
        text: `Your feedback ${sub.title ? `"${sub.title}" ` : ''}${what}.${analysis ? ` Sentiment: ${analysis.sentiment.label}.` : ''}\n`,
      });
      return true;
    },
  };
}
