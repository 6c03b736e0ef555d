"""A LLaMA SentencePiece model (tokenizer.model) as a Hugging Face tokenizer.json, built in Python
from the model's protobuf: no `sentencepiece` and no Rust `tokenizers` needed.

The structure is what transformers writes for LLaMA's tokenizer today (LlamaTokenizer, read, not
copied): no normaliser, a Metaspace pre-tokeniser that turns spaces into "▁" and prepends one
(`prepend_scheme` "first" for `legacy: false`, which LLaVA-1.5 is believed to use (not seen here; the checkpoint's tokenizer_config decides): only at the
start of the text, not after a special token such as `</s>`; "always" for legacy), with
`split: false` so that runs of "▁" can merge; BPE with byte fallback over the model's pieces,
merges ordered by the merged piece's score (SentencePiece's BPE applies the highest-scoring merge
first; HF's BPE applies the lowest-ranked merge first, so rank = order by score); `<unk>`/`<s>`/
`</s>` as special tokens; a decoder that undoes the "▁" and byte pieces.

`sentencepiece_bpe_encode` is an independent re-implementation of SentencePiece's BPE encoding
(highest-scoring adjacent merge first, byte fallback for unknown characters), used to check the
written file where `sentencepiece` is not installed, and itself checked against `sentencepiece`
where it is.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

# SentencePiece piece types (sentencepiece_model.proto).
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


def model_proto():
    """transformers ships the SentencePiece protobuf schema (needs `protobuf`)."""
    try:
        from transformers.utils import sentencepiece_model_pb2_new as pb2
    except ImportError:  # older transformers
        from transformers.utils import sentencepiece_model_pb2 as pb2
    return pb2.ModelProto()


def read_pieces(path: Path) -> Tuple[List[Tuple[str, float, int]], dict]:
    """(piece, score, type) in id order, and the options that matter for conversion."""
    proto = model_proto()
    proto.ParseFromString(Path(path).read_bytes())
    if proto.trainer_spec.model_type != 2:  # BPE
        raise SystemExit(f"{path}: a SentencePiece model of type {proto.trainer_spec.model_type}, not BPE (LLaMA's tokenizer is BPE)")
    spec = proto.normalizer_spec
    # tokenizer.json (and Lacuna) apply no normalisation: LLaMA's model has none to apply.
    if spec.name not in ("identity", "") or spec.remove_extra_whitespaces:
        raise SystemExit(f"{path}: normaliser {spec.name!r} (remove_extra_whitespaces={spec.remove_extra_whitespaces}); LLaMA's is 'identity' without squeezing, which is all this converter writes")
    options = {
        "byte_fallback": bool(proto.trainer_spec.byte_fallback),
        "add_dummy_prefix": bool(spec.add_dummy_prefix),
        "unk_id": proto.trainer_spec.unk_id,
    }
    return [(p.piece, float(p.score), int(p.type)) for p in proto.pieces], options


def prepend_scheme(options: dict, legacy: bool) -> str:
    if not options["add_dummy_prefix"]:
        return "never"
    return "always" if legacy else "first"


def tokenizer_json(pieces: List[Tuple[str, float, int]], options: dict, bos_id: int, legacy: bool) -> dict:
    vocab = {piece: i for i, (piece, _, _) in enumerate(pieces)}
    merges: List[Tuple[str, str, float, int, int]] = []
    for piece, s, kind in pieces:
        if kind != NORMAL:
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                merges.append((left, right, s, vocab[left], vocab[right]))
    merges.sort(key=lambda m: (-m[2], m[3], m[4]))
    unk = pieces[options["unk_id"]][0]
    special = [(i, p) for i, (p, _, kind) in enumerate(pieces) if kind in (UNKNOWN, CONTROL)]
    bos = pieces[bos_id][0]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": p, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for i, p in special
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": prepend_scheme(options, legacy), "split": False},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {bos: {"id": bos, "ids": [bos_id], "tokens": [bos]}},
        },
        "decoder": {
            "type": "Sequence",
            "decoders": [
                {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
                {"type": "ByteFallback"},
                {"type": "Fuse"},
                *([{"type": "Strip", "content": " ", "start": 1, "stop": 0}] if options["add_dummy_prefix"] else []),
            ],
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": unk,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": True,
            "byte_fallback": options["byte_fallback"],
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [[left, right] for left, right, _, _, _ in merges],
        },
    }


def sentencepiece_bpe_encode(text: str, pieces: List[Tuple[str, float, int]], options: dict, dummy_prefix: bool | None = None) -> List[int]:
    """SentencePiece BPE on one string (no special tokens): normalise, split into characters, merge
    the adjacent pair whose concatenation is a normal piece with the highest score (leftmost on a
    tie) until none is left, then byte-fallback whatever is not a piece. `dummy_prefix` overrides
    the model's add_dummy_prefix (False: text after a special token, non-legacy)."""
    vocab: Dict[str, int] = {p: i for i, (p, _, kind) in enumerate(pieces) if kind in (NORMAL, USER_DEFINED, BYTE, UNKNOWN)}
    scores = {p: s for p, s, kind in pieces if kind == NORMAL}
    prefix = options["add_dummy_prefix"] if dummy_prefix is None else dummy_prefix
    s = ("▁" if prefix else "") + text.replace(" ", "▁")
    parts = list(s)
    while True:
        best, at = None, -1
        for i in range(len(parts) - 1):
            merged = parts[i] + parts[i + 1]
            if merged in scores and (best is None or scores[merged] > best):
                best, at = scores[merged], i
        if best is None:
            break
        parts[at : at + 2] = [parts[at] + parts[at + 1]]
    ids: List[int] = []
    for part in parts:
        if part in vocab:
            ids.append(vocab[part])
        elif options["byte_fallback"]:
            ids.extend(vocab[f"<0x{b:02X}>"] for b in part.encode("utf-8"))
        else:
            ids.append(options["unk_id"])
    return ids


def encode_with_specials(text: str, pieces: List[Tuple[str, float, int]], options: dict, legacy: bool, encode=None) -> List[int]:
    """Ids of text that may hold special tokens (`<s>`, `</s>`, `<unk>`), as the slow LlamaTokenizer
    splits it: each special token its own id, the text between through SentencePiece, with the
    dummy prefix on every segment (legacy) or only the first (non-legacy). `encode(text,
    dummy_prefix)` defaults to sentencepiece_bpe_encode."""
    import re

    encode = encode or (lambda t, prefix: sentencepiece_bpe_encode(t, pieces, options, prefix))
    special = {p: i for i, (p, _, kind) in enumerate(pieces) if kind in (UNKNOWN, CONTROL)}
    ids: List[int] = []
    parts = re.split("(" + "|".join(re.escape(p) for p in sorted(special, key=len, reverse=True)) + ")", text)
    for n, part in enumerate(parts):
        if part in special:
            ids.append(special[part])
        elif part:
            ids.extend(encode(part, options["add_dummy_prefix"] and (legacy or n == 0)))
    return ids
