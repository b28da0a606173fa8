"""Fail a desktop build whose llama.cpp libraries hold AVX-512 or AMX instructions.

    python packaging/portable.py DIR...

llama.cpp built with `-DGGML_NATIVE=OFF` and no backend variants has no run-time CPU dispatch: every instruction
in `libggml-cpu` runs on whatever CPU opens the app, and AVX-512 code crashes CPUs without it (a native build
on this machine also holds AMX code that crashed here). The check disassembles each shared library under the
given folders with objdump and looks for what only AVX-512 (EVEX) and AMX encode: the zmm and mask registers,
embedded broadcasts, and mnemonics that exist in no earlier extension. Libraries that choose their kernels
at run time (onnxruntime, numpy) are not given to it.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

# zmm registers, opmask registers ({%k1} or %k0-%k7 operands), embedded broadcast {1toN}, EVEX-only mnemonics, AMX.
BEYOND_AVX2 = re.compile(
    r"%zmm\d+|%k[0-7]\b|\{1to\d+\}|\b(?:vpternlog[dq]|vperm[it]2\w+|vpcompress\w|vpexpand\w|vscalef\w+|vrndscale\w+|vgetexp\w+|"
    r"vgetmant\w+|vfixupimm\w+|vrange\w+|vreduce\w+|vpmovm2\w|vpmov\w2m|vpconflict\w|vplzcnt\w|vcvtne2ps2bf16|vdpbf16ps|"
    r"vpdpbusds?|vpdpwssds?|kmov\w|kortest\w|tileloadd\w*|tilestored|tdpb\w+|tdpfp16ps|ldtilecfg|sttilecfg|tilezero|tilerelease)\b"
)
VEX_PREFIX = "{vex}"  # AVX-VNNI spells vpdpbusd with a VEX prefix: an AVX2-era instruction, not AVX-512


def offending_instructions(disassembly: str) -> Counter[str]:
    """The instructions beyond AVX2 in objdump's output, counted by mnemonic."""
    found: Counter[str] = Counter()
    for line in disassembly.splitlines():
        if "\t" not in line or VEX_PREFIX in line:
            continue
        instruction = line.rsplit("\t", 1)[-1]
        if BEYOND_AVX2.search(instruction):
            found[instruction.split()[0]] += 1
    return found


def shared_libraries(folders: list[Path]) -> list[Path]:
    """Each shared library once: wheels hold copies, not links, under the versioned names."""
    by_content = {hashlib.sha256(path.read_bytes()).digest(): path for folder in folders for path in sorted(folder.rglob("*.so*"), reverse=True)
                  if path.is_file()}
    return sorted(by_content.values())


def main(arguments: list[str]) -> int:
    libraries = shared_libraries([Path(argument) for argument in arguments])
    if not libraries:
        print("portable: no shared libraries found", file=sys.stderr)
        return 1
    failed = False
    for library in libraries:
        disassembly = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(library)], check=True,
                                     capture_output=True, text=True).stdout
        found = offending_instructions(disassembly)
        if found:
            failed = True
            print(f"portable: {library.name} holds AVX-512/AMX instructions: {dict(found.most_common(8))}", file=sys.stderr)
        else:
            print(f"portable: {library.name}: no AVX-512 or AMX instructions")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
