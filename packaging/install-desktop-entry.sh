#!/usr/bin/env bash
# Adds Haven to this user's application menu (or removes it with --remove): a desktop entry that starts this
# folder's `haven`, and its icons. Nothing is written outside ~/.local/share; no root needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/haven.desktop"
icons="$data/icons/hicolor"
if [[ "${1:-}" == "--remove" ]]; then
    rm -f "$entry" "$icons/scalable/apps/haven.svg" "$icons/256x256/apps/haven.png" "$icons/48x48/apps/haven.png"
    echo "Haven removed from the application menu (its history stays in your data folder)."
    exit 0
fi
install -Dm644 "$here/icons/haven.svg" "$icons/scalable/apps/haven.svg"
install -Dm644 "$here/icons/haven-256.png" "$icons/256x256/apps/haven.png"
install -Dm644 "$here/icons/haven-48.png" "$icons/48x48/apps/haven.png"
mkdir -p "$(dirname "$entry")"
sed "s|^Exec=haven$|Exec=\"$here/haven\"|" "$here/haven.desktop" > "$entry"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
echo "Haven added to the application menu: $entry"
