#!/usr/bin/env python3
"""Adds the LGVI-I part (the paper's interactive task) to an exported LGVI pack: the authors'
multimodal LLM (`LlavaLlamaInpaint`: CLIP ViT-L/14-336 vision tower, the mm projector, LLaVA-1.5's
LLaMA decoder, the transfer head to CLIP's 768) as the five ONNX files and `lgvi-i.json` that
models/README.md ("The LGVI-I part") specifies, plus the LLM's tokenizer.json.

The pack is written as `<out>.partial`: the base LGVI pack's files are copied (hard-linked where the
file system allows) into it, the LGVI-I files are exported and each is checked against PyTorch,
`lgvi-i.json` is written last, and only then is the folder renamed to `<out>`. A failed run leaves
`<out>.partial`, never a folder that looks finished.

Loaded as the reference does (inference_interactive.py): `LlavaLlamaInpaint.from_pretrained(llava
dir, mm_vision_tower=clip dir)`, `initialize_vision_modules` (select layer -2, patch features,
no im_start/end), then `load_mllm_weights` (the checkpoint's embed_tokens, mm_projector and
transfer_head over LLaVA's). The authors' package `__init__`s import their MPT code, which does
not import with transformers >= 4.36, and register the model type "llava", which transformers
now owns; `import_authors_llava` loads only the modules LGVI-I uses and skips that registration.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import types
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import export_lgvi_pack as lgvi  # noqa: E402
import lgvi_pack_manifest as contract  # noqa: E402
import llama_tokenizer_json  # noqa: E402

LGVI_I_FORMAT = "lacuna.lgvi-i-pack"
LGVI_I_MANIFEST = "lgvi-i.json"
TOLERANCE = {"fp32": 2e-3}
FILES = {"vision": "vision_tower.onnx", "projector": "mm_projector.onnx", "embed": "embed_tokens.onnx", "decoder": "decoder.onnx", "transfer": "transfer_head.onnx"}
TOKENIZER_FILE = "llm_tokenizer.json"
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
# Strings the exported tokenizer.json must split as the reference's tokenizer does (plain text:
# the template's pieces, spacing, digits, punctuation, characters only byte fallback can spell).
TOKENIZER_CHECKS = (
    "can you remove the bird on the left?",
    "Remove   the man in the red shirt!! 12 cones, the logo's shadow.",
    "\nUser: make this shot only about the pelican Assistant:",
    "two  spaces,   three, and a trailing one ",
    "naïve café — 鳥",
)
# Text after a special token: the one place LLaMA's legacy and non-legacy tokenizers differ.
# (Not checked: text that starts with a space, where Hugging Face's Metaspace, in Rust and in the
# JavaScript library Lacuna uses, adds no second "▁" and SentencePiece does; Lacuna never encodes
# such a piece: every piece it encodes starts with the system prompt, a role or the newline after
# the image, which conversation_block checks.)
SPECIAL_CHECKS = ("Sure. {{prompt}} remove the dog {{/prompt}}</s>User: now the other one too",)


# ---------------------------------------------------------------------------------------------
# The authors' code


def _package(name: str, path: Path) -> None:
    if name not in sys.modules:
        module = types.ModuleType(name)
        module.__path__ = [str(path)]
        sys.modules[name] = module


def import_authors_llava(lgvi_repo: Path):
    """The authors' LlavaLlamaInpaint, conversation templates and mm_utils, without running their
    package __init__s (see the module docstring). Returns (LlavaLlamaInpaint, LlavaConfig,
    conversation module, mm_utils module, constants module)."""
    import importlib

    from transformers import AutoConfig, AutoModelForCausalLM

    llava = lgvi_repo / "rovi" / "llm" / "llava"
    if not (llava / "model" / "language_model" / "llava_llama_inpaint.py").is_file():
        raise SystemExit(f"{lgvi_repo} is not a checkout of the authors' repository (no rovi/llm/llava/model/language_model/llava_llama_inpaint.py)")
    _package("rovi", lgvi_repo / "rovi")
    _package("rovi.llm", lgvi_repo / "rovi" / "llm")
    for prefix in ("rovi.llm.llava", "llava"):  # llava_arch.py imports `llava.constants`
        _package(prefix, llava)
        _package(f"{prefix}.model", llava / "model")
        _package(f"{prefix}.model.language_model", llava / "model" / "language_model")
    register = (AutoConfig.register, AutoModelForCausalLM.register)
    AutoConfig.register = staticmethod(lambda *a, **k: None)
    AutoModelForCausalLM.register = staticmethod(lambda *a, **k: None)
    try:
        inpaint = importlib.import_module("rovi.llm.llava.model.language_model.llava_llama_inpaint")
    finally:
        AutoConfig.register, AutoModelForCausalLM.register = register
    conversation = importlib.import_module("rovi.llm.llava.conversation")
    mm_utils = importlib.import_module("rovi.llm.llava.mm_utils")
    constants = importlib.import_module("rovi.llm.llava.constants")
    return inpaint.LlavaLlamaInpaint, inpaint.LlavaConfig, conversation, mm_utils, constants


def vision_model_args(clip_dir: Path) -> types.SimpleNamespace:
    """The ModelArguments inference_interactive.py passes to initialize_vision_modules."""
    return types.SimpleNamespace(
        vision_tower=str(clip_dir), pretrain_mm_mlp_adapter=None, mm_vision_select_layer=-2,
        mm_vision_select_feature="patch", mm_use_im_start_end=False, mm_use_im_patch_token=False,
    )


def load_reference_model(args: argparse.Namespace, LlavaLlamaInpaint):
    """The model as inference_interactive.py builds it, in fp32 on the CPU (the export's parity
    reference; the reference itself runs fp16 on CUDA)."""
    model = LlavaLlamaInpaint.from_pretrained(str(args.llava), mm_vision_tower=str(args.clip), torch_dtype=torch.float32, attn_implementation="eager")
    model.get_model().initialize_vision_modules(model_args=vision_model_args(args.clip))
    weights = torch.load(str(args.checkpoint / "llava" / "llava_weights.pth"), map_location="cpu")
    model.model.embed_tokens.load_state_dict(weights["language_embedding"])
    model.model.mm_projector.load_state_dict(weights["vision_embedding"])
    model.transfer_head.load_state_dict(weights["transfer_layer"])
    return model.eval()


# ---------------------------------------------------------------------------------------------
# The five graphs


class VisionForOnnx(torch.nn.Module):
    """pixel_values [1, 3, S, S] → image_features [1, patches, Dv]: the authors' CLIPVisionTower
    forward (hidden_states[-2], CLS dropped)."""

    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, pixel_values):
        return self.tower(pixel_values)


class ModuleForOnnx(torch.nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module(x)


class DecoderForOnnx(torch.nn.Module):
    """The LLaMA decoder with a KV cache, flat: inputs_embeds [1, S, H], attention_mask [1, P + S],
    position_ids [1, S], past key/value per layer [1, kvHeads, P, headDim] → logits, the last
    layer's hidden states (after the final norm, what `hidden_states[-1]` and the transfer head
    see) and the present key/values [1, kvHeads, P + S, headDim].

    The 4-D additive mask is built here (causal by absolute position, and the 2-D mask's zeros
    masked) and handed to LlamaModel, which takes a 4-D mask as given: transformers' own mask
    construction changes between releases and is not written for tracing."""

    def __init__(self, llm):
        super().__init__()
        self.model = llm.get_model()
        self.lm_head = llm.lm_head
        self.layers = llm.config.num_hidden_layers

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        from transformers import DynamicCache

        cache = DynamicCache()
        for i in range(self.layers):
            cache.update(past[2 * i], past[2 * i + 1], i)
        total = attention_mask.shape[1]
        key_positions = torch.arange(total, device=inputs_embeds.device)
        allowed = (key_positions[None, None, :] <= position_ids[:, :, None]) & (attention_mask[:, None, :] > 0)  # [1, S, T]
        bias = torch.zeros(allowed.shape, dtype=inputs_embeds.dtype, device=inputs_embeds.device).masked_fill(~allowed, torch.finfo(inputs_embeds.dtype).min)
        out = self.model(
            inputs_embeds=inputs_embeds, attention_mask=bias[:, None], position_ids=position_ids,
            past_key_values=cache, use_cache=True, cache_position=position_ids[0], return_dict=True,
        )
        hidden = out.last_hidden_state
        present: List[torch.Tensor] = []
        for i in range(self.layers):
            k, v = cache_layer(out.past_key_values, i)
            present += [k, v]
        return (self.lm_head(hidden), hidden, *present)


def cache_layer(cache, i: int) -> Tuple[torch.Tensor, torch.Tensor]:
    if hasattr(cache, "layers"):  # transformers >= 4.54
        return cache.layers[i].keys, cache.layers[i].values
    return cache.key_cache[i], cache.value_cache[i]


def decoder_names(layers: int) -> Tuple[List[str], List[str], Dict[str, Dict[int, str]]]:
    past = [f"past_key_values.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]
    present = [f"present.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]
    axes: Dict[str, Dict[int, str]] = {"inputs_embeds": {1: "S"}, "attention_mask": {1: "T"}, "position_ids": {1: "S"}, "logits": {1: "S"}, "last_hidden_state": {1: "S"}}
    axes.update({n: {2: "P"} for n in past})
    axes.update({n: {2: "T"} for n in present})
    return ["inputs_embeds", "attention_mask", "position_ids", *past], ["logits", "last_hidden_state", *present], axes


def decoder_inputs(config, past: int, new: int, seed: int) -> Tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    heads = config.num_key_value_heads or config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    embeds = torch.randn(1, new, config.hidden_size, generator=g) * 0.02
    kv = [torch.randn(1, heads, past, head_dim, generator=g) for _ in range(2 * config.num_hidden_layers)]
    return (embeds, torch.ones(1, past + new, dtype=torch.int64), torch.arange(past, past + new, dtype=torch.int64)[None], *kv)


def wrapper_matches_reference(model, decoder: DecoderForOnnx, config) -> str:
    """DecoderForOnnx (its own mask, an explicit cache) against the authors' forward
    (LlavaLlamaInpaint.forward on inputs_embeds, `hidden_states[-1]` as inference_interactive.py
    reads it), in PyTorch: the wrapper must compute the same model before it is exported."""
    g = torch.Generator().manual_seed(3)
    # Token ids, not embeddings: the authors' forward drops inputs_embeds when it has no images.
    ids = torch.randint(0, config.vocab_size, (1, 9), generator=g)
    ours = decoder(model.get_model().embed_tokens(ids), *decoder_inputs(config, 0, 9, 0)[1:])
    theirs = model(input_ids=ids, attention_mask=torch.ones(1, 9, dtype=torch.int64), output_hidden_states=True, return_dict=True)
    worst = 0.0
    for name, a, b in (("logits", ours[0], theirs.logits), ("last_hidden_state", ours[1], theirs.hidden_states[-1])):
        rel = lgvi.relative_difference(a.numpy(), b.float().numpy())
        worst = max(worst, rel)
        if not rel <= 1e-5:
            raise SystemExit(f"the decoder wrapper's {name} differs from the authors' forward by {rel:.2e} (relative): the export would not be the reference's model")
    return f"decoder wrapper vs the authors' forward (PyTorch): max rel diff {worst:.2e}"


def cache_matches_recompute(path: Path, config, names_out: Sequence[str]) -> str:
    """The exported decoder fed as Lacuna feeds it: a prompt, then one token at a time with the
    present key/values of the step before as the past, against the whole sequence in one run with
    no past. The last position's hidden state and logits must agree at every step."""
    session, used = lgvi.ort_session(path, "cpu")
    layers = config.num_hidden_layers
    heads = config.num_key_value_heads or config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    g = np.random.default_rng(5)
    total, prompt = 12, 8
    embeds = (g.standard_normal((1, total, config.hidden_size)) * 0.02).astype(np.float32)

    def run(rows: np.ndarray, start: int, past: Dict[str, np.ndarray]):
        n = rows.shape[1]
        feeds = {"inputs_embeds": rows, "attention_mask": np.ones((1, start + n), np.int64), "position_ids": np.arange(start, start + n, dtype=np.int64)[None], **past}
        return dict(zip(names_out, session.run(list(names_out), feeds)))

    empty = {f"past_key_values.{i}.{kv}": np.zeros((1, heads, 0, head_dim), np.float32) for i in range(layers) for kv in ("key", "value")}
    step = run(embeds[:, :prompt], 0, empty)
    worst = 0.0
    for n in range(prompt, total + 1):
        whole = run(embeds[:, :n], 0, empty)
        for name in ("logits", "last_hidden_state"):
            for side, values in (("cached", step[name]), ("recomputed", whole[name])):
                if not np.isfinite(values).all():
                    raise SystemExit(f"{path.name}: {name} has non-finite values ({side} run of {n} positions)")
            rel = lgvi.relative_difference(step[name][:, -1], whole[name][:, -1])
            worst = max(worst, rel)
            if not rel <= TOLERANCE["fp32"]:
                raise SystemExit(f"{path.name}: with the KV cache, {name} at position {n - 1} differs from a run without it by {rel:.2e} (relative)")
        if n < total:
            past = {f"past_key_values.{i}.{kv}": step[f"present.{i}.{kv}"] for i in range(layers) for kv in ("key", "value")}
            step = run(embeds[:, n : n + 1], n, past)
    return f"{path.name} on {used}: KV cache vs recomputing, {total - prompt} steps after {prompt}: max rel diff {worst:.2e}"


