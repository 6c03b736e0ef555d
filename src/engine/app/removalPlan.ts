// removal.plan: what the Remove dialog shows before anything renders, from the engine itself —
// the frames and starting take (removalSource.ts), the engine's settings with its defaults, its
// composite choices and the memory a window needs (RemovalEngine.settingsForm), the packs it
// can run, and what Find does with it (findPolicy.ts). A setting the engine refuses comes back
// as `problem`, in the app's words, instead of failing.
import type { RemovalPlanDto, RemovalPlanRequestDto } from '../../api/schemas/removalPlan';
import { toApiErrorShape } from '../../api/errors';
import type { Project } from '../project';
import { basename } from 'node:path';
import { findPreviewNote } from './findPolicy';
import { guiWording } from './guiWording';
import type { JobsController } from './jobsController';
import { rangeNote, removalSource } from './removalSource';

/**
 * A refused setting as the dialog says it: the engine's message with its setting keys named as
 * the fields are labelled ("steps:" → "Steps:"). The hint is left out: it lists the settings by
 * their keys for the command line, and the dialog shows the fields themselves.
 */
function refusal(e: unknown, fields: readonly { key: string; label: string }[]): string {
  const shape = guiWording(toApiErrorShape(e));
  if (shape.code === 'INTERNAL') throw e;
  if (shape.code !== 'BAD_ARGUMENT') return shape.hint ? `${shape.message}. ${shape.hint}` : shape.message;
  let text = shape.message;
  for (const f of fields) text = text.replace(new RegExp(`\\b${f.key}:`, 'g'), `${f.label}:`);
  text = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export async function removalPlan(project: Project, jobs: JobsController, request: RemovalPlanRequestDto): Promise<RemovalPlanDto> {
  const engine = jobs.engineFor(request.engine, request.pack);
  const source = removalSource(project, request.clipId, request.range, request.startFrom);
  const packs = jobs.engines.filter((e) => e.id === engine.id && e.packDir).map((e) => ({ dir: e.packDir!, label: basename(e.packDir!) }));
  const settings = { ...request.engineSettings, ...(request.composite && request.composite !== 'full' && { composite: request.composite }) };
  let problem: string | null = null;
  let form: Awaited<ReturnType<NonNullable<typeof engine.settingsForm>>> = { fields: [], composites: [], memory: [] };
  try {
    if (engine.settingsForm) form = await engine.settingsForm(settings);
  } catch (e) {
    // Still show the fields at their defaults, so the dialog can be put right.
    if (engine.settingsForm) form = await engine.settingsForm({}).catch(() => form);
    problem = refusal(e, form.fields);
  }
  if (!problem && request.matte && !engine.targets.includes('mask')) problem = `${engine.label} removes by words, not by a matte. Choose the Lite engine to remove exactly what the matte shows.`;
  const composites = form.composites;
  return {
    engine: engine.id,
    packs,
    pack: engine.packDir ?? null,
    fields: form.fields,
    composites,
    composite: composites.length ? (request.composite ?? 'union') : null,
    memory: form.memory,
    memoryPlan: form.memoryPlan ?? null,
    find: { available: !request.matte, note: request.matte ? 'A matte says exactly what to remove, so there is nothing to find.' : findPreviewNote(engine) },
    range: { start: source.frames.start, end: source.frames.end, frames: source.frames.end - source.frames.start, fps: source.frames.fps, kind: source.frames.kind },
    startsFrom: { takeId: source.take.id, label: source.take.label, kind: source.take.kind },
    rangeNote: rangeNote(source),
    problem,
  };
}
