#!/usr/bin/env python3
"""Make the LGVI-I export fixture (test/fixtures/lgvi-i-export/): a tiny random multimodal LLM
built from the authors' own classes, laid out on disk as the reference's checkpoints are, run
through `export_lgvi_i_pack.py` exactly as a real export would be, and the authors' model run on
it with what Lacuna must reproduce recorded, so the TypeScript side can be held to the reference
without torch or the weights.

What it builds (seeded, CPU, fp32, under a minute):
- `tokenizer.model`: a SentencePiece BPE model trained here (the `sentencepiece` package) the way
  LLaMA's is configured (byte fallback, `<unk>`/`<s>`/`</s>` at 0/1/2, identity normalisation,
  dummy prefix, no whitespace squeezing), on the v1_inpaint system prompt and a few requests, with
  `tokenizer_config.json` saying `legacy: false`, as LLaVA-1.5's is believed to (not seen here);
- a CLIP vision tower (`CLIPVisionModel`, 3 layers of width 32, 336 px in patches of 28: 144
  patches) saved as `clip-vit-large-patch14-336` is, with its image processor;
- `LlavaLlamaInpaint` (the authors' class: LLaMA, 2 layers of width 64, 4 heads over 2 key/value
  heads, the mlp2x_gelu projector LLaVA-1.5 uses, the transfer head to 768) saved as
  `llava-v1.5-7b` is, and the LGVI-I checkpoint's `llava/llava_weights.pth` (token embedding,
  projector, transfer head, drawn anew so loading them over LLaVA's is exercised).
The decoder is rigged so that greedy decoding says a fixed answer with a marked instruction
(`SCRIPTED_ANSWER`): the token embeddings of the answer's tokens carry a large code vector and
`lm_head` maps each code to the next token's id, a bigram carried by the residual stream through
the random layers. The answer's tokens are checked to be distinct, or the bigram could not say it.

Then:
1. `export_lgvi_i_pack.export_lgvi_i_pack` on those folders (the same function `main` runs), with
   no base pack: only the LGVI-I part is written (the test adds a tiny LGVI pack beside it).
2. The reference, as `inference_interactive.py` runs it but greedy (temperature 0, which Lacuna's
   sampler also offers; the reference's temperature-0.2 draw is torch's and cannot be replayed):
   the v1_inpaint prompt with `tokenizer_image_token`, the first frame through the reference's
   transform (resize short side 336 bicubic, centre crop, CLIP mean/std; torchvision's arithmetic
   on PIL, torchvision is not needed), then the authors' `forward(input_ids, images)` on the whole
   sequence each step (no cache), keeping `hidden_states[-1]` of the last position, the next token
   the argmax of the logits, until `</s>`; the transfer head on the states from
   `get_prompt_id_start` on. Recorded in `reference.json`: the prompt's ids, the tokens, every
   step's hidden state, the transfer head's output, and the tokenizer's ids on a few strings from
   SentencePiece itself.

The frame is computed from a formula both sides know (`synthetic_frame`), so the test needs no
image file and no JPEG decoder agreement.

Run (nothing fetched is committed):
    # torch, transformers, onnx, onnxruntime, pillow, protobuf, sentencepiece (pip, or Debian's
    # python3-sentencepiece on PYTHONPATH); tokenizers optional (then the tokenizer is checked
    # through it too)
    git clone https://github.com/jianzongwu/Language-Driven-Video-Inpainting /tmp/lgvi-src
    python3 models/export/make_lgvi_i_fixture.py --lgvi-repo /tmp/lgvi-src --out test/fixtures/lgvi-i-export
"""
from __future__ import annotations

import argparse
import base64
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

import numpy as np
import torch
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import export_lgvi_i_pack as lgvii  # noqa: E402

SEED = 7
LLM = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096, rms_norm_eps=1e-5)
VISION = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2, image_size=336, patch_size=28, projection_dim=32)
VOCAB = 600
MAX_NEW_TOKENS = 32
REQUEST = "I love this shot of the pelican, but another bird sneaks in; can you make it only about the pelican?"
SCRIPTED_ANSWER = "Sure, {{prompt}} remove the other bird {{/prompt}}"
CORPUS_EXTRA = [
    REQUEST,
    SCRIPTED_ANSWER,
    "can you remove the bird on the left?",
    "please get rid of the dog behind the man",
    "now remove the other one too",
    "keep the pelican, lose everything else",
    "Sure. {{prompt}} remove the white dog {{/prompt}}",
]


