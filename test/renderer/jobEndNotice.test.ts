import { describe, expect, it } from 'vitest';
import { jobEndNotice, LONG_JOB_MS } from '../../src/renderer/src/jobs/jobEndNotice';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 3, 12) + ms).toISOString();
const job = (state: string, ms: number) => ({ state, label: 'Remove the dog · shot 4', startedAt: at(0), finishedAt: at(ms) }) as Parameters<typeof jobEndNotice>[0];

describe('jobEndNotice', () => {
  it('tells the desktop when a long render finishes or fails', () => {
    expect(jobEndNotice(job('done', LONG_JOB_MS))).toEqual({ title: 'Render finished', body: 'Remove the dog · shot 4' });
    expect(jobEndNotice(job('failed', 10 * 60_000))).toEqual({ title: 'Render failed', body: 'Remove the dog · shot 4' });
  });

  it('stays quiet for a short job, a cancelled one, and one that has not finished', () => {
    expect(jobEndNotice(job('done', LONG_JOB_MS - 1))).toBeNull();
    expect(jobEndNotice(job('cancelled', 10 * 60_000))).toBeNull();
    expect(jobEndNotice({ ...job('running', 0), finishedAt: null })).toBeNull();
  });
});
