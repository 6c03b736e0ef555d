import type { AppInfoDto, FfmpegStatusDto } from '../../../api/schemas/app';

/** Bottom line: which engine host, which ffmpeg (or why none), so problems are visible at a glance. */
export function StatusBar({ info, ffmpeg }: { info: AppInfoDto | null; ffmpeg: FfmpegStatusDto | null }) {
  return (
    <footer className="status-bar">
      <span>{info ? `${info.name} ${info.version} · ${info.host.kind === 'electron' ? 'desktop' : 'browser bridge'} · ${info.platform}` : 'connecting…'}</span>
      <span className="spacer" />
      {ffmpeg &&
        (ffmpeg.available ? (
          <span title={`${ffmpeg.ffmpeg} (${ffmpeg.source.ffmpeg})`}>{ffmpeg.version.replace(/ Copyright.*$/, '')}</span>
        ) : (
          <span className="warn-text" title={ffmpeg.error.hint}>
            ffmpeg missing: {ffmpeg.error.message.split('\n')[0]}
          </span>
        ))}
    </footer>
  );
}
