import { Command, CommanderError } from 'commander';
import { LacunaError, asUserError } from '../engine/util/errors';
import { EXIT, exitCodeFor } from './exitCodes';
import { createReporter, type Reporter } from './reporter';
import { registerProbe } from './commands/probe';
import { registerTranscode } from './commands/transcode';
import { registerProject } from './commands/project';
import { registerDoctor } from './commands/doctor';
import { registerModels } from './commands/models';
import { registerRemove } from './commands/remove';
import { registerFarm } from './commands/farm';
import { registerWorker } from './commands/worker';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';
import { registerEval } from './commands/eval';
import { registerChat } from './commands/chat';

export interface CliContext {
  /** Built lazily from the global --json flag once commander has parsed it. */
  reporter(): Reporter;
  /** Aborted on Ctrl-C so running work stops cleanly and removes its temp files. */
  signal: AbortSignal;
}

export function buildProgram(ctx: CliContext, io?: CliIo): Command {
  const program = new Command('lacuna')
    .description('Lacuna: remove objects from video by description.')
    .option('--json', 'print JSON lines (progress, warnings, result) on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Before the subcommands are added: they copy these settings when created.
  if (io) program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerProbe(program, ctx);
  registerTranscode(program, ctx);
  registerRemove(program, ctx);
  registerChat(program, ctx);
  registerProject(program, ctx);
  registerModels(program, ctx);
  registerDoctor(program, ctx);
  registerWorker(program, ctx);
  registerFarm(program, ctx);
  registerExport(program, ctx);
  registerImport(program, ctx);
  registerEval(program, ctx);
  return program;
}

export interface CliIo {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let reporter: Reporter | undefined;
  let program: Command | undefined;
  const ctx: CliContext = {
    signal: abort.signal,
    reporter: () => (reporter ??= createReporter({ json: Boolean(program?.opts().json), ...io })),
  };
  try {
    program = buildProgram(ctx, io);
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const shown = asUserError(e);
    ctx.reporter().error(shown);
    return shown instanceof LacunaError ? exitCodeFor(shown.code) : EXIT.failure;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
