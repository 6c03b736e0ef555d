// `lacuna models verify` for a pack's LGVI-I part (lgvi-i.json): lgvi-i.json has no sizes or
// checksums of its own (the exporter writes them only for the LGVI files), so what can be checked is
// that lgvi-i.json reads, that every file it names is there, that each model opens and has the
// tensors models/README.md gives it (the decoder's KV cache for every layer included), and that the
// LLM's tokenizer.json loads. Every problem is reported, as for the LGVI files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionFactory } from '../lgvi/pack/ortRunner';
import { LGVI_I_MANIFEST, readLgviIManifest, type LgviIManifest } from './manifest';
import { openLlmTokenizer } from './llmTokenizer';

export type InteractiveRole = 'lgvi-i' | 'lgvi-i.vision' | 'lgvi-i.projector' | 'lgvi-i.embed' | 'lgvi-i.decoder' | 'lgvi-i.transfer' | 'lgvi-i.tokenizer';

export interface InteractiveFileCheck {
  readonly role: InteractiveRole;
  readonly path: string;
  readonly field: string;
  readonly status: 'ok' | 'missing' | 'bad-format' | 'unloadable' | 'bad-tensors';
  readonly problems: readonly string[];
}

type ModelPart = 'vision' | 'projector' | 'embed' | 'decoder' | 'transfer';

/** The tensor names each model must have (models/README.md, "LGVI-I part"). */
export function interactiveTensors(manifest: LgviIManifest, part: ModelPart): { inputs: string[]; outputs: string[] } {
  const layers = Array.from({ length: manifest.llm.layers }, (_, i) => i);
  switch (part) {
    case 'vision':
      return { inputs: ['pixel_values'], outputs: ['image_features'] };
    case 'projector':
      return { inputs: ['image_features'], outputs: ['image_embeds'] };
    case 'embed':
      return { inputs: ['input_ids'], outputs: ['inputs_embeds'] };
    case 'decoder':
      return {
        inputs: ['inputs_embeds', 'attention_mask', 'position_ids', ...layers.flatMap((i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`])],
        outputs: ['logits', 'last_hidden_state', ...layers.flatMap((i) => [`present.${i}.key`, `present.${i}.value`])],
      };
    case 'transfer':
      return { inputs: ['hidden_states'], outputs: ['prompt_embeds'] };
  }
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

/** Checks of the LGVI-I part, or [] when the pack has none. */
export async function verifyInteractivePart(dir: string, options: { sessions: boolean; createSession: SessionFactory }): Promise<InteractiveFileCheck[]> {
  if (!existsSync(join(dir, LGVI_I_MANIFEST))) return [];
  let manifest: LgviIManifest;
  try {
    manifest = await readLgviIManifest(dir);
  } catch (e) {
    return [{ role: 'lgvi-i', path: LGVI_I_MANIFEST, field: LGVI_I_MANIFEST, status: 'bad-format', problems: [firstLine(e)] }];
  }
  const checks: InteractiveFileCheck[] = [{ role: 'lgvi-i', path: LGVI_I_MANIFEST, field: LGVI_I_MANIFEST, status: 'ok', problems: [] }];
  for (const part of ['vision', 'projector', 'embed', 'decoder', 'transfer'] as const) {
    const file = manifest[part].file;
    const base = { role: `lgvi-i.${part}` as InteractiveRole, path: file, field: `${LGVI_I_MANIFEST} ${part}.file` };
    if (!existsSync(join(dir, file))) {
      checks.push({ ...base, status: 'missing', problems: [`${file} is not in the pack`] });
      continue;
    }
    if (!options.sessions) {
      checks.push({ ...base, status: 'ok', problems: [] });
      continue;
    }
    let session;
    try {
      session = await options.createSession(join(dir, file), { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
    } catch (e) {
      checks.push({ ...base, status: 'unloadable', problems: [`onnxruntime cannot load ${file}: ${firstLine(e)}`] });
      continue;
    }
    try {
      const want = interactiveTensors(manifest, part);
      const problems = [
        ...want.inputs.filter((n) => !session.inputNames.includes(n)).map((n) => `${file}: no input "${n}"`),
        ...want.outputs.filter((n) => !session.outputNames.includes(n)).map((n) => `${file}: no output "${n}"`),
      ];
      checks.push({ ...base, status: problems.length ? 'bad-tensors' : 'ok', problems });
    } finally {
      await session.release().catch(() => {});
    }
  }
  const tokenizer = { role: 'lgvi-i.tokenizer' as const, path: manifest.tokenizer, field: `${LGVI_I_MANIFEST} tokenizer` };
  if (!existsSync(join(dir, manifest.tokenizer))) checks.push({ ...tokenizer, status: 'missing', problems: [`${manifest.tokenizer} is not in the pack`] });
  else {
    try {
      await openLlmTokenizer(dir, manifest.tokenizer);
      checks.push({ ...tokenizer, status: 'ok', problems: [] });
    } catch (e) {
      checks.push({ ...tokenizer, status: 'bad-format', problems: [firstLine(e)] });
    }
  }
  return checks;
}