# Over this many bytes of weights a model is saved with its weights in `<file>.data` beside it
# (protobuf's 2 GB limit: LLaVA-1.5-7B's decoder is about 27 GB in fp32); onnxruntime finds the
# data file when the model is opened from its path, as Lacuna opens it.
EXTERNAL_DATA_BYTES = 1 << 30


def weight_bytes(module: torch.nn.Module) -> int:
    return sum(p.numel() * p.element_size() for p in module.parameters())


def export_onnx(module, inputs, path: Path, names_in, names_out, axes, opset: int) -> None:
    """TorchScript export (dynamo=False: dynamic_axes as named) into a scratch folder, then re-saved
    beside the others: one self-contained file, or the graph plus one `.data` file for a model
    over EXTERNAL_DATA_BYTES."""
    import tempfile

    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as scratch:
        raw = Path(scratch) / path.name
        with torch.no_grad():
            torch.onnx.export(module, inputs, str(raw), input_names=list(names_in), output_names=list(names_out), dynamic_axes=axes, opset_version=opset, do_constant_folding=True, dynamo=False)
        lgvi.resave(raw, path, external=weight_bytes(module) > EXTERNAL_DATA_BYTES)


def finite_parity(module, path: Path, names_in, names_out, inputs, what: str) -> Tuple[str, float]:
    """onnxruntime against PyTorch on `inputs`; fails on a non-finite value on either side and on a
    relative difference that is not under the tolerance (`not rel <= tol`: a NaN fails too)."""
    session, used = lgvi.ort_session(path, "cpu")
    got = session.run(list(names_out), {n: x.numpy() for n, x in zip(names_in, inputs)})
    with torch.no_grad():
        want = module(*inputs)
    want = want if isinstance(want, tuple) else (want,)
    worst = 0.0
    for name, g, w in zip(names_out, got, want):
        w = w.detach().float().numpy()
        if g.shape != w.shape:
            raise SystemExit(f"{path.name}: {name} is {list(g.shape)} from onnxruntime but {list(w.shape)} from PyTorch ({what})")
        for side, values in (("onnxruntime", g), ("PyTorch", w)):
            if not np.isfinite(values).all():
                raise SystemExit(f"{path.name}: {name} has non-finite values from {side} ({what})")
        rel = lgvi.relative_difference(np.asarray(g, np.float32), w)
        worst = max(worst, rel)
        if not rel <= TOLERANCE["fp32"]:
            raise SystemExit(f"{path.name}: {name} differs from PyTorch by {rel:.2e} (relative), over {TOLERANCE['fp32']:.0e} ({what})")
    return f"{path.name} {what} on {used}: max rel diff {worst:.2e}", worst


