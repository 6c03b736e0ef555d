import { copyFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineJobKind, type JobKind, type ResourceClass } from '../../src/engine/jobs';
import { LacunaError, throwIfAborted } from '../../src/engine/util/errors';

// Job kinds for the queue tests: real work in steps (scratch files written, the signal checked
// each step), with timing the tests control. No vitest imports: the crash-test child uses them.

export interface StepEvent {
  jobId: string;
  kind: string;
  event: 'start' | 'step' | 'end';
  step?: number;
  at: number;
}

const StepParams = z.object({
  name: z.string().default('job'),
  steps: z.number().int().min(1),
  stepMs: z.number().min(0),
  /** Fail at this step with a LacunaError (to test failures). */
  failAt: z.number().int().optional(),
  /** A file to copy as the result (else a small text file is written). */
  copyFrom: z.string().optional(),
});
export type StepParams = z.input<typeof StepParams>;

/**
 * A kind that works for `steps` steps of `stepMs` each, writing a scratch file first and a
 * result at the end. `events` records when each job ran, so tests can check overlap.
 */
export function stepKind(id: string, resource: ResourceClass, events: StepEvent[] = []): JobKind {
  return defineJobKind({
    id,
    label: `Step ${id}`,
    category: 'utility',
    description: 'Test work in steps.',
    resource,
    params: StepParams,
    interrupted: { resumable: true, note: 'Retry starts it again from step 1.' },
    describe: (p) => `${id} ${p.name}`,
    async run(ctx, p) {
      const scratch = await ctx.temp.file('scratch.bin');
      await writeFile(scratch, Buffer.alloc(4096, 1));
      events.push({ jobId: ctx.jobId, kind: id, event: 'start', at: performance.now() });
      try {
        for (let i = 0; i < p.steps; i++) {
          throwIfAborted(ctx.signal, 'the step job');
          if (p.failAt === i) throw new LacunaError('MEDIA_UNREADABLE', `step ${i} could not read its input`, 'Check the input file.');
          await sleep(p.stepMs);
          events.push({ jobId: ctx.jobId, kind: id, event: 'step', step: i, at: performance.now() });
          ctx.progress('working', i + 1, p.steps);
        }
        throwIfAborted(ctx.signal, 'the step job');
      } finally {
        events.push({ jobId: ctx.jobId, kind: id, event: 'end', at: performance.now() });
      }
      const out = await ctx.temp.file(p.copyFrom ? 'render.mp4' : 'render.txt');
      if (p.copyFrom) await copyFile(p.copyFrom, out);
      else await writeFile(out, `rendered ${p.name}\n`);
      return { take: { file: out, sourceStart: 0, params: { engine: id, extra: { steps: p.steps } } } };
    },
  });
}
