import { InvalidArgumentError, type Command } from 'commander';
import { findCases, isCaseFolder } from '../../engine/eval/caseFolder';
import { evaluateMedia } from '../../engine/eval/evaluateMedia';
import { meanScores, paperTable, scoreTable, VFID_UNAVAILABLE, type ScoredCase } from '../../engine/eval/scoreTable';
import { ffmpegPaths } from '../../engine/media/ffmpegLocator';
import { probeMedia } from '../../engine/media/probe';
import type { Rational } from '../../engine/util/rational';
import type { CliContext } from '../main';
import { fpsOption } from '../options';
import { progressTracker } from '../progressTracker';

interface EvalCliOptions {
  mask?: string;
  maskGrow: number;
  format: 'table' | 'paper';
  fps?: Rational;
  method: string;
}

function formatOption(text: string): 'table' | 'paper' {
  if (text !== 'table' && text !== 'paper') throw new InvalidArgumentError(`"${text}" is not a format; choose table or paper`);
  return text;
}

function growOption(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, got "${text}"`);
  return n;
}

/** `lacuna eval`: score a removal against its ground truth (one clip, or a folder of cases). */
export function registerEval(program: Command, ctx: CliContext): void {
  program
    .command('eval')
    .description('score a result against its ground truth: PSNR and SSIM (whole frame and inside the hole), E_warp and flicker')
    .argument('<result>', 'the result: a video, a folder of frames, or a folder of results named after the cases')
    .argument('<ground-truth>', 'the ground truth: a video or folder of frames, or a ROVI-style folder of cases')
    .option('--mask <matte>', 'the removal matte (white = hole); for a folder of cases, a folder of mattes named after the cases')
    .option('--mask-grow <px>', 'grow the hole by this many pixels before scoring inside it', growOption, 0)
    .option('--format <format>', 'table (every figure) or paper (the LGVI paper layout: PSNR / SSIM / VFID / E_warp)', formatOption, 'table' as const)
    .option('--method <name>', 'the method name in the paper layout', 'Lacuna')
    .option('--fps <rate>', 'frame rate of image sequences (only labels time; scores are per frame)', fpsOption)
    .addHelpText(
      'after',
      '\nExamples:\n  lacuna eval clean.mov plate_truth.mov --mask matte.mov\n  lacuna eval results/ ROVI/valid --format paper\n' +
        '\nA folder of cases holds Inpainted/<case> (ground truth), Annotations/<case> (masks) and meta_expressions.json,\n' +
        'as ROVI does; results are <result>/<case> (frames) or <result>/<case>.mov.',
    )
    .action(async (result: string, truth: string, o: EvalCliOptions) => {
      const reporter = ctx.reporter();
      const ffmpeg = ffmpegPaths();
      const probe = (p: string) => probeMedia(p, { fps: o.fps, signal: ctx.signal, ffmpeg });
      const folder = await isCaseFolder(truth);
      const jobs = folder ? await findCases(result, truth, o.mask ?? null) : [{ name: result, result, truth, mask: o.mask ?? null, expressions: [] as string[] }];
      const scored: (ScoredCase & { expressions: string[] })[] = [];
      for (const [k, c] of jobs.entries()) {
        const [r, g, m] = await Promise.all([probe(c.result), probe(c.truth), c.mask ? probe(c.mask) : Promise.resolve(null)]);
        const stage = jobs.length > 1 ? `scoring ${k + 1}/${jobs.length}` : 'scoring';
        const track = progressTracker(stage, (e) => reporter.progress(e));
        const scores = await evaluateMedia(r, g, m, { maskGrow: o.maskGrow, signal: ctx.signal, ffmpeg, progress: track });
        scored.push({ name: c.name, scores, expressions: c.expressions });
      }
      reporter.result(
        { cases: scored, ...(scored.length > 1 && { mean: meanScores(scored) }), vfid: VFID_UNAVAILABLE, maskGrow: o.maskGrow },
        () => (o.format === 'paper' ? paperTable(scored, o.method) : scoreTable(scored)),
      );
    });
}
