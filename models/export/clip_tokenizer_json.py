#!/usr/bin/env python3
"""CLIP's tokenizer.json (the Hugging Face `tokenizers` file a Lacuna pack ships) built in plain
Python from a checkpoint's `tokenizer/vocab.json` and `tokenizer/merges.txt`, so an export needs
neither the Rust `tokenizers` package nor `CLIPTokenizerFast`.

The structure is the one transformers' `convert_slow_tokenizer.CLIPConverter` writes and the one
Lacuna's tests build from OpenAI's merges (test/helpers/clipTokenizer.ts): NFC + whitespace runs to
one space + lowercase; CLIP's split regex, then ByteLevel without its own regex; BPE with the
`</w>` end-of-word suffix and `<|endoftext|>` as unknown token; RobertaProcessing adding
`<|startoftext|>` ... `<|endoftext|>`; plus padding and truncation to 77 (right side), the pad id
from the checkpoint's tokenizer (SD 1.x pads with `<|endoftext|>`).

`clip_vocab_from_openai_merges` turns OpenAI's `bpe_simple_vocab_16e6.txt.gz` into the same
vocab.json / merges.txt pair a diffusers checkpoint carries (used to make the parity fixture).
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Dict, List, Tuple

START_TOKEN = "<|startoftext|>"
END_TOKEN = "<|endoftext|>"
TEXT_TOKENS = 77
# CLIP's split: contractions, letter runs, single digits, runs of other symbols (CLIP's own regex).
SPLIT_REGEX = r"'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"
# CLIP's BPE was trained as 49152 symbols: 256 bytes, the merges, 2 specials.
CLIP_MERGE_COUNT = 49152 - 256 - 2


def byte_characters() -> List[str]:
    """GPT-2/CLIP's byte-to-character map, in vocabulary order (printable bytes, then the moved ones)."""
    printable = [b for b in range(256) if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF]
    moved = [b for b in range(256) if b not in printable]
    return [chr(b) for b in printable] + [chr(256 + i) for i in range(len(moved))]


def clip_vocab_from_openai_merges(gz_path: Path) -> Tuple[Dict[str, int], List[Tuple[str, str]]]:
    """vocab (token -> id) and merges of OpenAI's CLIP from its published merges file."""
    lines = gzip.open(gz_path, "rt", encoding="utf-8").read().split("\n")
    merges = [tuple(line.split(" ")) for line in lines[1 : 1 + CLIP_MERGE_COUNT]]
    if len(merges) != CLIP_MERGE_COUNT or any(len(m) != 2 for m in merges):
        raise SystemExit(f"{gz_path}: not CLIP's merges file")
    chars = byte_characters()
    tokens = chars + [c + "</w>" for c in chars] + [a + b for a, b in merges] + [START_TOKEN, END_TOKEN]
    return {t: i for i, t in enumerate(tokens)}, merges  # type: ignore[return-value]


def read_checkpoint_tokenizer(folder: Path) -> Tuple[Dict[str, int], List[Tuple[str, str]]]:
    """vocab.json and merges.txt of a diffusers checkpoint's tokenizer/ folder."""
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    merges: List[Tuple[str, str]] = []
    for n, line in enumerate((folder / "merges.txt").read_text(encoding="utf-8").split("\n")):
        if not line or (n == 0 and line.startswith("#version")):
            continue
        parts = line.split(" ")
        if len(parts) != 2:
            raise SystemExit(f"{folder / 'merges.txt'} line {n + 1} is not a merge pair: {line!r}")
        merges.append((parts[0], parts[1]))
    for token in (START_TOKEN, END_TOKEN):
        if token not in vocab:
            raise SystemExit(f"{folder / 'vocab.json'} has no {token}: not a CLIP tokenizer")
    return vocab, merges


def tokenizer_json(vocab: Dict[str, int], merges: List[Tuple[str, str]], pad_id: int) -> dict:
    """The tokenizer.json value, padding and truncation to 77 written in."""
    start_id, end_id = vocab[START_TOKEN], vocab[END_TOKEN]

    def special(i: int, content: str) -> dict:
        return {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True}

    pad_token = next((t for t, i in vocab.items() if i == pad_id), END_TOKEN)
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": TEXT_TOKENS, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": TEXT_TOKENS}, "direction": "Right", "pad_to_multiple_of": None, "pad_id": pad_id, "pad_type_id": 0, "pad_token": pad_token},
        "added_tokens": [special(start_id, START_TOKEN), special(end_id, END_TOKEN)],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [{"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "}, {"type": "Lowercase"}],
        },
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": SPLIT_REGEX}, "behavior": "Removed", "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": {"type": "RobertaProcessing", "sep": [END_TOKEN, end_id], "cls": [START_TOKEN, start_id], "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": END_TOKEN,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "</w>",
            "fuse_unk": False,
            "byte_fallback": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }


def write_checkpoint_tokenizer(folder: Path, vocab: Dict[str, int], merges: List[Tuple[str, str]]) -> None:
    """vocab.json + merges.txt (+ the config CLIPTokenizer reads) as a diffusers checkpoint has them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges) + "\n", encoding="utf-8")
    config = {"model_max_length": TEXT_TOKENS, "pad_token": END_TOKEN, "bos_token": START_TOKEN, "eos_token": END_TOKEN, "unk_token": END_TOKEN, "do_lower_case": True, "tokenizer_class": "CLIPTokenizer"}
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
