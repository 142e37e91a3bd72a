/**
 * The worker's /metrics read by the bench: the `notice` phase of job runs (run ended → the activity saw it) and
 * how each runs/get of a waiting activity came about (`voyce_job_run_notices_total{by}`), so a phase's figures
 * can be told apart between polling and completion by callback. Counters are cumulative: diff two snapshots.
 */
export interface WorkerSnapshot {
  /** `${stage}` → seconds summed / count of the notice phase. */
  noticeSum: Record<string, number>;
  noticeCount: Record<string, number>;
  /** `${stage}/${by}` → runs/get made for that reason (callback mode only). */
  looks: Record<string, number>;
}

const label = (labels: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(labels)?.[1] ?? '?';

export async function snapshot(metricsUrl: string): Promise<WorkerSnapshot> {
  const text = await (await fetch(metricsUrl)).text();
  const s: WorkerSnapshot = { noticeSum: {}, noticeCount: {}, looks: {} };
  for (const m of text.matchAll(/^voyce_job_run_phase_seconds_(sum|count)\{([^}]*)\} ([\d.e+-]+)/gm)) {
    const labels = m[2] ?? '';
    if (label(labels, 'phase') !== 'notice') continue;
    const into = m[1] === 'sum' ? s.noticeSum : s.noticeCount;
    const stage = label(labels, 'stage');
    into[stage] = (into[stage] ?? 0) + Number(m[3]);
  }
  for (const m of text.matchAll(/^voyce_job_run_notices_total\{([^}]*)\} (\d+)/gm)) {
    const key = `${label(m[1] ?? '', 'stage')}/${label(m[1] ?? '', 'by')}`;
    s.looks[key] = (s.looks[key] ?? 0) + Number(m[2]);
  }
  return s;
}

/** One line per stage: the mean notice between two snapshots, and the runs/get by reason. */
export function describeDelta(before: WorkerSnapshot, after: WorkerSnapshot): string[] {
  const lines: string[] = [];
  for (const stage of ['transcription', 'analysis']) {
    const n = (after.noticeCount[stage] ?? 0) - (before.noticeCount[stage] ?? 0);
    const sum = (after.noticeSum[stage] ?? 0) - (before.noticeSum[stage] ?? 0);
    const looks = ['start', 'callback', 'poll']
      .map((by) => [by, (after.looks[`${stage}/${by}`] ?? 0) - (before.looks[`${stage}/${by}`] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .map(([by, v]) => `${by} ${v}`)
      .join(', ');
    lines.push(`  ${stage} notice (run ended → activity saw it) mean ${n ? ((sum / n) * 1000).toFixed(0) : '-'} ms over ${n} runs; runs/get by reason: ${looks || 'polling mode'}`);
  }
  return lines;
}
