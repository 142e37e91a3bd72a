/**
 * The worker's /metrics read by the bench: the phases of job runs (submit, queued, execution, notice = run ended →
 * the activity saw it, output_fetch), how each runs/get of a waiting activity came about
 * (`voyce_job_run_notices_total{by}`), and each activity's queue wait and duration, so a stage of the waterfall can
 * be split into its parts. Counters and histograms are cumulative: diff two snapshots.
 */
export interface WorkerSnapshot {
  /** Histogram key (`phase:${stage}/${phase}`, `wait:${activity}`, `run:${activity}`) → seconds summed / count. */
  sum: Record<string, number>;
  count: Record<string, number>;
  /** `${stage}/${by}` → runs/get made for that reason (callback mode only). */
  looks: Record<string, number>;
}

const label = (labels: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(labels)?.[1] ?? '?';

const HISTOGRAMS: { metric: string; key: (labels: string) => string | null }[] = [
  { metric: 'voyce_job_run_phase_seconds', key: (l) => `phase:${label(l, 'stage')}/${label(l, 'phase')}` },
  { metric: 'voyce_activity_queue_wait_seconds', key: (l) => `wait:${label(l, 'activity')}` },
  { metric: 'voyce_activity_duration_seconds', key: (l) => (label(l, 'outcome') === 'completed' ? `run:${label(l, 'activity')}` : null) },
];

export async function snapshot(metricsUrl: string): Promise<WorkerSnapshot> {
  const text = await (await fetch(metricsUrl)).text();
  const s: WorkerSnapshot = { sum: {}, count: {}, looks: {} };
  for (const { metric, key } of HISTOGRAMS) {
    for (const m of text.matchAll(new RegExp(`^${metric}_(sum|count)\\{([^}]*)\\} ([\\d.e+-]+)`, 'gm'))) {
      const k = key(m[2] ?? '');
      if (k === null) continue;
      const into = m[1] === 'sum' ? s.sum : s.count;
      into[k] = (into[k] ?? 0) + Number(m[3]);
    }
  }
  for (const m of text.matchAll(/^voyce_job_run_notices_total\{([^}]*)\} (\d+)/gm)) {
    const key = `${label(m[1] ?? '', 'stage')}/${label(m[1] ?? '', 'by')}`;
    s.looks[key] = (s.looks[key] ?? 0) + Number(m[2]);
  }
  return s;
}

const meanMs = (before: WorkerSnapshot, after: WorkerSnapshot, key: string): { n: number; ms: number | null } => {
  const n = (after.count[key] ?? 0) - (before.count[key] ?? 0);
  const sum = (after.sum[key] ?? 0) - (before.sum[key] ?? 0);
  return { n, ms: n > 0 ? (sum / n) * 1000 : null };
};
const show = (x: { ms: number | null }) => (x.ms === null ? '-' : `${x.ms.toFixed(0)}`);

/** Lines for the span between two snapshots: job-run phases and runs/get by reason per stage, then each activity's mean queue wait and duration. */
export function describeDelta(before: WorkerSnapshot, after: WorkerSnapshot): string[] {
  const lines: string[] = [];
  for (const stage of ['transcription', 'analysis']) {
    const phases = ['submit', 'queued', 'execution', 'notice', 'output_fetch'].map((p) => `${p} ${show(meanMs(before, after, `phase:${stage}/${p}`))}`).join(', ');
    const n = meanMs(before, after, `phase:${stage}/notice`).n;
    const looks = ['start', 'callback', 'poll']
      .map((by) => [by, (after.looks[`${stage}/${by}`] ?? 0) - (before.looks[`${stage}/${by}`] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .map(([by, v]) => `${by} ${v}`)
      .join(', ');
    lines.push(`  ${stage} job run, mean ms over ${n} runs: ${phases}; runs/get by reason: ${looks || 'polling mode'}`);
  }
  const activities = [...new Set(Object.keys(after.count).filter((k) => k.startsWith('run:')).map((k) => k.slice(4)))].sort();
  const rows = activities
    .map((a) => ({ a, wait: meanMs(before, after, `wait:${a}`), run: meanMs(before, after, `run:${a}`) }))
    .filter((r) => r.run.n > 0)
    .map((r) => `${r.a} ${show(r.wait)}+${show(r.run)} (×${r.run.n})`);
  if (rows.length) lines.push(`  activities, mean ms queue wait + run: ${rows.join(', ')}`);
  return lines;
}
