import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real farm on this machine for tests: Debian's redis-server on 127.0.0.1 at a free port, its
 * data (append-only file on) in a temp folder, and workers as `lacuna worker` child processes
 * with short stall settings. Every wait is bounded.
 */

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', match: (line: string) => boolean, ms: number, what: string): Promise<void> {
  return new Promise((done, fail) => {
    const lines = createInterface({ input: child[stream]! });
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${ms} ms:\n${seen.slice(-2000)}`)), ms);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code}) before it was ready:\n${seen.slice(-2000)}`));
    };
    child.once('exit', onExit);
    lines.on('line', (line) => {
      seen += `${line}\n`;
      if (!match(line)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      done();
    });
  });
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extra: string[],
  ) {}

  static async start(dir: string, extra: string[] = []): Promise<RedisServer> {
    mkdirSync(dir, { recursive: true });
    const server = new RedisServer(await freePort(), dir, extra);
    await server.run();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async run(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes', ...this.extra];
    this.child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForLine(this.child, 'stdout', (l) => l.includes('Ready to accept connections'), 15_000, 'redis-server');
  }

  /** Stops (SIGTERM: Redis flushes its append-only file) and starts again on the same port and data. */
  async restart(downMs = 500): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.run();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  }
}

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'lacuna.mjs');

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** The worker's JSON event lines so far. */
  events: Record<string, unknown>[];
  output: () => string;
}

export async function startWorker(redisUrl: string, name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, '--json', 'worker', '--redis', redisUrl, '--name', name, '--stalled-interval', '1000', '--lock-duration', '60000', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const events: Record<string, unknown>[] = [];
  let text = '';
  child.stderr!.on('data', (d: Buffer) => void (text += d.toString()));
  const w: WorkerProcess = { name, child, events, output: () => text };
  const ready = waitForLine(child, 'stdout', (l) => {
    text += `${l}\n`;
    try {
      const e = JSON.parse(l) as { type?: string; value?: Record<string, unknown> };
      const value = (e.value ?? e) as Record<string, unknown>;
      events.push(value);
      return value.event === 'ready';
    } catch {
      return false;
    }
  }, 60_000, `worker ${name}`);
  await ready;
  return w;
}

/** SIGTERM and wait (bounded) for the worker to exit; its code. */
export async function stopWorker(w: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (w.child.exitCode !== null) return w.child.exitCode;
  return new Promise((done) => {
    const timer = setTimeout(() => w.child.kill('SIGKILL'), 20_000);
    // 'close', not 'exit': its last lines (the requeue) are read by then.
    w.child.once('close', (code) => {
      clearTimeout(timer);
      done(code);
    });
    w.child.kill(signal);
  });
}

/** Polls `check` until it returns a value (not undefined), at most `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms: number, what: string, every = 200): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