FRAME = (448, 336)


def synthetic_frame(width: int = FRAME[0], height: int = FRAME[1]) -> np.ndarray:
    """An RGB frame from a formula (test/lgviI/exportedPack.test.ts computes the same). Its short
    side is already 336, so the resize is the identity on both sides and the comparison measures
    the models, not PIL's fixed-point bicubic, which Lacuna matches to 1 in 255
    (src/engine/lgviI/clipImage.ts; test/lgviI/clipImage.test.ts holds it to PIL); the centre
    crop still cuts 56 columns each side."""
    y, x = np.mgrid[0:height, 0:width]
    r = (x * 7 + y * 3) % 256
    g = (x * 2 + y * 11 + 60) % 256
    b = ((x // 20 + y // 15) % 2) * 200 + 20
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def reference_pixels(frame: np.ndarray, size: int, mean, std) -> torch.Tensor:
    """inference_interactive._clip_transform on a PIL image: Resize(size, BICUBIC) (the short side
    to `size`, the long one int(size * long / short), as torchvision computes it), CenterCrop
    (top/left int(round((dim - size) / 2))), ToTensor, Normalize."""
    image = Image.fromarray(frame)
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    new_w, new_h = (size, new_long) if w <= h else (new_long, size)
    image = image.resize((new_w, new_h), Image.BICUBIC)
    top, left = int(round((new_h - size) / 2.0)), int(round((new_w - size) / 2.0))
    image = image.crop((left, top, left + size, top + size))
    x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)
    return ((x - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None])[None]


def train_tokenizer(dir: Path, system: str) -> None:
    import sentencepiece as spm

    lines = [line for line in system.split("\n") if line.strip()] + CORPUS_EXTRA * 3
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(dir / "tokenizer"), model_type="bpe", vocab_size=VOCAB,
        byte_fallback=True, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, character_coverage=1.0,
        normalization_rule_name="identity", add_dummy_prefix=True, remove_extra_whitespaces=False,
        split_by_unicode_script=False, hard_vocab_limit=False, minloglevel=2,
    )
    (dir / "tokenizer.vocab").unlink()
    (dir / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "LlamaTokenizer", "legacy": False, "add_bos_token": True, "add_eos_token": False,
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": None, "model_max_length": 2048, "padding_side": "right",
    }, indent=2))