def export_llm(model, out: Path, opset: int, log) -> dict:
    """Exports and checks the five graphs; returns the manifest's `llm` block and file names."""
    config = model.config
    tower = model.get_model().get_vision_tower()
    size = tower.config.image_size
    heads = config.num_key_value_heads or config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    g = torch.Generator().manual_seed(0)
    pixels = torch.randn(1, 3, size, size, generator=g)

    vision = VisionForOnnx(tower).eval()
    export_onnx(vision, (pixels,), out / FILES["vision"], ["pixel_values"], ["image_features"], {}, opset)
    log(finite_parity(vision, out / FILES["vision"], ["pixel_values"], ["image_features"], (torch.randn(1, 3, size, size, generator=g),), "another image")[0])

    with torch.no_grad():
        features = vision(pixels)
    projector = ModuleForOnnx(model.get_model().mm_projector).eval()
    export_onnx(projector, (features,), out / FILES["projector"], ["image_features"], ["image_embeds"], {}, opset)
    log(finite_parity(projector, out / FILES["projector"], ["image_features"], ["image_embeds"], (torch.randn(features.shape, generator=g),), "other features")[0])

    embed = ModuleForOnnx(model.get_model().embed_tokens).eval()
    ids = torch.randint(0, config.vocab_size, (1, 5), generator=g)
    export_onnx(embed, (ids,), out / FILES["embed"], ["input_ids"], ["inputs_embeds"], {"input_ids": {1: "S"}, "inputs_embeds": {1: "S"}}, opset)
    log(finite_parity(embed, out / FILES["embed"], ["input_ids"], ["inputs_embeds"], (torch.randint(0, config.vocab_size, (1, 9), generator=g),), "9 tokens")[0])

    decoder = DecoderForOnnx(model).eval()
    log(wrapper_matches_reference(model, decoder, config))
    names_in, names_out, axes = decoder_names(config.num_hidden_layers)
    export_onnx(decoder, decoder_inputs(config, 5, 4, 1), out / FILES["decoder"], names_in, names_out, axes, opset)
    # Other lengths than the trace: the prompt pass (no past), one token after a long past.
    for past, new in ((0, 7), (11, 1), (3, 6)):
        log(finite_parity(decoder, out / FILES["decoder"], names_in, names_out, decoder_inputs(config, past, new, 2 + past), f"past {past}, {new} new")[0])
    log(cache_matches_recompute(out / FILES["decoder"], config, names_out))

    transfer = ModuleForOnnx(model.transfer_head).eval()
    hidden = torch.randn(1, 4, config.hidden_size, generator=g)
    export_onnx(transfer, (hidden,), out / FILES["transfer"], ["hidden_states"], ["prompt_embeds"], {"hidden_states": {1: "N"}, "prompt_embeds": {1: "N"}}, opset)
    log(finite_parity(transfer, out / FILES["transfer"], ["hidden_states"], ["prompt_embeds"], (torch.randn(1, 9, config.hidden_size, generator=g),), "9 states")[0])
    width = [m for m in model.transfer_head.modules() if isinstance(m, torch.nn.Linear)][-1].out_features

    return {
        "llm": {
            "hiddenSize": config.hidden_size, "layers": config.num_hidden_layers, "kvHeads": heads, "headDim": head_dim,
            "vocabSize": config.vocab_size, "bosTokenId": config.bos_token_id, "eosTokenId": config.eos_token_id,
            "maxPositions": config.max_position_embeddings,
        },
        "imageSize": size,
        "outputWidth": width,
    }


