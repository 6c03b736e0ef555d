import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines (with --json), parsed. */
  lines: Record<string, unknown>[];
}

/** Runs the CLI in-process, as `lacuna <args>` would, capturing what it prints. */
export async function lacuna(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lacuna', ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  const lines = args.includes('--json') ? stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  return { code, stdout, stderr, lines };
}

/** Runs the real executable (bin/lacuna.mjs) in a child process: what `npx lacuna` runs. */
export function lacunaProcess(args: string[], cwd?: string, env?: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'lacuna.mjs');
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 120_000, ...(env && { env }) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function resultOf(run: CliRun): Record<string, unknown> {
  const line = run.lines.find((l) => l.type === 'result');
  if (!line) throw new Error(`no result line in:\n${run.stdout}\n${run.stderr}`);
  return line.value as Record<string, unknown>;
}