def seeded_init(module: torch.nn.Module, g: torch.Generator, std: float = 0.02) -> None:
    with torch.no_grad():
        for name, p in module.named_parameters():
            is_norm = "norm" in name.lower()
            if is_norm and name.endswith("weight"):  # norm gains near 1, not near 0
                p.copy_(1 + 0.05 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(std * torch.randn(p.shape, generator=g))


def build_checkpoints(work: Path, lgvi_repo: Path):
    LlavaLlamaInpaint, LlavaConfig, conversation, _, _ = lgvii.import_authors_llava(lgvi_repo)
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModel

    g = torch.Generator().manual_seed(SEED)
    clip_dir, llava_dir, ckpt = work / "clip-vit-large-patch14-336", work / "llava-v1.5-7b", work / "lgvi-i"
    for d in (clip_dir, llava_dir, ckpt / "llava"):
        d.mkdir(parents=True)
    tower = CLIPVisionModel(CLIPVisionConfig(**VISION)).eval()
    seeded_init(tower, g, 0.05)
    tower.save_pretrained(str(clip_dir))
    CLIPImageProcessor(size={"shortest_edge": 336}, crop_size={"height": 336, "width": 336}).save_pretrained(str(clip_dir))

    system = conversation.conv_templates["v1_inpaint"].system
    train_tokenizer(llava_dir, system)
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(llava_dir / "tokenizer.model"))
    config = LlavaConfig(
        vocab_size=sp.get_piece_size(), bos_token_id=1, eos_token_id=2, pad_token_id=None, tie_word_embeddings=False, **LLM,
        mm_vision_tower=str(clip_dir), mm_projector_type="mlp2x_gelu", mm_hidden_size=VISION["hidden_size"], mm_vision_select_layer=-2,
        mm_vision_select_feature="patch", mm_use_im_start_end=False, mm_use_im_patch_token=False, image_aspect_ratio="pad", use_mm_proj=True,
    )
    model = LlavaLlamaInpaint(config).eval()
    seeded_init(model, g)
    model.save_pretrained(str(llava_dir))

    # The LGVI-I checkpoint's weights over LLaVA's (load_mllm_weights), rigged to say SCRIPTED_ANSWER.
    embed = torch.nn.Embedding(config.vocab_size, config.hidden_size)
    projector = torch.nn.Sequential(torch.nn.Linear(VISION["hidden_size"], config.hidden_size), torch.nn.GELU(), torch.nn.Linear(config.hidden_size, config.hidden_size))
    transfer = torch.nn.Sequential(torch.nn.Linear(config.hidden_size, config.hidden_size), torch.nn.ReLU(inplace=True), torch.nn.Linear(config.hidden_size, 768, bias=False), torch.nn.Dropout(0.0))
    for m in (embed, projector, transfer):
        seeded_init(m, g, 0.1)
    lm_head = rig_answer(sp, embed, model.lm_head, g)
    model.lm_head.weight.data.copy_(lm_head)
    model.save_pretrained(str(llava_dir))
    torch.save({"language_embedding": embed.state_dict(), "vision_embedding": projector.state_dict(), "transfer_layer": transfer.state_dict()}, str(ckpt / "llava" / "llava_weights.pth"))
    return LlavaLlamaInpaint, conversation, clip_dir, llava_dir, ckpt, sp


def rig_answer(sp, embed: torch.nn.Embedding, lm_head: torch.nn.Linear, g: torch.Generator) -> torch.Tensor:
    """Embeddings and lm_head such that after ":" (the prompt's last token) greedy decoding says
    SCRIPTED_ANSWER then </s>. Returns lm_head's new weight."""
    answer = sp.encode(SCRIPTED_ANSWER)
    chain = [sp.encode("Assistant:")[-1], *answer, 2]
    if len(set(chain[:-1])) != len(chain) - 1:
        raise SystemExit(f"the scripted answer's tokens repeat ({[sp.id_to_piece(i) for i in chain]}); a bigram cannot say it")
    H = embed.weight.shape[1]
    codes = torch.nn.functional.normalize(torch.randn(len(chain) - 1, H, generator=g), dim=1)
    weight = lm_head.weight.detach().clone()
    with torch.no_grad():
        for i, token in enumerate(chain[:-1]):
            embed.weight[token] = 4.0 * codes[i]  # dominates the residual stream through the random layers
            weight[chain[i + 1]] += 30.0 * codes[i]
    return weight


def f32(a) -> str:
    return base64.b64encode(np.ascontiguousarray(np.asarray(a, dtype="<f4")).tobytes()).decode()


