import { LacunaError } from '../engine/util/errors';

export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
  etaSeconds?: number;
}

/**
 * How a command talks to its caller. With --json every message is one JSON object per line on
 * stdout (for scripts and render-farm wrappers); otherwise results go to stdout as text and
 * progress/warnings to stderr, with a redrawn progress bar only when stderr is a terminal.
 */
export interface Reporter {
  readonly json: boolean;
  progress(e: ProgressEvent): void;
  info(message: string): void;
  warn(message: string): void;
  /** The command's result: printed as JSON in --json mode, else by `text` (or pretty JSON). */
  result(value: unknown, text?: () => string): void;
  error(e: unknown): void;
}

type Write = (s: string) => void;

function formatEta(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '';
  const m = Math.floor(s / 60);
  const sec = Math.round(s % 60);
  return m > 0 ? ` ETA ${m}m${String(sec).padStart(2, '0')}s` : ` ETA ${sec}s`;
}

export function progressBar(e: ProgressEvent, width = 30): string {
  const frac = e.total > 0 ? Math.min(1, e.done / e.total) : 0;
  const filled = Math.round(frac * width);
  return `${e.stage.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${e.done}/${e.total} ${(frac * 100).toFixed(0).padStart(3)}%${formatEta(e.etaSeconds)}`;
}

export function createReporter(opts: {
  json: boolean;
  stdout?: Write;
  stderr?: Write;
  isTTY?: boolean;
}): Reporter {
  const out: Write = opts.stdout ?? ((s) => process.stdout.write(s));
  const err: Write = opts.stderr ?? ((s) => process.stderr.write(s));
  const tty = opts.isTTY ?? Boolean(process.stderr.isTTY);
  let barShown = false;
  let lastPlain = 0;
  const clearBar = () => {
    if (barShown) err('\r\x1b[2K');
    barShown = false;
  };
  const line = (obj: object) => out(`${JSON.stringify(obj)}\n`);

  return {
    json: opts.json,
    progress(e) {
      if (opts.json) return line({ type: 'progress', ...e });
      if (tty) {
        err(`\r\x1b[2K${progressBar(e)}`);
        barShown = true;
      } else {
        // Logs (CI, farm workers) get a line every 10 % instead of a bar.
        const pct = e.total > 0 ? Math.floor((10 * e.done) / e.total) : 0;
        if (pct !== lastPlain || e.done === e.total) {
          lastPlain = pct;
          err(`${progressBar(e, 0).replace(' [] ', ' ')}\n`);
        }
      }
    },
    info(message) {
      if (opts.json) return line({ type: 'info', message });
      clearBar();
      err(`${message}\n`);
    },
    warn(message) {
      if (opts.json) return line({ type: 'warning', message });
      clearBar();
      err(`warning: ${message}\n`);
    },
    result(value, text) {
      if (opts.json) return line({ type: 'result', value });
      clearBar();
      out(`${text ? text() : JSON.stringify(value, null, 2)}\n`);
    },
    error(e) {
      clearBar();
      if (e instanceof LacunaError) {
        if (opts.json) return line({ type: 'error', code: e.code, message: e.message, hint: e.hint, ...(e.detail && { detail: e.detail }) });
        err(`error: ${e.describe()}\n`);
      } else {
        // A bug, not the user's doing: one line and what to do, the stack only when asked for.
        const message = e instanceof Error ? e.message || e.name : String(e);
        const hint = 'This is a bug in Lacuna: please report it with the command you ran (LACUNA_DEBUG=1 prints where it happened).';
        if (opts.json) return line({ type: 'error', code: 'INTERNAL', message, hint });
        const stack = process.env.LACUNA_DEBUG && e instanceof Error && e.stack ? `${e.stack}\n` : '';
        err(`error: internal error: ${message.split('\n')[0]}\n  ${hint}\n${stack}`);
      }
    },
  };
}
