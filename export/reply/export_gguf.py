"""Convert the trained peft adapter into a llama.cpp GGUF LoRA, and check it against peft.

    python -m export.reply.export_gguf      # runs/reply-lora/adapter → assets/models/reply/

Tensors are named as llama.cpp names the base model's (`blk.N.attn_q.weight.lora_a`);
LoRA A matrices are stored as Q8_0 (their rows are multiples of 32), B matrices as F16
(rows of the LoRA rank). The check loads the Q4_K_M base with the adapter in llama-cpp-python
and compares its next-token logits with the float32 PyTorch model plus peft adapter.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from desktop_app.engine.paths import REPLY_MODEL_DIR
from desktop_app.engine.replies.model import file_sha256
from export.reply.base import base_gguf
from export.reply.train import RUN

ADAPTER_FILE = "haven-reply-lora.gguf"
CHECK_PROMPTS = (
    "<start_of_turn>user\nI can't sleep and I keep worrying about work.<end_of_turn>\n<start_of_turn>model\n",
    "<start_of_turn>user\nMy sister and I had a huge fight and now she won't talk to me.<end_of_turn>\n"
    "<start_of_turn>model\nThat sounds painful.",
)


def _tensors(adapter: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return load_file(adapter / "adapter_model.safetensors")


def gguf_name(peft_name: str, n_blocks: int) -> str:
    """`base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight` → `blk.3.attn_q.weight.lora_a`."""
    import gguf

    base, _, part = peft_name.removeprefix("base_model.model.").rpartition(".lora_")
    name = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GEMMA3, n_blocks).get_name(f"{base}.weight", (".weight",))
    if name is None:
        raise ValueError(f"no llama.cpp name for {peft_name}")
    return f"{name}.lora_{part[0].lower()}"


def write_gguf(adapter: Path, out: Path) -> dict:
    import gguf

    config = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    tensors = _tensors(adapter)
    n_blocks = 1 + max(int(name.split(".layers.")[1].split(".")[0]) for name in tensors)
    writer = gguf.GGUFWriter(out, "gemma3")
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(config["lora_alpha"]))
    writer.add_name("Haven reply LoRA for Gemma 3 270M")
    writer.add_string("haven.base_model.sha256", file_sha256(base_gguf()))
    for name in sorted(tensors):
        array = tensors[name].astype(np.float32)
        if array.shape[-1] % 32 == 0:
            writer.add_tensor(gguf_name(name, n_blocks), gguf.quants.quantize(array, gguf.GGMLQuantizationType.Q8_0),
                              raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        else:
            writer.add_tensor(gguf_name(name, n_blocks), array.astype(np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return {"rank": config["r"], "alpha": config["lora_alpha"], "tensors": len(tensors), "bytes": out.stat().st_size}


def agreement(adapter: Path, lora_gguf: Path) -> dict:
    """Pearson r of next-token logits, llama.cpp (Q4_K_M + GGUF LoRA) vs PyTorch (float32 + peft)."""
    import torch
    from llama_cpp import Llama
    from peft import PeftModel

    from export.reply.base import load_torch_model

    tokenizer, base = load_torch_model()
    model = PeftModel.from_pretrained(base, adapter).eval()
    llm = Llama(str(base_gguf()), lora_path=str(lora_gguf), n_ctx=128, n_threads=2, logits_all=True, verbose=False)
    out = {}
    for number, prompt in enumerate(CHECK_PROMPTS):
        ids = [tokenizer.bos_token_id, *tokenizer(prompt, add_special_tokens=False).input_ids]
        with torch.no_grad():
            reference = model(torch.tensor([ids])).logits[0, -1].numpy()
        llm.reset()
        llm.eval(ids)
        ours = np.array(llm.scores[llm.n_tokens - 1])
        out[f"prompt_{number}"] = round(float(np.corrcoef(reference, ours)[0, 1]), 4)
        out[f"prompt_{number}_same_top_token"] = int(reference.argmax()) == int(ours.argmax())
    return out


def main() -> None:
    adapter = RUN / "adapter"
    REPLY_MODEL_DIR.mkdir(parents=True, exist_ok=True)
    out = REPLY_MODEL_DIR / ADAPTER_FILE
    info = write_gguf(adapter, out)
    info["agreement_with_peft"] = agreement(adapter, out)
    info["sha256"] = file_sha256(out)
    (RUN / "export.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
