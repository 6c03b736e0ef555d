import type { MediaInfoDto, RationalDto } from '../../api/schemas/media';

/** 30000/1001 → "29.97", 24/1 → "24", 24000/1001 → "23.976". */
export function formatFps(fps: RationalDto): string {
  const v = fps.num / fps.den;
  return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
}

/** Seconds → SMPTE-style "HH:MM:SS:FF" at the clip's rate (non-drop; for display only). */
export function formatTimecode(seconds: number, fps: RationalDto | null): string {
  const s = Math.max(0, seconds);
  const rate = fps ? Math.round(fps.num / fps.den) : 0;
  const whole = Math.floor(s);
  const hh = Math.floor(whole / 3600);
  const mm = Math.floor((whole % 3600) / 60);
  const ss = whole % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const base = `${two(hh)}:${two(mm)}:${two(ss)}`;
  if (!rate) return base;
  return `${base}:${two(Math.min(rate - 1, Math.floor((s - whole) * rate + 1e-6)))}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m}m ${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** ETA in words for the jobs panel: "12 s left", "3 min left". */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 1) return 'finishing';
  if (seconds < 90) return `${Math.ceil(seconds)} s left`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min left`;
  return `${(seconds / 3600).toFixed(1)} h left`;
}

/** "h264 High · yuv420p 8-bit" */
export function formatCodec(info: MediaInfoDto): string {
  const v = info.video;
  if (!v) return info.audio.length ? `audio only (${info.audio.map((a) => a.codec).join(', ')})` : 'no streams';
  return [`${v.codec}${v.profile ? ` ${v.profile}` : ''}`, `${v.pixelFormat} ${v.bitDepth}-bit`].join(' · ');
}

/**
 * "bt709 / bt709 / bt709 · limited" (primaries / transfer / matrix, the order Resolve and
 * MediaInfo use), only what the file says when it says part of it ("matrix bt470bg · full" for
 * a JPEG), or "unspecified" when it says nothing.
 */
export function formatColour(info: MediaInfoDto): string {
  const c = info.video?.colour;
  if (!c) return '—';
  const parts = [c.primaries, c.transfer, c.matrix];
  if (parts.every((p) => !p) && !c.range) return 'unspecified';
  const hdr = c.transfer === 'smpte2084' ? ' (PQ HDR)' : c.transfer === 'arib-std-b67' ? ' (HLG HDR)' : '';
  const named = parts.every(Boolean)
    ? parts.join(' / ')
    : [c.primaries && `primaries ${c.primaries}`, c.transfer && `transfer ${c.transfer}`, c.matrix && `matrix ${c.matrix}`].filter(Boolean).join(', ');
  const range = c.range === 'pc' ? 'full' : c.range === 'tv' ? 'limited' : c.range;
  return [named, range].filter(Boolean).join(' · ') + hdr;
}

export function formatResolution(info: MediaInfoDto): string {
  const v = info.video;
  if (!v) return '—';
  const shown = `${v.displayWidth}×${v.displayHeight}`;
  return v.displayWidth !== v.width || v.displayHeight !== v.height ? `${shown} (stored ${v.width}×${v.height})` : shown;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A long path shortened from the left, keeping whole trailing folders: "…/Day 2/A001_C002.mov". */
export function shortenPath(path: string, max = 48): string {
  if (path.length <= max) return path;
  const parts = path.split(/[\\/]/);
  let out = parts.pop() ?? path;
  while (parts.length && parts[parts.length - 1].length + out.length + 3 <= max) out = `${parts.pop()}/${out}`;
  return `…/${out}`;
}
