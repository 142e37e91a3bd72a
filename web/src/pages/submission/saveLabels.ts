import type { Labels, LabelsChange } from '@voyce/api-client';
import { client } from '../../api/client';

/** PUT /api/submissions/{id}/labels: the correction as it now is, null once nothing is corrected. */
export async function saveLabels(submissionId: string, change: LabelsChange): Promise<Labels | null> {
  const { labels } = await client.call('put', '/api/submissions/{id}/labels', { params: { id: submissionId }, body: change });
  return labels;
}
