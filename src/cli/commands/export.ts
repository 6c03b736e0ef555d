import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { exportTimeline, EXTENSIONS, formatFromPath } from '../../engine/interchange/exportTimeline';
import { FCPXML_VERSIONS, type FcpxmlVersion } from '../../engine/interchange/fcpxml';
import { parsePathMap, type PathMapEntry } from '../../engine/interchange/mediaPaths';
import { FORMATS, type InterchangeFormat } from '../../engine/interchange/model';
import { MATTE_CHOICES, RENDER_CHOICES, type MatteChoice, type RenderChoice } from '../../engine/interchange/renderMedia';
import { loadProject } from '../../engine/project';
import { LacunaError } from '../../engine/util/errors';
import type { CliContext } from '../main';
import { progressTracker } from '../progressTracker';

/*
 * `lacuna export`: a project's sequence to an NLE's interchange format (engine/interchange),
 * each clip linking to its active take, with the original and the matte where the format holds
 * them. The project itself is only read.
 */

function choice<T extends string>(values: readonly T[], what: string) {
  return (text: string): T => {
    const v = text.toLowerCase() as T;
    if (!values.includes(v)) throw new InvalidArgumentError(`"${text}" is not a ${what}; choose one of ${values.join(', ')}`);
    return v;
  };
}

function collectPathMap(text: string, prior: PathMapEntry[] = []): PathMapEntry[] {
  try {
    return [...prior, parsePathMap(text)];
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

interface ExportCliOptions {
  format?: InterchangeFormat;
  out: string;
  sequence?: string;
  originals?: boolean;
  render?: RenderChoice;
  matte?: boolean | MatteChoice;
  relative?: boolean;
  pathMap?: PathMapEntry[];
  fcpxmlVersion?: FcpxmlVersion;
  bundle?: boolean;
  edlReels?: 'name' | 'ax';
  overwrite?: boolean;
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('export a sequence for an NLE: OTIO, FCP7 XML, FCPXML, CMX3600 EDL, MLT (Shotcut) or Kdenlive')
    .argument('<project>', 'the .lacuna file')
    .requiredOption('-o, --out <file>', 'the file to write (an EDL per video track: <name>_V1.edl, <name>_V2.edl …)')
    .option('-f, --format <format>', `${FORMATS.join(' | ')} (default: from the --out extension)`, choice(FORMATS, 'format'))
    .option('--sequence <id|name>', 'which sequence (default: the first)')
    .option('--originals', 'link the original media, the cut as before any removal (no takes, no mattes)')
    .option('--render <codec>', `render the active takes first: ${RENDER_CHOICES.join(' | ')} (into "<out> Media/")`, choice(RENDER_CHOICES, 'render codec'))
    .option('--matte [how]', `include the takes' mattes: as they are, or rendered ${MATTE_CHOICES.join(' | ')} (gray: grayscale in the --render codec; alpha: ProRes 4444, alpha = removed region)`, choice(MATTE_CHOICES, 'matte kind'))
    .option('--relative', "write media paths relative to the exported file's folder")
    .option('--path-map <from=to>', 'rewrite media paths for another machine (repeatable), e.g. /Volumes/Media=/mnt/media', collectPathMap)
    .option('--fcpxml-version <v>', `FCPXML version: ${FCPXML_VERSIONS.join(' | ')} (default 1.10)`, choice(FCPXML_VERSIONS, 'FCPXML version'))
    .option('--bundle', '.otioz: copy the media into the bundle')
    .option('--edl-reels <how>', 'EDL reels: name (8 characters from each file name, the default) | ax (AX, file name as clip name, as Premiere writes)', choice(['name', 'ax'] as const, 'reel style'))
    .option('--overwrite', 'replace existing output files (never media)')
    .addHelpText(
      'after',
      '\nExamples:\n  lacuna export cut.lacuna -o cut.otio\n  lacuna export cut.lacuna -f xml -o cut.xml --render prores --matte alpha\n  lacuna export cut.lacuna -o cut.edl --path-map /home/ed/shoot=D:\\Shoot\n  lacuna export cut.lacuna -o cut.kdenlive',
    )
    .action(async (file: string, opts: ExportCliOptions) => {
      const reporter = ctx.reporter();
      const format = opts.format ?? formatFromPath(opts.out);
      if (!format) {
        throw new LacunaError('BAD_ARGUMENT', `cannot tell the format from "${opts.out}"`, `Give --format, or end the name with ${Object.values(EXTENSIONS).join(', ')}.`);
      }
      const { project, missingMedia } = await loadProject(file);
      for (const m of missingMedia) reporter.warn(`media offline: ${m.name} (expected at ${m.path}); it is linked there`);
      if (opts.render && missingMedia.length) {
        throw new LacunaError('MEDIA_NOT_FOUND', `cannot render with media offline: ${missingMedia.map((m) => m.name).join(', ')}`, 'Relink it first (lacuna project relink), or export without --render.');
      }
      const progress = progressTracker('rendering', (e) => reporter.progress(e));
      const result = await exportTimeline(project.doc, {
        format,
        out: resolve(opts.out),
        inputs: [resolve(file)],
        sequence: opts.sequence,
        media: opts.originals ? 'originals' : 'takes',
        render: opts.render,
        matte: opts.matte,
        relative: opts.relative,
        pathMap: opts.pathMap,
        fcpxmlVersion: opts.fcpxmlVersion,
        bundleMedia: opts.bundle,
        edlReels: opts.edlReels,
        overwrite: opts.overwrite,
        signal: ctx.signal,
        onProgress: (_what, done, total) => progress(done, total),
      });
      for (const w of result.warnings) reporter.warn(w);
      reporter.result(result, () =>
        [
          `exported "${result.sequence.name}" (${result.clips} clips, ${result.takes} with a take) as ${format}:`,
          ...result.files.map((f) => `  ${f}`),
          ...result.rendered.map((r) => `  rendered ${r.what} ${r.to}`),
          ...(result.reels ?? []).map((r) => `  reel ${r.reel.padEnd(8)} = ${r.file}`),
        ].join('\n'),
      );
    });
}