def reference_run(load_model, conversation, mm_utils, constants, sp, manifest: dict) -> dict:
    """inference_interactive.py's path, greedy, without the KV cache (the authors' forward on the
    whole sequence each step), each step on a freshly loaded model: with transformers 5.18 the
    authors' forward returns other logits from its second call on (the same inputs_embeds reach
    LlamaModel, which alone gives the first call's values every time; not seen with the
    reference's transformers 4.31, not investigated further), so only a first call is trusted."""
    conv = conversation.conv_templates["v1_inpaint"].copy()
    conv.append_message(conv.roles[0], constants.DEFAULT_IMAGE_TOKEN + "\n" + REQUEST)
    conv.append_message(conv.roles[1], None)
    prompt = conv.get_prompt()

    class SentencePieceTokenizer:  # the slow LlamaTokenizer on text without special tokens
        bos_token_id = 1

        def __call__(self, text):
            assert "</s>" not in text and "<s>" not in text
            return type("Encoded", (), {"input_ids": [1, *sp.encode(text)]})

    tok = SentencePieceTokenizer()
    input_ids = mm_utils.tokenizer_image_token(prompt, tok, constants.IMAGE_TOKEN_INDEX)
    pixels = reference_pixels(synthetic_frame(), manifest["vision"]["imageSize"], manifest["vision"]["mean"], manifest["vision"]["std"])
    ids = torch.tensor([input_ids])
    tokens: List[int] = []
    hidden: List[np.ndarray] = []
    for _ in range(MAX_NEW_TOKENS):
        model = load_model()
        out = model(input_ids=ids, images=pixels, output_hidden_states=True, return_dict=True)
        hidden.append(out.hidden_states[-1][0, -1].numpy())
        token = int(out.logits[0, -1].argmax())
        if token == 2:
            break
        tokens.append(token)
        ids = torch.cat([ids, torch.tensor([[token]])], dim=1)
    answer = sp.decode(tokens).strip()
    states = torch.from_numpy(np.stack(hidden))[None]
    feature = model.transfer_head(states)
    start = mm_utils.get_prompt_id_start(answer, tok, constants.IMAGE_TOKEN_INDEX)
    # get_prompt_id_start tokenises the answer with a BOS, so `start` counts that too (see generate.ts).
    return {
        "request": REQUEST,
        "prompt": prompt,
        "inputIds": input_ids,
        "imageTokenIndex": constants.IMAGE_TOKEN_INDEX,
        "frame": {"width": FRAME[0], "height": FRAME[1]},
        "tokens": tokens,
        "answer": answer,
        "stoppedBy": "eos" if len(hidden) > len(tokens) else "limit",
        "hidden": f32(states[0].numpy()),
        "promptIdStart": start,
        "promptEmbeds": f32(feature[0, start:].detach().numpy()),
        "promptEmbedsRows": int(states.shape[1] - start),
    }


def tokenizer_record(sp, model_file: Path) -> Dict[str, List[int]]:
    """SentencePiece's ids of the exporter's check strings; those with a special token split as the
    non-legacy slow tokenizer does (SentencePiece for the first piece, no dummy prefix after `</s>`)."""
    import llama_tokenizer_json as llama

    pieces, options = llama.read_pieces(model_file)

    def encode(text: str, prefix: bool) -> List[int]:
        return sp.encode(text) if prefix else llama.sentencepiece_bpe_encode(text, pieces, options, False)

    record = {s: sp.encode(s) for s in lgvii.TOKENIZER_CHECKS}
    record.update({s: llama.encode_with_specials(s, pieces, options, False, encode) for s in lgvii.SPECIAL_CHECKS})
    return record


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lgvi-repo", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--keep", type=Path, help="also keep the built checkpoints here")
    args = p.parse_args(argv)
    torch.manual_seed(SEED)
    torch.set_grad_enabled(False)
    work = Path(tempfile.mkdtemp(prefix="lgvi-i-fixture-"))
    try:
        LlavaLlamaInpaint, conversation, clip_dir, llava_dir, ckpt, sp = build_checkpoints(work, args.lgvi_repo)
        ns = argparse.Namespace(llava=llava_dir, clip=clip_dir, checkpoint=ckpt)
        model = lgvii.load_reference_model(ns, LlavaLlamaInpaint)
        if args.out.exists():
            shutil.rmtree(args.out)
        report: List[str] = []
        manifest = lgvii.export_lgvi_i_pack(model, conversation, llava_dir, None, args.out, pack_id="lgvi-i-export-fixture", opset=17, max_new_tokens=MAX_NEW_TOKENS, log=report.append)
        _, _, _, mm_utils, constants = lgvii.import_authors_llava(args.lgvi_repo)
        record = reference_run(lambda: lgvii.load_reference_model(ns, LlavaLlamaInpaint), conversation, mm_utils, constants, sp, manifest)
        record["tokenizer"] = tokenizer_record(sp, llava_dir / "tokenizer.model")
        record["export"] = report
        record["versions"] = lgvii.lgvi.tool_versions()
        (args.out / "reference.json").write_text(json.dumps(record, indent=1) + "\n")
        for line in report:
            print(line)
        print(f"reference: {len(record['tokens'])} tokens, answer {record['answer']!r}, stopped by {record['stoppedBy']}")
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
