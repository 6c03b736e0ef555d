import { InvalidArgumentError, type Command } from 'commander';
import { formatVerifyReport, PROVIDER_ORDER, verifyPack, type ProviderPreference } from '../../engine/lgvi/pack';
import { LacunaError } from '../../engine/util/errors';
import type { CliContext } from '../main';

function providerOption(text: string): ProviderPreference {
  const choices = ['auto', ...PROVIDER_ORDER] as const;
  if (!(choices as readonly string[]).includes(text)) throw new InvalidArgumentError(`choose one of ${choices.join(', ')}`);
  return text as ProviderPreference;
}

/** `lacuna models …`: LGVI model packs. */
export function registerModels(program: Command, ctx: CliContext): void {
  const cmd = program.command('models').description('LGVI model packs: check that one is complete and usable here');
  cmd
    .command('verify')
    .description('check a pack: manifest, every file’s size and sha256, each model’s inputs and outputs, execution providers')
    .argument('<dir>', 'the pack folder (with manifest.json)')
    .option('--full', 'hash every file again, ignoring the record of earlier checks (after a disk problem, or to be sure)')
    .option('--rehash', 'the same as --full')
    .option('--no-sessions', 'skip opening the models (checksums and manifest only)')
    .option('--providers <name>', 'report against this execution provider: auto, cuda, dml, coreml, cpu', providerOption, 'auto' as ProviderPreference)
    .action(async (dir: string, opts: { full?: boolean; rehash?: boolean; sessions: boolean; providers: ProviderPreference }) => {
      const reporter = ctx.reporter();
      const report = await verifyPack(dir, {
        rehash: opts.full || opts.rehash,
        sessions: opts.sessions,
        providers: opts.providers,
        signal: ctx.signal,
        onProgress: (p) => reporter.progress({ stage: 'checksums', done: Math.round(p.bytesDone / 1e6), total: Math.round(p.bytesTotal / 1e6) }),
      });
      reporter.result(report, () => formatVerifyReport(report));
      if (!report.ok) throw new LacunaError('MODEL_PACK_INVALID', `the model pack in ${report.dir} is not usable`, 'See the problems listed above; re-download or re-export the pack.');
    });
}
