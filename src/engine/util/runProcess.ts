import { spawn } from 'node:child_process';
import { LacunaError, cancelledError } from './errors';
import { toolFailure } from './toolFailure';

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Last lines of a tool's stderr: enough to say why it failed without flooding the user. */
export function stderrTail(stderr: string, lines = 8): string {
  return stderr.trim().split(/\r?\n/).slice(-lines).join('\n');
}

/**
 * Runs a command to completion, collecting its output. Aborting the signal kills the process and
 * rejects with CANCELLED. A non-zero exit rejects with FFMPEG_FAILED (or DISK_FULL, CANNOT_WRITE) in the tool's own words.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { signal?: AbortSignal; input?: Buffer | string; what?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(cancelledError(options.what));
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let err = '';
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 1_000_000) err = err.slice(-200_000);
    });
    child.on('error', (e) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new LacunaError('FFMPEG_FAILED', `could not start ${command}: ${e.message}`, undefined, { cause: e }));
    });
    child.on('close', (code, sig) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(cancelledError(options.what));
      if (code === 0) return resolve({ stdout: Buffer.concat(out), stderr: err });
      reject(toolFailure(options.what ?? command, err, { code, signal: sig }));
    });
    child.stdin.on('error', () => {}); // the tool may exit before reading all input
    child.stdin.end(options.input ?? undefined);
  });
}