# ---------------------------------------------------------------------------------------------
# Tokenizer and conversation


def tokenizer_is_legacy(llava_dir: Path) -> bool:
    """LlamaTokenizer's `legacy` flag from tokenizer_config.json (LLaVA-1.5 was trained with the non-legacy one, we believe; the file decides); unset
    means legacy, as transformers 4.x (the reference's) reads it."""
    import json

    path = llava_dir / "tokenizer_config.json"
    config = json.loads(path.read_text()) if path.is_file() else {}
    legacy = config.get("legacy")
    return True if legacy is None else bool(legacy)


def sentencepiece_or_none(model_file: Path):
    try:
        import sentencepiece
    except ImportError:
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(model_file))


def export_llm_tokenizer(llava_dir: Path, out_path: Path, bos_id: int) -> List[str]:
    """tokenizer.json for the LLM: the checkpoint's own if it has one, else built from
    tokenizer.model in Python (llama_tokenizer_json). The reference's ids come from SentencePiece
    itself where `sentencepiece` is installed (and llama_tokenizer_json's re-implementation is held
    to it), else from the re-implementation; the file is run through the Rust tokenizers package
    where that is installed and must give the same ids. Returns report lines."""
    import json

    model_file = llava_dir / "tokenizer.model"
    if not model_file.is_file():
        raise SystemExit(f"{llava_dir} has no tokenizer.model (LLaVA-1.5's LLaMA tokenizer)")
    pieces, options = llama_tokenizer_json.read_pieces(model_file)
    legacy = tokenizer_is_legacy(llava_dir)
    own = llava_dir / "tokenizer.json"
    data = json.loads(own.read_text()) if own.is_file() else llama_tokenizer_json.tokenizer_json(pieces, options, bos_id, legacy)
    contract.write_json_atomic(out_path, data)
    report = [f"{TOKENIZER_FILE}: {'the checkpoint' + chr(39) + 's tokenizer.json' if own.is_file() else 'built from tokenizer.model'} ({len(pieces)} pieces, legacy={legacy})"]

    def ours(text: str, prefix: bool) -> List[int]:
        return llama_tokenizer_json.sentencepiece_bpe_encode(text, pieces, options, prefix)

    sp = sentencepiece_or_none(model_file)
    if sp is not None:
        for text in TOKENIZER_CHECKS:
            if ours(text, None) != sp.encode(text):
                raise SystemExit(f"llama_tokenizer_json's SentencePiece re-implementation disagrees with sentencepiece on {text!r}:\n  {ours(text, None)}\n  {sp.encode(text)}")

        def reference(text: str, prefix: bool) -> List[int]:
            return sp.encode(text) if prefix == options["add_dummy_prefix"] else ours(text, prefix)

        against = "SentencePiece (and the re-implementation agrees)"
    else:
        reference = ours
        against = "llama_tokenizer_json's SentencePiece re-implementation (sentencepiece not installed)"
    want = {t: reference(t, options["add_dummy_prefix"]) for t in TOKENIZER_CHECKS}
    want.update({t: llama_tokenizer_json.encode_with_specials(t, pieces, options, legacy, reference) for t in SPECIAL_CHECKS})
    try:
        from tokenizers import Tokenizer
    except ImportError:
        return [*report, f"{TOKENIZER_FILE}: not run through the tokenizers package (not installed); reference ids from {against}"]
    backend = Tokenizer.from_file(str(out_path))
    for text, ids in want.items():
        got = backend.encode(text, add_special_tokens=False).ids
        if list(got) != list(ids):
            raise SystemExit(f"{TOKENIZER_FILE} disagrees with {against} on {text!r}:\n  {list(got)}\n  {list(ids)}")
        if backend.decode(list(got), skip_special_tokens=False) != text and "</s>" not in text:
            raise SystemExit(f"{TOKENIZER_FILE} does not decode its own ids of {text!r} back: {backend.decode(list(got), skip_special_tokens=False)!r}")
    return [*report, f"{TOKENIZER_FILE}: the tokenizers package gives the ids of {against} on {len(want)} strings"]


