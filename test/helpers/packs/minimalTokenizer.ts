// A small but valid Hugging Face tokenizer.json (WordLevel over a dozen words, CLIP's special
// tokens at CLIP's ids). It lets fixture packs be complete without the real CLIP vocabulary; tests
// that tokenize for real pass the CLIP tokenizer.json that test/helpers/clipTokenizer.ts builds.
export function minimalTokenizerJson(): string {
  const words = ['remove', 'the', 'bird', 'on', 'left', 'right', 'dog', 'and', 'girl', 'a', 'man'];
  const vocab: Record<string, number> = Object.fromEntries(words.map((w, i) => [w, 320 + i]));
  vocab['<|startoftext|>'] = 49406;
  vocab['<|endoftext|>'] = 49407;
  return `${JSON.stringify(
    {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [
        { id: 49406, content: '<|startoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
        { id: 49407, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
      ],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', vocab, unk_token: '<|endoftext|>' },
    },
    null,
    2,
  )}\n`;
}
