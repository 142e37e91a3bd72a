import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, signedInAs } from '../test/helpers';
import { OrgModels, type OrgModelRun } from './OrgModels';

const org = { id: '22222222-2222-4222-8222-222222222222', name: 'Support', personal: false, createdAt: '2026-11-01T00:00:00.000Z' };
const activated: OrgModelRun = {
  id: 'r1', modelVersion: 'voyce-org-2fa38bdf6e', status: 'activated', active: true, labels: 63,
  evaluation: { before: 0.8571, after: 0.9101, n: 63 }, error: null, createdAt: '2026-12-07T10:00:00.000Z',
};

describe('OrgModels', () => {
  it('lists runs with status, active, corrections and held-out accuracy; an owner trains', async () => {
    signedInAs();
    let items: OrgModelRun[] = [activated];
    let posted = 0;
    mockFetch({
      'GET /api/orgs/22222222-2222-4222-8222-222222222222/models': () => json(200, { items }),
      'POST /api/orgs/22222222-2222-4222-8222-222222222222/models': () => {
        posted++;
        items = [{ ...activated, id: 'r2', status: 'queued', active: false, modelVersion: null, labels: 0, evaluation: null }, ...items];
        return json(202, { training: { id: 'r2', status: 'queued' } });
      },
    });
    render(<OrgModels org={org} role="owner" />);
    const row = await screen.findByRole('row', { name: /voyce-org-2fa38bdf6e/ });
    expect(row).toHaveTextContent('activated');
    expect(row).toHaveTextContent('yes');
    expect(row).toHaveTextContent('85.7 % → 91.0 % on 63');
    await userEvent.click(screen.getByRole('button', { name: 'Train model' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Train model' })).toBeDisabled());
    expect(posted).toBe(1);
    expect(screen.getByRole('status')).toHaveTextContent('Training started');
  });

  it('an analyst sees the runs but no Train button; too few corrections says how many', async () => {
    signedInAs();
    mockFetch({
      'GET /api/orgs/22222222-2222-4222-8222-222222222222/models': () =>
        json(200, { items: [{ ...activated, status: 'insufficient_labels', active: false, modelVersion: null, labels: 3, evaluation: { before: null, after: null, n: 3 } }] }),
    });
    render(<OrgModels org={org} role="analyst" />);
    expect(await screen.findByText('too few corrections')).toBeInTheDocument();
    expect(screen.getByText('3 corrections')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Train model' })).toBeNull();
  });
});