def conversation_block(conversation_module, template: str) -> dict:
    """The manifest's conversation from the authors' template (v1_inpaint: SeparatorStyle.TWO)."""
    conv = conversation_module.conv_templates[template]
    if conv.sep_style != conversation_module.SeparatorStyle.TWO:
        raise SystemExit(f"conversation template {template!r} has separator style {conv.sep_style}; the pack contract describes LLaVA v1's (TWO)")
    user, assistant = conv.roles
    for what, text in (("system prompt", conv.system or user), ("user role", user)):
        if text[:1].isspace():
            raise SystemExit(f"the template's {what} starts with a space; its tokens would differ from the reference's (see TOKENIZER_CHECKS)")
    # get_prompt (TWO): system + sep, then "role: message" + sep / sep2 alternately, and "role:"
    # for the open answer. Lacuna writes an answer as assistantPrefix + separator + text + answerEnd.
    return {"system": conv.system, "imageToken": "<image>", "userPrefix": f"{user}: ", "assistantPrefix": f"{assistant}:", "separator": conv.sep, "answerEnd": conv.sep2}


# ---------------------------------------------------------------------------------------------
# The pack


def base_pack_problem(base: Path) -> str | None:
    """Why `base` cannot carry the LGVI-I part, or None. Its U-Net must take `encoder_hidden_states`
    of any length ("L"): the transfer head gives one row per instruction token, and the reference's
    interactive pipeline feeds them unpadded (zeros of the same shape for the guidance passes)."""
    import json

    path = base / "manifest.json"
    if not path.is_file():
        return f"{base} is not an LGVI pack (no manifest.json); export it with export_lgvi_pack.py first"
    manifest = json.loads(path.read_text())
    unet = manifest.get("files", {}).get("unet", {})
    text = next((t for t in unet.get("inputs", []) if t.get("name") == "encoder_hidden_states"), None)
    if text is None or len(text.get("shape", [])) != 3 or text["shape"][1] != "L":
        shape = text.get("shape") if text else None
        return f"{base}: its U-Net takes encoder_hidden_states {shape}; LGVI-I's instructions need any text length ['B', 'L', 768] (export the U-Net with a dynamic text axis named L)"
    return None


