import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../App';
import { navigate } from '../../router';
import { useSession } from '../../stores/session';
import { json, mockFetch, signedInAs, USER } from '../../test/helpers';

const id = '33333333-3333-4333-8333-333333333333';
const analysis = {
  sentiment: { label: 'negative', score: -0.6, confidence: 0.8 },
  emotions: [{ label: 'frustration', score: 0.7 }, { label: 'anger', score: 0.2 }],
  intent: { label: 'bug_report', confidence: 0.9 },
  actionItems: [],
  keywords: ['checkout'],
  importanceScore: 0.5,
  modelVersion: 'm1',
};
const submission = (labels: unknown) => ({
  id, userId: USER.id, orgId: USER.id, status: 'completed', title: 'Checkout', description: null, category: null, language: 'en', contentType: 'audio/wav', sizeBytes: 1, durationMs: 2000,
  createdAt: '2026-11-27T10:00:00.000Z', updatedAt: '2026-11-27T10:00:00.000Z', completedAt: '2026-11-27T10:00:02.000Z', progress: { stage: 'completed', attempts: 1 }, analysis, labels,
});

function serve(labels: unknown, put: (body: unknown) => Response) {
  const puts: unknown[] = [];
  mockFetch({
    [`GET /api/submissions/${id}`]: () => json(200, { submission: submission(labels) }),
    [`GET /api/submissions/${id}/audio`]: () => json(404, { error: { code: 'not_found', message: 'none' } }),
    [`PUT /api/submissions/${id}/labels`]: async (req) => {
      const body = await req.json();
      puts.push(body);
      return put(body);
    },
  });
  return puts;
}

const row = (field: string) => screen.getByTestId(`label-${field}`);

beforeEach(() => {
  useSession.getState().clear();
  signedInAs();
  navigate(`/feedback/${id}`, { replace: true });
});

describe('correcting the analysis on a submission page', () => {
  it("shows the model's values, saves a picked sentiment and then names who corrected it, beside the model's value", async () => {
    const puts = serve(null, (body) =>
      json(200, { labels: { sentiment: (body as { sentiment: string }).sentiment, intent: null, emotions: null, labelledBy: { id: USER.id, username: 'ann' }, labelledAt: '2026-11-27T12:00:00.000Z' } }),
    );
    render(<App />);
    await screen.findByRole('heading', { name: 'Corrections' });
    expect(row('sentiment')).toHaveTextContent("negative (the model’s)");
    expect(row('emotions')).toHaveTextContent('frustration, anger');

    await userEvent.click(within(row('sentiment')).getByRole('button', { name: 'Correct sentiment' }));
    const select = within(row('sentiment')).getByLabelText('Sentiment');
    expect(select).toHaveValue('negative'); // starts from the model's value
    await userEvent.selectOptions(select, 'positive');
    await userEvent.click(screen.getByRole('button', { name: 'Save sentiment' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Sentiment saved.');
    expect(puts).toEqual([{ sentiment: 'positive' }]);
    expect(row('sentiment')).toHaveTextContent(/positive \(corrected by ann, .+; the model said negative\)/);
    expect(row('intent')).toHaveTextContent("bug report (the model’s)");
    // Focus returns to the control that opened the editor.
    await waitFor(() => expect(within(row('sentiment')).getByRole('button', { name: 'Correct sentiment' })).toHaveFocus());
  });

  it('corrects emotions with the keyboard alone, refuses an empty choice, and shows the server’s refusal', async () => {
    const puts = serve(null, () => json(403, { error: { code: 'forbidden', message: 'Only the person who sent it can correct it.' } }));
    render(<App />);
    await screen.findByRole('heading', { name: 'Corrections' });
    within(row('emotions')).getByRole('button', { name: 'Correct emotions' }).focus();
    await userEvent.keyboard('{Enter}');
    const group = within(row('emotions')).getByRole('group', { name: 'Emotions heard' });
    const frustration = within(group).getByRole('checkbox', { name: 'frustration' });
    expect(frustration).toBeChecked();
    // Untick both preselected emotions with the keyboard: nothing picked is not a correction.
    frustration.focus();
    await userEvent.keyboard(' ');
    within(group).getByRole('checkbox', { name: 'anger' }).focus();
    await userEvent.keyboard(' ');
    await userEvent.click(screen.getByRole('button', { name: 'Save emotions' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Pick at least one emotion');
    expect(puts).toEqual([]);

    within(group).getByRole('checkbox', { name: 'joy' }).focus();
    await userEvent.keyboard(' ');
    screen.getByRole('button', { name: 'Save emotions' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText('Only the person who sent it can correct it.')).toBeInTheDocument();
    expect(puts).toEqual([{ emotions: ['joy'] }]);
  });

  it('shows an existing correction and clears it back to the model’s value; the open editor has no accessibility violations', async () => {
    const corrected = { sentiment: null, intent: 'praise', emotions: null, labelledBy: null, labelledAt: '2026-11-27T12:00:00.000Z' };
    const puts = serve(corrected, () => json(200, { labels: null }));
    render(<App />);
    await screen.findByRole('heading', { name: 'Corrections' });
    expect(row('intent')).toHaveTextContent(/praise \(corrected by a former member, .+; the model said bug report\)/);
    await userEvent.click(within(row('intent')).getByRole('button', { name: 'Correct intent' }));
    const results = await axe.run(screen.getByRole('region', { name: 'Corrections' }), { rules: { 'color-contrast': { enabled: false } } });
    expect(results.violations.map((v) => v.id)).toEqual([]);
    await userEvent.selectOptions(within(row('intent')).getByLabelText('Intent'), 'The model’s value (no correction)');
    await userEvent.click(screen.getByRole('button', { name: 'Save intent' }));
    await screen.findByRole('status');
    expect(puts).toEqual([{ intent: null }]);
    expect(row('intent')).toHaveTextContent("bug report (the model’s)");
  });
});
