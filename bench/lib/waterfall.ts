/**
 * The stage timeline of one submission, read from its `submission_events` rows (each status change is stamped
 * by PostgreSQL) and the model compute its job runs reported. Times are milliseconds from the moment the
 * client began its upload; the bench prints p50 per stage as a waterfall.
 */
export interface StageEvent {
  status: string;
  createdAt: Date;
}

export interface Timeline {
  /** Stage name → milliseconds spent in it. */
  stages: Record<string, number>;
}

/** The order the waterfall prints, with what each span covers. */
export const STAGES: { key: string; what: string }[] = [
  { key: 'upload', what: 'HTTP upload → row inserted (pending)' },
  { key: 'start', what: 'workflow start + first task → validating' },
  { key: 'validate+store', what: 'validateAudio + storeAudio → stored' },
  { key: 'status', what: 'stored → transcribing (status writes)' },
  { key: 'transcribe.compute', what: 'Whisper compute in the job run' },
  { key: 'transcribe.overhead', what: 'submit → start, polling, output fetch, upsert' },
  { key: 'analyze.compute', what: 'analysis compute in the job run' },
  { key: 'analyze.overhead', what: 'submit → start, polling, output fetch, upsert, completed write' },
];

const at = (events: StageEvent[], status: string): number | undefined => {
  const e = events.find((x) => x.status === status);
  return e ? e.createdAt.getTime() : undefined;
};

/** Splits one submission's life into the spans of `STAGES`; spans whose events are missing are left out. */
export function timelineOf(uploadStartMs: number, events: StageEvent[], transcribeComputeMs: number, analyzeComputeMs: number): Timeline {
  const t = {
    pending: at(events, 'pending'),
    validating: at(events, 'validating'),
    stored: at(events, 'stored'),
    transcribing: at(events, 'transcribing'),
    analyzing: at(events, 'analyzing'),
    completed: at(events, 'completed'),
  };
  const span = (a?: number, b?: number) => (a !== undefined && b !== undefined ? b - a : undefined);
  const transcribe = span(t.transcribing, t.analyzing);
  const analyze = span(t.analyzing, t.completed);
  const raw: Record<string, number | undefined> = {
    upload: span(uploadStartMs, t.pending),
    start: span(t.pending, t.validating),
    'validate+store': span(t.validating, t.stored),
    status: span(t.stored, t.transcribing),
    'transcribe.compute': transcribeComputeMs,
    'transcribe.overhead': transcribe === undefined ? undefined : transcribe - transcribeComputeMs,
    'analyze.compute': analyzeComputeMs,
    // The 'completed' status write cannot be told apart from the analysis activity by events: it is counted here.
    'analyze.overhead': analyze === undefined ? undefined : analyze - analyzeComputeMs,
  };
  const stages: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) stages[k] = v;
  return { stages };
}

/** Prints p50 of every stage as a bar on one time axis (each bar starts where the previous p50 ended). */
export function printWaterfall(label: string, timelines: Timeline[], pct: (xs: number[], q: number) => number): void {
  const rows = STAGES.map(({ key, what }) => {
    const xs = timelines.map((t) => t.stages[key]).filter((x): x is number => x !== undefined);
    return { key, what, p50: xs.length ? pct(xs, 0.5) : 0, p95: xs.length ? pct(xs, 0.95) : 0 };
  });
  const total = rows.reduce((s, r) => s + r.p50, 0);
  const scale = 50 / Math.max(total, 1);
  console.log(`\n  waterfall, ${label} (ms; bars are p50 on one axis, sum ${Math.round(total)} ms)`);
  console.log(`  ${'stage'.padEnd(20)} ${'p50'.padStart(6)} ${'p95'.padStart(6)}`);
  let offset = 0;
  for (const r of rows) {
    const pad = Math.round(offset * scale);
    const len = Math.max(r.p50 > 0 ? 1 : 0, Math.round(r.p50 * scale));
    const bar = ' '.repeat(pad) + '█'.repeat(len);
    console.log(`  ${r.key.padEnd(20)} ${String(Math.round(r.p50)).padStart(6)} ${String(Math.round(r.p95)).padStart(6)}  |${bar.padEnd(52)}| ${r.what}`);
    offset += r.p50;
  }
}