def copy_base_pack(base: Path, partial: Path) -> None:
    """The LGVI pack's files into the new folder, hard-linked where possible (GBs of U-Net)."""
    problem = base_pack_problem(base)
    if problem:
        raise SystemExit(problem)
    for f in sorted(base.iterdir()):
        if not f.is_file() or f.name == LGVI_I_MANIFEST or f.name.startswith(".lacuna"):
            continue
        try:
            os.link(f, partial / f.name)
        except OSError:
            shutil.copy2(f, partial / f.name)


def image_normalisation(tower, log) -> Tuple[Tuple[float, ...], Tuple[float, ...]]:
    """inference_interactive.py normalises with CLIP's mean/std written into its own transform,
    not the tower's image processor; the pack records the reference's, and a processor that says
    otherwise is reported."""
    processor = getattr(tower, "image_processor", None)
    for name, want in (("image_mean", CLIP_MEAN), ("image_std", CLIP_STD)):
        have = getattr(processor, name, None)
        if have is not None and not np.allclose(have, want, atol=1e-6):
            log(f"warning: the vision tower's image processor has {name} {list(have)}; the pack records the reference's {list(want)}")
    return CLIP_MEAN, CLIP_STD


def export_lgvi_i_pack(model, conversation_module, llava_dir: Path, base: Path | None, out: Path, *, pack_id: str, opset: int, template: str = "v1_inpaint", temperature: float = 0.2, max_new_tokens: int = 1024, log=print) -> dict:
    """Writes `<out>.partial`, fills it, checks it, writes lgvi-i.json last, renames to `<out>`.
    With no `base`, only the LGVI-I part is written (for a fixture, or to copy into a pack later)."""
    if out.exists():
        raise SystemExit(f"{out} exists; choose another --out (nothing is overwritten)")
    problem = base_pack_problem(base) if base is not None else None
    if problem:  # before anything is written: hours of export must not end on this
        raise SystemExit(problem)
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    if base is not None:
        copy_base_pack(base, partial)
    info = export_llm(model, partial, opset, log)
    mean, std = image_normalisation(model.get_model().get_vision_tower(), log)
    for line in export_llm_tokenizer(llava_dir, partial / TOKENIZER_FILE, info["llm"]["bosTokenId"]):
        log(line)
    if info["llm"]["eosTokenId"] is None or info["llm"]["bosTokenId"] is None:
        raise SystemExit("the LLM's config names no bos_token_id / eos_token_id")
    manifest = {
        "format": LGVI_I_FORMAT,
        "version": 1,
        "id": pack_id,
        "llm": info["llm"],
        "vision": {"file": FILES["vision"], "imageSize": info["imageSize"], "mean": list(mean), "std": list(std)},
        "projector": {"file": FILES["projector"]},
        "embed": {"file": FILES["embed"]},
        "decoder": {"file": FILES["decoder"]},
        "transfer": {"file": FILES["transfer"], "outputWidth": info["outputWidth"]},
        "tokenizer": TOKENIZER_FILE,
        "conversation": conversation_block(conversation_module, template),
        "markers": {"open": "{{prompt}}", "close": "{{/prompt}}"},
        "generation": {"temperature": temperature, "maxNewTokens": max_new_tokens},
    }
    contract.write_json_atomic(partial / LGVI_I_MANIFEST, manifest)
    partial.rename(out)
    return manifest


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", type=Path, required=True, help="the LGVI-I checkpoint folder (holds llava/llava_weights.pth)")
    p.add_argument("--llava", type=Path, required=True, help="LLaVA-1.5-7B (config.json, weights, tokenizer.model), as inference_interactive.py's ./checkpoints/llava-v1.5-7b")
    p.add_argument("--clip", type=Path, required=True, help="openai/clip-vit-large-patch14-336, as ./checkpoints/clip-vit-large-patch14-336")
    p.add_argument("--lgvi-repo", type=Path, required=True, help="a checkout of the authors' repository")
    p.add_argument("--base-pack", type=Path, help="the LGVI pack of the LGVI-I checkpoint's U-Net, VAE and scheduler, its U-Net taking any text length; without it only the LGVI-I part is written")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--pack-id", default="lgvi-i")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--max-new-tokens", type=int, default=1024)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    LlavaLlamaInpaint, _, conversation, _, _ = import_authors_llava(args.lgvi_repo)
    torch.set_grad_enabled(False)
    model = load_reference_model(args, LlavaLlamaInpaint)
    export_lgvi_i_pack(model, conversation, args.llava, args.base_pack, args.out, pack_id=args.pack_id, opset=args.opset, max_new_tokens=args.max_new_tokens)
    print(f"wrote {args.out}; check it with: lacuna models verify {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
