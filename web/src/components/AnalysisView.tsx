import type { Analysis } from '../api/types';

const pct = (x: number) => `${Math.round(x * 100)} %`;

const INTENTS: Record<string, string> = {
  bug_report: 'reports a problem',
  complaint: 'is a complaint',
  feature_request: 'asks for a feature',
  praise: 'is praise',
  question: 'asks a question',
  suggestion: 'makes a suggestion',
  other: 'is general feedback',
};

/** "feature_request" → "asks for a feature"; unknown labels are shown as words. */
export const intentPhrase = (label: string) => INTENTS[label] ?? `is about “${label.replace(/_/g, ' ')}”`;

export function sentimentSentence(s: Analysis['sentiment']): string {
  const strength = Math.abs(s.score) >= 0.6 ? 'clearly ' : Math.abs(s.score) >= 0.25 ? '' : 'slightly ';
  const tone = s.label === 'neutral' ? 'neutral' : `${strength}${s.label}`;
  return `Overall the feedback sounds ${tone} (score ${s.score.toFixed(2)} from −1 to 1, ${pct(s.confidence)} confident).`;
}

export function importanceWord(score: number): string {
  return score >= 0.7 ? 'High' : score >= 0.4 ? 'Medium' : 'Low';
}

/** The analysis in plain language: tone, emotions, intent, what to do, keywords, importance. */
export function AnalysisView({ analysis }: { analysis: Analysis }) {
  const emotions = [...analysis.emotions].sort((a, b) => b.score - a.score).slice(0, 4);
  return (
    <section className="card analysis" aria-labelledby="analysis-title">
      <h2 id="analysis-title">What it says</h2>
      <p className={`sentiment sentiment-${analysis.sentiment.label}`}>{sentimentSentence(analysis.sentiment)}</p>
      <p>
        It {intentPhrase(analysis.intent.label)} ({pct(analysis.intent.confidence)} confident). Importance: <strong>{importanceWord(analysis.importanceScore)}</strong> (
        {analysis.importanceScore.toFixed(2)}).
      </p>
      {emotions.length > 0 && (
        <>
          <h3>Emotions heard</h3>
          <ul className="bars">
            {emotions.map((e) => (
              <li key={e.label}>
                <span className="bar-label">{e.label}</span>
                <meter min={0} max={1} value={e.score} aria-label={`${e.label} ${pct(e.score)}`} />
                <span className="bar-value">{pct(e.score)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Action items</h3>
      {analysis.actionItems.length === 0 ? (
        <p className="muted">None found.</p>
      ) : (
        <ul>
          {analysis.actionItems.map((a, i) => (
            <li key={i}>
              <span className={`priority priority-${a.priority}`}>{a.priority}</span> <bdi>{a.text}</bdi>
            </li>
          ))}
        </ul>
      )}
      {analysis.keywords.length > 0 && (
        <>
          <h3>Keywords</h3>
          <ul className="chips">
            {analysis.keywords.map((k) => (
              <li key={k} dir="auto">
                {k}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">Model {analysis.modelVersion}</p>
    </section>
  );
}
