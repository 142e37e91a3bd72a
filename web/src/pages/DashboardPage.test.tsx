import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { json, mockFetch, signedInAs } from '../test/helpers';
import DashboardPage from './DashboardPage';

// Canvas drawing is Chart.js's business (and jsdom has no canvas): check what the page gives each chart.
vi.mock('react-chartjs-2', () => {
  const fake = (kind: string) => (props: { 'aria-label'?: string; data: { labels: string[] } }) => (
    <div role="img" aria-label={props['aria-label']} data-chart={kind} data-labels={props.data.labels.join(',')} />
  );
  return { Line: fake('line'), Bar: fake('bar'), Doughnut: fake('doughnut') };
});

const dashboard = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-28T00:00:00.000Z',
  countsByStatus: { completed: 3, failed: 1 },
  total: 4,
  countsByLanguage: [
    { language: 'de', count: 3 },
    { language: null, count: 1 },
  ],
  submissionsPerDay: [
    { day: '2026-11-26', count: 1 },
    { day: '2026-11-27', count: 3 },
  ],
  averageSentiment: -0.25,
  topIntents: [{ intent: 'bug_report', count: 2 }],
  topKeywords: [{ keyword: 'checkout', count: 2 }],
  processingSuccessRate: 0.75,
  medianProcessingMs: 6100,
};

describe('DashboardPage', () => {
  it('shows the figures, describes each chart in words, and refetches when a filter changes', async () => {
    signedInAs({ role: 'analyst' });
    const seen: string[] = [];
    mockFetch({
      'GET /api/analytics/dashboard': (req) => {
        seen.push(new URL(req.url).search);
        return json(200, dashboard);
      },
      'GET /api/analytics/sentiment-trends': (req) => {
        seen.push(new URL(req.url).search);
        return json(200, [{ bucket: '2026-11-27', positive: 1, neutral: 0, negative: 2, averageScore: -0.3 }]);
      },
      'GET /api/analytics/intents': () => json(200, [{ intent: 'bug_report', count: 2, share: 1 }]),
    });
    render(<DashboardPage />);
    const kpis = await screen.findByTestId('kpis');
    expect(kpis).toHaveTextContent('4submissions');
    expect(kpis).toHaveTextContent('75 %processed successfully');
    expect(kpis).toHaveTextContent('6.1 smedian processing time');
    expect(screen.getByRole('img', { name: /Submissions per day: 2026-11-26 1, 2026-11-27 3/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /2026-11-27 1 positive, 0 neutral, 2 negative/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Intents: bug_report 100 %' })).toBeInTheDocument();
    expect(screen.getByTestId('keywords')).toHaveTextContent('checkout (2)');
    expect(screen.getByTestId('languages')).toHaveTextContent('German: 3');
    expect(screen.getByTestId('languages')).toHaveTextContent('not known yet: 1');

    await userEvent.selectOptions(screen.getByLabelText('Trend by'), 'week');
    await userEvent.selectOptions(screen.getByLabelText('Category'), 'bug');
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'de');
    await waitFor(() => expect(seen.some((q) => q.includes('interval=week') && q.includes('category=bug') && q.includes('language=de'))).toBe(true));
  });

  it('says so when the figures cannot be loaded, and retries', async () => {
    signedInAs({ role: 'analyst' });
    let fail = true;
    mockFetch({
      'GET /api/analytics/dashboard': () => (fail ? json(503, { error: { code: 'unavailable', message: 'The database is not answering.' } }) : json(200, dashboard)),
      'GET /api/analytics/sentiment-trends': () => json(200, []),
      'GET /api/analytics/intents': () => json(200, []),
    });
    render(<DashboardPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is not answering.');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('kpis')).toHaveTextContent('4submissions');
  });
});
