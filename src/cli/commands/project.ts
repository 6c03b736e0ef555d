import type { Command } from 'commander';
import { MAX_FRAME_PIXELS, MAX_FRAME_SIDE } from '../../engine/media/frameSizeLimit';
import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { appendClip } from '../../engine/app/clipPlacement';
import { importMedia } from '../../engine/app/mediaImport';
import { probeMedia } from '../../engine/media/probe';
import { loadProject, Project, relinkAll, saveProject, updateProject, type ProjectDoc } from '../../engine/project';
import { exists } from '../../engine/util/atomicWrite';
import { LacunaError } from '../../engine/util/errors';
import { toString, type Rational } from '../../engine/util/rational';
import type { CliContext } from '../main';
import { fpsOption } from '../options';
import { findClip } from '../projectClip';
import { lockWaitNotice } from '../lockWaitNotice';

/*
 * `lacuna project …`: the editing project from a shell or a farm script. Every command that
 * changes the project loads it, makes its edit and saves it atomically (with the previous version
 * kept as .bak), so an interrupted command leaves the old project or the new one, never a torn file.
 */

function sizeOption(text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/i.exec(text.trim());
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new InvalidArgumentError(`"${text}" is not a frame size such as 1920x1080`);
  if (Number(m[1]) > MAX_FRAME_SIDE || Number(m[2]) > MAX_FRAME_SIDE || Number(m[1]) * Number(m[2]) > MAX_FRAME_PIXELS) {
    throw new InvalidArgumentError(`${text} is larger than Lacuna works with (at most ${MAX_FRAME_SIDE} pixels a side, ${Math.round(MAX_FRAME_PIXELS / 1e6)} megapixels)`);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The project as an indented outline: media pool, then each sequence's tracks, clips and takes. */
export function describeProject(doc: ProjectDoc): string {
  const lines = [`${doc.name}  (${toString(doc.settings.fps)} fps, ${doc.settings.size.width}x${doc.settings.size.height})`, 'media:'];
  for (const m of doc.media) lines.push(`  ${m.id}  ${m.name}  ${m.kind === 'imageSequence' ? 'image sequence' : m.probe.container ?? ''}  ${m.path}`);
  for (const s of doc.sequences) {
    lines.push(`sequence ${s.id}  ${s.name}`);
    for (const t of s.tracks) {
      lines.push(`  track ${t.id}  ${t.name} (${t.kind})`);
      for (const c of t.clips) {
        lines.push(`    clip ${c.id}  ${c.name}  source ${c.sourceIn}-${c.sourceOut} at ${c.position}`);
        for (const k of c.takes) {
          const what = k.kind === 'original' ? 'original' : `${k.params.engine}${k.params.expression ? ` "${k.params.expression}"` : ''}`;
          lines.push(`      ${k.id === c.activeTakeId ? '*' : ' '} take ${k.id}  ${k.label}  (${what})`);
        }
      }
    }
  }
  return lines.join('\n');
}

/**
 * Loads, changes and saves the project as one step under its lock (updateProject), so two
 * commands run at once on one project each keep the other's change.
 */
async function edit(ctx: CliContext, file: string, change: (p: Project) => Promise<unknown> | unknown): Promise<Project> {
  const reporter = ctx.reporter();
  const { project } = await updateProject(
    resolve(file),
    async (project, { missingMedia }) => {
      for (const m of missingMedia) reporter.warn(`media offline: ${m.name} (expected at ${m.path})`);
      await change(project);
    },
    { signal: ctx.signal, onWait: lockWaitNotice(reporter) },
  );
  return project;
}

export function registerProject(program: Command, ctx: CliContext): void {
  const cmd = program.command('project').description('create and edit Lacuna projects (.lacuna files)');

  cmd
    .command('create')
    .description('create a new project file with one empty sequence')
    .argument('<file>', 'the project file to write, e.g. interview.lacuna (must not exist)')
    .option('--name <name>', 'project name (default: the file name)')
    .option('--fps <rate>', 'sequence frame rate (default 24)', fpsOption)
    .option('--size <WxH>', 'sequence frame size (default 1920x1080)', sizeOption)
    .action(async (file: string, opts: { name?: string; fps?: Rational; size?: { width: number; height: number } }) => {
      const path = resolve(file.endsWith('.lacuna') ? file : `${file}.lacuna`);
      if (await exists(path)) throw new LacunaError('OUTPUT_EXISTS', `${path} already exists`, 'Choose another file name, or add media to the existing project with `lacuna project add`.');
      const name = opts.name ?? path.replace(/^.*[/\\]/, '').replace(/\.lacuna$/, '');
      const project = Project.create({ name, settings: { ...(opts.fps && { fps: opts.fps }), ...(opts.size && { size: opts.size }) } });
      await saveProject(project, path, { backup: false });
      ctx.reporter().result({ path, project: project.doc }, () => `created ${path}`);
    });

  cmd
    .command('add')
    .description('import media into the project and append each to the first sequence')
    .argument('<project>', 'the .lacuna file')
    .argument('<media...>', 'video files, folders of numbered images, or patterns such as shots/%05d.png')
    .option('--fps <rate>', 'frame rate for image sequences', fpsOption)
    .option('--no-clip', 'only add to the media pool, not to the sequence')
    .action(async (file: string, media: string[], opts: { fps?: Rational; clip: boolean }) => {
      const reporter = ctx.reporter();
      let added: { mediaId: string; name: string; clipId: string | null }[] = [];
      let failed: { path: string; error: { code: string; message: string } }[] = [];
      let warnings: { path: string; warning: string }[] = [];
      await edit(ctx, file, async (project) => {
        const result = await importMedia(project, media, (p) => probeMedia(p, { fps: opts.fps, signal: ctx.signal }));
        failed = result.failed;
        warnings = result.warnings;
        project.batch('Add Clips', () => {
          added = result.imported.map((m) => ({ mediaId: m.id, name: m.name, clipId: opts.clip ? appendClip(project, m.id).id : null }));
        });
      });
      for (const f of failed) reporter.warn(`not imported: ${f.path}: ${f.error.message}`);
      for (const w of warnings) reporter.warn(`${w.path}: ${w.warning}`);
      reporter.result({ added, failed, warnings }, () => added.map((a) => `added ${a.name} (media ${a.mediaId}${a.clipId ? `, clip ${a.clipId}` : ''})`).join('\n') || 'nothing added');
      if (!added.length && failed.length) throw new LacunaError('MEDIA_UNREADABLE', `none of the ${failed.length} media could be imported`);
    });

  cmd
    .command('list')
    .description('show the media pool, sequences, clips and their takes (* = active)')
    .argument('<project>', 'the .lacuna file')
    .action(async (file: string) => {
      const { project, missingMedia } = await loadProject(file);
      ctx.reporter().result({ project: project.doc, missingMedia }, () =>
        [describeProject(project.doc), ...missingMedia.map((m) => `offline: ${m.name} (expected at ${m.path})`)].join('\n'),
      );
    });

  cmd
    .command('take')
    .description("choose which take a clip shows (its original, or a generated version)")
    .argument('<project>', 'the .lacuna file')
    .argument('<clip>', 'clip id or name')
    .argument('<take>', 'take id or label, or "original"')
    .action(async (file: string, clipRef: string, takeRef: string) => {
      let chosen = '';
      await edit(ctx, file, (project) => {
        const clip = findClip(project.doc, clipRef);
        const take =
          clip.takes.find((t) => t.id === takeRef) ??
          (takeRef === 'original' ? clip.takes.find((t) => t.kind === 'original') : undefined) ??
          clip.takes.find((t) => t.label === takeRef);
        if (!take) {
          throw new LacunaError('NOT_FOUND', `clip "${clip.name}" has no take "${takeRef}"`, `Its takes: ${clip.takes.map((t) => `${t.id} (${t.label})`).join(', ')}`);
        }
        project.setActiveTake(clip.id, take.id);
        chosen = `${clip.name}: ${take.label}`;
      });
      ctx.reporter().result({ active: chosen }, () => `active take of ${chosen}`);
    });

  cmd
    .command('relink')
    .description('find moved media files under a folder (by name and content hash) and repoint the project')
    .argument('<project>', 'the .lacuna file')
    .argument('<folder>', 'where to look (searched recursively)')
    .action(async (file: string, folder: string) => {
      let results: Awaited<ReturnType<typeof relinkAll>> = [];
      await edit(ctx, file, async (project) => {
        results = await relinkAll(project, folder, { signal: ctx.signal });
      });
      ctx.reporter().result(results, () => (results.length ? results.map((r) => `${r.status}: ${r.mediaId}${'path' in r && r.path ? ` → ${r.path}` : ''}`).join('\n') : 'no media was offline'));
    });
}
