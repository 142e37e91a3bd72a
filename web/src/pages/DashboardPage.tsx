import { useCallback, useState } from 'react';
import { ArcElement, BarElement, CategoryScale, Chart as ChartJS, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Bar, Doughnut, Line } from 'react-chartjs-2';
import { api, messageOf, rawRequest } from '../api/client';
import type { Dashboard, IntentShare, TrendBucket } from '../api/types';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useAsync } from '../hooks/useAsync';
import { LanguageSelect, languageName } from '../languages';
import { CATEGORIES } from './RecordPage';
import { usePageTitle } from './usePageTitle';

// Only what these three charts use, so the rest of Chart.js stays out of the bundle.
ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, BarElement, ArcElement, Filler, Tooltip, Legend);

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const COLORS = { positive: '#1a7f37', neutral: '#6e7781', negative: '#cf222e', accent: '#3b2fc9' };
const INTENT_COLORS = ['#3b2fc9', '#1a7f37', '#cf222e', '#9a6700', '#0969da', '#8250df', '#6e7781'];

/** A chart for sighted users and the same numbers as a table for everyone else. */
function Figure({ title, summary, children, table }: { title: string; summary: string; children: React.ReactNode; table: { head: string[]; rows: (string | number)[][] } }) {
  return (
    <figure className="card chart">
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      {/* react-chartjs-2 renders the canvas as role="img"; its aria-label (the summary) is given by each chart. */}
      <div className="chart-box" title={summary}>
        {children}
      </div>
      <details>
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              {table.head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <p className="kpi-value">{value}</p>
      <p className="kpi-label">{label}</p>
    </div>
  );
}

/** Analysts' (and admins') dashboard: volume, sentiment trend, intents, keywords, pipeline health; export. */
export default function DashboardPage() {
  usePageTitle('Dashboard');
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 29 * DAY)));
  const [to, setTo] = useState(isoDay(new Date()));
  const [category, setCategory] = useState('');
  const [language, setLanguage] = useState('');
  const [interval, setInterval] = useState<'day' | 'week' | 'month'>('day');
  const [exportError, setExportError] = useState<string | null>(null);
  // `to` is inclusive for people, exclusive for the API.
  const query = useCallback(() => {
    const q = new URLSearchParams({ from, to: isoDay(new Date(new Date(to).getTime() + DAY)) });
    if (category) q.set('category', category);
    if (language) q.set('language', language);
    return q;
  }, [from, to, category, language]);
  const data = useAsync(
    async (signal) => {
      const q = query();
      const [dashboard, trends, intents] = await Promise.all([
        api<Dashboard>(`/api/analytics/dashboard?${q}`, { signal }),
        api<TrendBucket[]>(`/api/analytics/sentiment-trends?${q}&interval=${interval}`, { signal }),
        api<IntentShare[]>(`/api/analytics/intents?${q}`, { signal }),
      ]);
      return { dashboard, trends, intents };
    },
    [query, interval],
  );

  const download = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const res = await rawRequest(`/api/analytics/export?${query()}&format=${format}`, { headers: { accept: format === 'csv' ? 'text/csv' : 'application/json' } });
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `voyce-export-${from}-${to}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(messageOf(err));
    }
  };

  const d = data.data;
  // What each chart shows, in words: the canvas's accessible name.
  const summary = d && {
    perDay: `Submissions per day: ${d.dashboard.submissionsPerDay.map((p) => `${p.day} ${p.count}`).join(', ') || 'none'}`,
    trend: `Sentiment per ${interval}: ${d.trends.map((t) => `${t.bucket} ${t.positive} positive, ${t.neutral} neutral, ${t.negative} negative`).join('; ') || 'none'}`,
    intents: `Intents: ${d.intents.map((i) => `${i.intent} ${Math.round(i.share * 100)} %`).join(', ') || 'none'}`,
  };
  return (
    <>
      <h1>Dashboard</h1>
      <form className="filters card" onSubmit={(e) => e.preventDefault()} aria-label="Dashboard filters">
        <div className="field">
          <label htmlFor="from">From</label>
          <input id="from" type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="to">To</label>
          <input id="to" type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="category">Category</label>
          <select id="category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <LanguageSelect id="language" label="Language" emptyLabel="All" value={language} onChange={setLanguage} />
        <div className="field">
          <label htmlFor="interval">Trend by</label>
          <select id="interval" value={interval} onChange={(e) => setInterval(e.target.value as 'day' | 'week' | 'month')}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </div>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => void download('csv')}>
            Export CSV
          </button>
          <button type="button" className="button secondary" onClick={() => void download('json')}>
            Export JSON
          </button>
        </div>
      </form>
      {exportError && (
        <p className="notice notice-error" role="alert">
          {exportError}
        </p>
      )}
      {data.error !== null && <ErrorMessage error={data.error} onRetry={data.reload} />}
      {data.loading && !d && <Loading label="Loading the figures…" />}
      {d && summary && (
        <div aria-busy={data.loading}>
          <div className="kpis" data-testid="kpis">
            <Kpi label="submissions" value={String(d.dashboard.total)} />
            <Kpi label="processed successfully" value={d.dashboard.processingSuccessRate === null ? '–' : `${Math.round(d.dashboard.processingSuccessRate * 100)} %`} />
            <Kpi label="median processing time" value={d.dashboard.medianProcessingMs === null ? '–' : `${(d.dashboard.medianProcessingMs / 1000).toFixed(1)} s`} />
            <Kpi label="average sentiment (−1…1)" value={d.dashboard.averageSentiment === null ? '–' : d.dashboard.averageSentiment.toFixed(2)} />
          </div>
          <div className="grid">
            <Figure
              title="Submissions over time"
              summary={summary.perDay}
              table={{ head: ['day', 'submissions'], rows: d.dashboard.submissionsPerDay.map((p) => [p.day, p.count]) }}
            >
              <Line
                aria-label={summary.perDay}
                options={{ responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
                data={{
                  labels: d.dashboard.submissionsPerDay.map((p) => p.day),
                  datasets: [{ label: 'submissions', data: d.dashboard.submissionsPerDay.map((p) => p.count), borderColor: COLORS.accent, backgroundColor: 'rgba(59,47,201,0.15)', fill: true, tension: 0.25 }],
                }}
              />
            </Figure>
            <Figure
              title={`Sentiment by ${interval}`}
              summary={summary.trend}
              table={{ head: [interval, 'positive', 'neutral', 'negative', 'average'], rows: d.trends.map((t) => [t.bucket, t.positive, t.neutral, t.negative, t.averageScore.toFixed(2)]) }}
            >
              <Bar
                aria-label={summary.trend}
                options={{ responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }}
                data={{
                  labels: d.trends.map((t) => t.bucket),
                  datasets: (['positive', 'neutral', 'negative'] as const).map((k) => ({ label: k, data: d.trends.map((t) => t[k]), backgroundColor: COLORS[k] })),
                }}
              />
            </Figure>
            <Figure
              title="Intent share"
              summary={summary.intents}
              table={{ head: ['intent', 'count', 'share'], rows: d.intents.map((i) => [i.intent, i.count, `${Math.round(i.share * 100)} %`]) }}
            >
              <Doughnut
                aria-label={summary.intents}
                options={{ responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'right' } } }}
                data={{ labels: d.intents.map((i) => i.intent.replace(/_/g, ' ')), datasets: [{ data: d.intents.map((i) => i.count), backgroundColor: INTENT_COLORS }] }}
              />
            </Figure>
            <section className="card" aria-labelledby="keywords-title">
              <h2 id="keywords-title">Top keywords</h2>
              {d.dashboard.topKeywords.length === 0 ? (
                <p className="muted">No keywords in this period.</p>
              ) : (
                <ol className="keywords" data-testid="keywords">
                  {d.dashboard.topKeywords.map((k) => (
                    <li key={k.keyword}>
                      {k.keyword} <span className="muted">({k.count})</span>
                    </li>
                  ))}
                </ol>
              )}
              <h3>Most common intents</h3>
              <ul>
                {d.dashboard.topIntents.slice(0, 5).map((i) => (
                  <li key={i.intent}>
                    {i.intent.replace(/_/g, ' ')}: {i.count}
                  </li>
                ))}
              </ul>
              <h3>By status</h3>
              <ul className="chips">
                {Object.entries(d.dashboard.countsByStatus).map(([k, v]) => (
                  <li key={k}>
                    {k}: {v}
                  </li>
                ))}
              </ul>
              <h3>By language</h3>
              <ul className="chips" data-testid="languages">
                {d.dashboard.countsByLanguage.map((l) => (
                  <li key={l.language ?? ''}>
                    {l.language === null ? 'not known yet' : languageName(l.language)}: {l.count}
                  </li>
                ))}
              </ul>
            </section>
          </div>
        </div>
      )}
    </>
  );
}
