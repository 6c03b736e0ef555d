import { InvalidArgumentError, type Command } from 'commander';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { importTimeline, readTimelineFiles } from '../../engine/interchange/importTimeline';
import { parsePathMap, type PathMapEntry } from '../../engine/interchange/mediaPaths';
import { IMPORT_FORMATS, type ImportFormat, type IxNote } from '../../engine/interchange/model';
import { probeMedia } from '../../engine/media/probe';
import { Project, saveProject, updateProject, withProjectLock } from '../../engine/project';
import { exists } from '../../engine/util/atomicWrite';
import { LacunaError } from '../../engine/util/errors';
import type { Rational } from '../../engine/util/rational';
import type { CliContext } from '../main';
import { fpsOption } from '../options';
import { lockWaitNotice } from '../lockWaitNotice';

/*
 * `lacuna import`: an NLE's timeline (OTIO, .otioz, FCP7 XML, FCPXML, CMX3600 EDLs) into a
 * Lacuna project as a new sequence, its media found (path, name, content hash) and probed, and
 * a report of everything the project cannot hold. Saved atomically, like every project command.
 */

interface ImportCliOptions {
  project?: string;
  format?: ImportFormat;
  fps?: Rational;
  search?: string[];
  pathMap?: PathMapEntry[];
  name?: string;
}

const collect = (v: string, prior: string[] = []) => [...prior, v];

export function formatNote(n: IxNote): string {
  return `${n.kind}: ${n.at}: ${n.message}`;
}

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import an NLE timeline (OTIO, .otioz, FCP7 XML, FCPXML, CMX3600 EDL) into a project as a new sequence')
    .argument('<file...>', 'the timeline file; several EDLs (one per video track) come in as one sequence')
    .option('-p, --project <file>', 'the project to add it to (created when missing; default: <file name>.lacuna beside the file)')
    .option('-f, --format <format>', `${IMPORT_FORMATS.join(' | ')} (default: from the extension)`, (t: string) => {
      if (!(IMPORT_FORMATS as readonly string[]).includes(t)) throw new InvalidArgumentError(`"${t}" is not one of ${IMPORT_FORMATS.join(', ')}`);
      return t as ImportFormat;
    })
    .option('--fps <rate>', 'EDL frame rate (an EDL does not say its own; Lacuna writes it in a comment)', fpsOption)
    .option('--search <folder>', 'where to look for media not at its path (repeatable; searched by name and content hash)', collect)
    .option('--path-map <from=to>', "rewrite the file's media paths to this machine's (repeatable)", (t: string, prior: PathMapEntry[] = []) => {
      try {
        return [...prior, parsePathMap(t)];
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    })
    .option('--name <name>', "name of the new sequence (default: the timeline's)")
    .addHelpText('after', '\nExamples:\n  lacuna import cut.otio\n  lacuna import cut.xml --project show.lacuna --search /Volumes/Media\n  lacuna import cut_V1.edl cut_V2.edl --fps 23.976 -p show.lacuna')
    .action(async (files: string[], opts: ImportCliOptions) => {
      const reporter = ctx.reporter();
      const first = resolve(files[0]);
      const projectPath = resolve(opts.project ?? join(dirname(first), `${basename(first, extname(first))}.lacuna`));
      // Read the file before taking the project's lock; find, probe and add the media under it.
      const read = await readTimelineFiles(files, opts);
      const run = (project: Project) => importTimeline(project, files, { ...opts, probe: (p, fps) => probeMedia(p, { signal: ctx.signal, fps }) }, read);
      const lock = { signal: ctx.signal, onWait: lockWaitNotice(reporter) };
      let report: Awaited<ReturnType<typeof run>>;
      if (await exists(projectPath)) {
        if (!opts.project) {
          throw new LacunaError('OUTPUT_EXISTS', `${projectPath} already exists`, 'Add the timeline to it with --project, or choose another project file.');
        }
        report = (
          await updateProject(
            projectPath,
            (project, { missingMedia }) => {
              for (const m of missingMedia) reporter.warn(`media offline: ${m.name} (expected at ${m.path})`);
              return run(project);
            },
            lock,
          )
        ).value;
      } else {
        report = await withProjectLock(
          projectPath,
          async () => {
            if (await exists(projectPath)) throw new LacunaError('OUTPUT_EXISTS', `${projectPath} was created meanwhile`, 'Run the import again with --project to add to it.');
            // A new project takes the timeline's settings.
            const { timeline } = read;
            const project = Project.create({
              name: basename(projectPath, '.lacuna'),
              settings: { fps: timeline.rate, size: { width: timeline.width, height: timeline.height }, sampleRate: timeline.sampleRate, startTimecode: timeline.startTimecode },
              withSequence: false,
            });
            const r = await run(project);
            await saveProject(project, projectPath, { backup: false });
            return r;
          },
          lock,
        );
      }
      for (const n of report.notes) reporter.warn(formatNote(n));
      const { mediaIds: _, ...shown } = report;
      reporter.result({ project: projectPath, ...shown }, () =>
        [
          `imported "${report.sequence.name}" (${report.clips} clips, ${report.media.found} media files) into ${projectPath}`,
          ...report.media.missing.map((m) => `  not found: ${m}`),
          ...(report.notes.length ? [`  ${report.notes.length} thing(s) not carried over (see the warnings above)`] : []),
        ].join('\n'),
      );
    });
}
