// Builds the real CLIP ViT-L/14 tokenizer.json (the file a real model pack ships) from OpenAI's
// published BPE merges, so tests tokenize with CLIP's true vocabulary without downloading anything.
//
// The structure follows CLIP's own simple tokenizer (openai/CLIP, clip/simple_tokenizer.py) and
// the Hugging Face conversion of it (openai/clip-vit-large-patch14's tokenizer.json):
//   vocab  = the 256 byte characters, the same 256 with "</w>" (end of word), one entry per merge
//            (the merged pair, concatenated), then <|startoftext|> and <|endoftext|>: 49408 ids;
//   merges = the file's lines after its version header, cut to 49152 - 256 - 2 = 48894 (CLIP's BPE
//            was sized as 49152 symbols: 256 bytes, the merges and 2 specials; the 256 "</w>"
//            copies come on top, hence 49408);
//   normalizer NFC + whitespace runs to one space + lowercase; pre-tokenizer CLIP's split regex and
//   then ByteLevel (bytes to printable characters, no regex, no prefix space); post-processor adding
//   <|startoftext|> ... <|endoftext|>; decoder ByteLevel.
// The file is cached in the OS temp folder under the merges file's SHA-256, so a test run builds it
// once however many test files ask for it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { writeFileAtomic } from '../../src/engine/util/atomicWrite';

/** OpenAI's merges file, in the shared data beside the project (see ../shared/README.md). */
export const CLIP_MERGES_GZ = fileURLToPath(new URL('../../../shared/data/clip/bpe_simple_vocab_16e6.txt.gz', import.meta.url));

export const CLIP_START_TOKEN = '<|startoftext|>';
export const CLIP_END_TOKEN = '<|endoftext|>';
/** CLIP's BPE size as trained: 256 byte symbols + merges + 2 special tokens. */
const CLIP_BPE_SYMBOLS = 49152;
const BYTE_CHARS = 256;
const SPECIALS = 2;
export const CLIP_MERGE_COUNT = CLIP_BPE_SYMBOLS - BYTE_CHARS - SPECIALS; // 48894
/** Bytes, bytes with "</w>", merges, specials: the text encoder's embedding has this many rows. */
export const CLIP_VOCAB_SIZE = 2 * BYTE_CHARS + CLIP_MERGE_COUNT + SPECIALS; // 49408

/** The pre-tokenizer's split: contractions, letter runs, single digits, runs of other symbols. */
const CLIP_SPLIT_REGEX = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

/**
 * GPT-2/CLIP's reversible byte-to-character map: bytes that are printable Latin-1 characters
 * ("!".."~", "¡".."¬", "®".."ÿ") stand for themselves; the other 68 bytes (controls, space, soft
 * hyphen) are moved to U+0100 onwards in byte order, so BPE never sees whitespace or control
 * characters. Returned in vocabulary order: printable bytes first, then the moved ones.
 */
export function clipByteCharacters(): { byte: number; char: string }[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const kept: { byte: number; char: string }[] = [];
  const moved: { byte: number; char: string }[] = [];
  for (let b = 0; b < 256; b++) {
    if (printable(b)) kept.push({ byte: b, char: String.fromCodePoint(b) });
    else moved.push({ byte: b, char: String.fromCodePoint(256 + moved.length) });
  }
  return [...kept, ...moved];
}

/** The merges CLIP uses, as [left, right] pairs in rank order. */
export function parseClipMerges(gzBytes: Uint8Array): [string, string][] {
  const lines = gunzipSync(gzBytes).toString('utf8').split('\n');
  // Line 0 is the "#version" header; CLIP keeps the next CLIP_MERGE_COUNT lines.
  const wanted = lines.slice(1, 1 + CLIP_MERGE_COUNT);
  if (wanted.length !== CLIP_MERGE_COUNT) throw new Error(`the merges file has ${wanted.length} merges, CLIP needs ${CLIP_MERGE_COUNT}`);
  return wanted.map((line, i) => {
    const parts = line.split(' ');
    if (parts.length !== 2) throw new Error(`merges line ${i + 2} is not a pair: ${JSON.stringify(line)}`);
    return [parts[0], parts[1]];
  });
}

/** CLIP's tokenizer.json (as a JSON value) for the given merges. */
export function buildClipTokenizerJson(merges: readonly [string, string][]): Record<string, unknown> {
  const tokens: string[] = [];
  const bytes = clipByteCharacters().map((e) => e.char);
  tokens.push(...bytes, ...bytes.map((c) => `${c}</w>`), ...merges.map(([a, b]) => a + b), CLIP_START_TOKEN, CLIP_END_TOKEN);
  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => {
    if (t in vocab) throw new Error(`vocabulary token ${JSON.stringify(t)} appears twice`);
    vocab[t] = id;
  });
  const startId = vocab[CLIP_START_TOKEN];
  const endId = vocab[CLIP_END_TOKEN];
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(startId, CLIP_START_TOKEN), special(endId, CLIP_END_TOKEN)],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT_REGEX }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [CLIP_END_TOKEN, endId],
      cls: [CLIP_START_TOKEN, startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: CLIP_END_TOKEN,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

/**
 * Path of CLIP's tokenizer.json, built from the shared merges file on first use and cached in the
 * OS temp folder under the merges file's hash (written atomically: parallel test workers may race).
 */
export async function clipTokenizerJsonPath(mergesGz: string = CLIP_MERGES_GZ): Promise<string> {
  const gz = await readFile(mergesGz);
  const hash = createHash('sha256').update(gz).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `lacuna-clip-tokenizer-${hash}.json`);
  if (!existsSync(path)) await writeFileAtomic(path, JSON.stringify(buildClipTokenizerJson(parseClipMerges(gz))));
  return path;
}
