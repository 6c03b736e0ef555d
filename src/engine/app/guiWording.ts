// The engine's messages are shared by the CLI and the app, and some of their hints name command-line
// options ("pass it with --mask", "allow overwriting (--overwrite)"). This is the one place where
// they are reworded for the app, on the way out of the engine: every call's error (AppService's
// handlers, for IPC and the bridge alike) and every job's error (JobsController) pass through it,
// so no component translates on its own. A hint still naming an option after the rules is cut
// at that sentence rather than shown to someone who has no command line.
import type { ApiErrorShape } from '../../api/errors';
import { LacunaError, type LacunaErrorCode } from '../util/errors';

/** CLI wording → what the app calls the same control. Order matters: longer phrases first. */
const RULES: readonly [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  [/\bor draw a matte and pass it with --mask\b/gi, 'or choose a matte file in the Remove panel (What to remove: Matte file)'],
  [/\bdraw a matte and pass it with --mask\b/gi, 'Draw a matte elsewhere and choose it in the Remove panel (What to remove: Matte file)'],
  [/\bpass it with --mask\b/gi, 'choose it as the matte file in the Remove panel'],
  [/,? ?or allow overwriting \(--overwrite\)/gi, ''],
  [/\(--overwrite\)/gi, ''],
  [/--mask-fps\b/g, "the matte's frame rate"],
  [/--mask\b/g, 'a matte file'],
  [/--full-frame\b/g, 'the Full frame composite'],
  [/--composite\b/g, 'the Composite choice'],
  [/--with-shadow\b/g, 'the shadow option'],
  [/--fps\b/g, 'the frame rate in the Import dialog'],
  [/--engine (lite|lgvi-i|lgvi)\b/gi, (_m, e) => `the ${e === 'lite' ? 'Lite' : e.toUpperCase()} engine`],
  [/--pack\b/g, 'the model pack choice in the Remove panel'],
  [/--render\b/g, 'Render media in the Export dialog'],
  [/--range\b/g, 'the Range choice'],
  [/--seed\b/g, 'the Seed'],
];

/** A CLI invocation (`lacuna …`, a flag left over) in a sentence: the sentence is dropped from a hint. */
const CLI_LEFTOVER = /(^|\s)(lacuna\s+[a-z]+|--[a-z][a-z-]+)/;

export function guiText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  return out.replace(/\s{2,}/g, ' ').replace(/\s+([.,;])/g, '$1').trim();
}

function guiHint(hint: string): string | undefined {
  const sentences = guiText(hint)
    .split(/(?<=[.!?])\s+/)
    .filter((s) => !CLI_LEFTOVER.test(s));
  const kept = sentences.join(' ').trim();
  return kept || undefined;
}

/** An error as the app shows it: CLI options reworded as the app's controls. */
export function guiWording(shape: ApiErrorShape): ApiErrorShape {
  const hint = shape.hint === undefined ? undefined : guiHint(shape.hint);
  const { hint: _old, ...rest } = shape;
  return { ...rest, message: guiText(shape.message), ...(hint && { hint }) };
}

/** Wraps call handlers so what they throw leaves the engine in the app's words. */
export function withGuiWording<H extends Record<string, (input: never) => Promise<unknown>>>(handlers: H, toShape: (e: unknown) => ApiErrorShape): H {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = async (input: never) => {
      try {
        return await handler(input);
      } catch (e) {
        const shape = toShape(e);
        if (shape.code === 'INTERNAL') throw e;
        const worded = guiWording(shape);
        // Still a LacunaError (same code, the cause kept): only the words change on the way out.
        throw new LacunaError(worded.code as LacunaErrorCode, worded.message, worded.hint, { cause: e });
      }
    };
  }
  return wrapped as H;
}
