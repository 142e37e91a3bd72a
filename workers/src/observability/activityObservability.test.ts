import { Writable } from 'node:stream';
import pino from 'pino';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { log } from '@temporalio/activity';
import { activityObservability, outcomeOf, submissionIdOf } from './activityObservability';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const info = { activityType: 'markStatus', attempt: 2, workflowExecution: { workflowId: 'submission-abc', runId: 'run-1' } };

describe('activityObservability', () => {
  it('logs each attempt with the workflow, run and submission ids and its duration', async () => {
    const { logger, lines } = capturingLogger();
    const env = new MockActivityEnvironment(info, { interceptors: [activityObservability(logger)] });
    const result = await env.run(async (input: { submissionId: string }) => `done ${input.submissionId}`, { submissionId: 'abc' });
    expect(result).toBe('done abc');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'activity completed',
      workflowId: 'submission-abc',
      runId: 'run-1',
      submissionId: 'abc',
      activity: 'markStatus',
      attempt: 2,
      outcome: 'completed',
    });
    expect(typeof lines[0]!.durationMs).toBe('number');
  });

  it('logs a failed attempt with its failure type and rethrows it unchanged', async () => {
    const { logger, lines } = capturingLogger();
    const env = new MockActivityEnvironment(info, { interceptors: [activityObservability(logger)], logger: silent });
    const failure = ApplicationFailure.nonRetryable('bad audio', 'AudioRejected');
    await expect(env.run(async () => { throw failure; }, { submissionId: 'abc' })).rejects.toBe(failure);
    expect(lines[0]).toMatchObject({ msg: 'activity attempt failed', outcome: 'failed', reason: 'AudioRejected', submissionId: 'abc', level: 40 });
  });

  it('adds the submission id to the activity’s own log calls', async () => {
    const { logger } = capturingLogger();
    const seen: Record<string, unknown>[] = [];
    const sdkLogger = {
      log: (_l: string, _m: string, meta?: Record<string, unknown>) => seen.push(meta ?? {}),
      trace: () => undefined, debug: () => undefined,
      info: (_m: string, meta?: Record<string, unknown>) => seen.push(meta ?? {}),
      warn: () => undefined, error: () => undefined,
    };
    const env = new MockActivityEnvironment(info, { interceptors: [activityObservability(logger)], logger: sdkLogger });
    await env.run(async () => log.info('working'), { submissionId: 'xyz' });
    expect(seen.some((meta) => meta.submissionId === 'xyz')).toBe(true);
  });
});

describe('submissionIdOf / outcomeOf', () => {
  it('finds the id in an input object or a bare string, and nothing elsewhere', () => {
    expect(submissionIdOf([{ submissionId: 'a' }])).toBe('a');
    expect(submissionIdOf(['b'])).toBe('b');
    expect(submissionIdOf([{ other: 1 }])).toBeUndefined();
    expect(submissionIdOf([])).toBeUndefined();
  });
  it('classifies outcomes', () => {
    expect(outcomeOf(undefined)).toEqual({ outcome: 'completed', reason: '' });
    expect(outcomeOf(new CancelledFailure('x'))).toEqual({ outcome: 'cancelled', reason: 'cancelled' });
    expect(outcomeOf(new TypeError('x'))).toEqual({ outcome: 'failed', reason: 'TypeError' });
  });
});
