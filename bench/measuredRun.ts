import { spawn } from 'node:child_process';

export interface MeasuredRun {
  wallSeconds: number;
  /** user + sys CPU seconds of the command and every descendant it waited for (ffmpeg included). */
  cpuSeconds: number;
  stdout: string;
}

const seconds = (t: string) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/**
 * Runs a command under bash and reads bash's `times` afterwards: its second line is the CPU
 * time of all waited-for descendants, which counts the engine's Node process and its ffmpeg
 * children alike, so the two sides of a comparison are measured the same way. On a shared
 * machine wall time is what a user waits for; CPU time is the load-independent figure.
 */
export function measuredRun(command: string, args: readonly string[]): Promise<MeasuredRun> {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('bash', ['-c', '"$@" 1>&3; status=$?; times; exit $status', 'bash', command, ...args], {
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
    });
    let times = '';
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (times += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      const [, childLine = ''] = times.trim().split('\n');
      const [user, sys] = childLine.trim().split(/\s+/).map(seconds);
      resolvePromise({ wallSeconds, cpuSeconds: user + sys, stdout });
    });
  });
}
