import { LacunaError } from './errors';

/**
 * What a failed ffmpeg (or ffprobe) run says, cut to what a person needs: ffmpeg's own words for
 * the cause, in a line or two, with the code and hint that say what to do about it. ffmpeg
 * reports an error as a cascade (the cause, then "Error initializing output stream", then
 * "Conversion failed!"); the first lines are the cause, the rest are its echoes. The whole
 * stderr tail travels as the error's `detail` for logs and --json.
 */

/** Lines that only say "the thing above failed". */
const ECHOES = [
  /^conversion failed!?$/i,
  /^error (initializing|while (opening|processing|decoding|filtering)|reinitializing|opening output files?)\b.*$/i,
  /^(exiting normally|received signal)/i,
  /^failed to (inject|configure) .*filter/i,
  /^error (configuring|initializing) (complex )?filters?\.?$/i,
  /^nothing was written into output file/i,
  /^last message repeated/i,
];

/** ffmpeg's prefix naming the component (`[mov @ 0x55d1…] `) and trailing punctuation go. */
function clean(line: string): string {
  return line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').replace(/^\[[^\]]+\]\s*/, '').trim();
}

/** ffmpeg's own explanation, at most `lines` lines, causes first, echoes dropped. */
export function toolMessage(stderr: string, lines = 2): string {
  const all = stderr
    .split(/\r?\n/)
    .map(clean)
    .filter((l) => l.length > 0);
  const causes = all.filter((l) => !ECHOES.some((re) => re.test(l)));
  const picked = [...new Set(causes.length ? causes : all)].slice(0, lines);
  return picked.map((l) => (l.length > 200 ? `${l.slice(0, 199)}…` : l)).join('; ');
}

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The error for a tool run that failed: `what` names the stage ("the matte encoder (x_matte.mov)"),
 * then ffmpeg's words. A full disk or an unwritable output is given its own code, since the fix
 * is the user's (free space, pick another folder), not ffmpeg's.
 */
export function toolFailure(what: string, stderr: string, exit: ToolExit): LacunaError {
  const said = toolMessage(stderr);
  const how = exit.signal ? `ffmpeg was stopped by ${exit.signal}` : `ffmpeg exit ${exit.code}`;
  const message = said ? `${what} failed: ${said}` : `${what} failed (${how}, no message)`;
  const detail = stderr.trim().split(/\r?\n/).slice(-20).join('\n');
  if (/no space left on device|disk quota exceeded/i.test(stderr)) {
    return new LacunaError('DISK_FULL', message, 'Free some space on the output drive (or choose another folder), then try again.', { detail });
  }
  if (/read-only file system|permission denied/i.test(stderr)) {
    return new LacunaError('CANNOT_WRITE', message, 'Choose an output folder you can write to.', { detail });
  }
  return new LacunaError(
    'FFMPEG_FAILED',
    message,
    exit.signal === 'SIGKILL' || exit.signal === 'SIGTERM'
      ? 'Something outside Lacuna ended ffmpeg (out of memory, or a process manager?); try again.'
      : 'Run `lacuna doctor` to check the ffmpeg in use; `--json` shows ffmpeg\'s full message.',
    { detail },
  );
}
