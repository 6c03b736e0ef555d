import type { CallOutput, HandlerInput } from '../../api/contract';
import { exportTimeline } from '../interchange/exportTimeline';
import { importTimeline } from '../interchange/importTimeline';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { probeMedia } from '../media/probe';
import type { ProjectSession } from './projectSession';

/**
 * The app's File ▸ Export Timeline… and File ▸ Import Timeline…: the API calls over
 * engine/interchange, with the same choices as `lacuna export` / `lacuna import`. Export reads
 * the open project as it is in memory (saved or not); import adds a sequence to it as one undo
 * step and returns the report the dialog shows.
 */
export class TimelineInterchange {
  constructor(
    private readonly session: ProjectSession,
    private readonly ffmpeg: () => FfmpegPaths,
  ) {}

  async export(input: HandlerInput<'timeline.export'>): Promise<CallOutput<'timeline.export'>> {
    const project = this.session.require();
    return exportTimeline(project.doc, {
      format: input.format,
      out: input.path,
      ...(project.path && { inputs: [project.path] }),
      sequence: input.sequenceId,
      media: input.media,
      render: input.render,
      matte: input.matte,
      relative: input.relative,
      pathMap: input.pathMap,
      fcpxmlVersion: input.fcpxmlVersion,
      bundleMedia: input.bundleMedia,
      edlReels: input.edlReels,
      overwrite: input.overwrite,
      ffmpeg: this.ffmpeg(),
    });
  }

  async import(input: HandlerInput<'timeline.import'>): Promise<CallOutput<'timeline.import'>> {
    const project = this.session.require();
    const ffmpeg = this.ffmpeg();
    const report = await importTimeline(project, input.paths, {
      format: input.format,
      fps: input.fps,
      search: input.search,
      pathMap: input.pathMap,
      name: input.name,
      probe: (p, fps) => probeMedia(p, { ffmpeg, fps }),
    });
    this.session.markOnline(report.mediaIds);
    const { mediaIds: _, ...shown } = report;
    return { project: this.session.view()!, ...shown };
  }
}
