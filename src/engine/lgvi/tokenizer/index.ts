// The CLIP tokenizer module's public surface: what the sampler and the app import.
export { ClipTokenizer, type EncodedPrompt, type EncodedBatch } from './clipTokenizer';
export { START_TOKEN, END_TOKEN, openTokenizerJson, readTokenizerJson, type OpenedTokenizerFile } from './tokenizerJson';
