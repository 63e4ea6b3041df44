#!/usr/bin/env bash
# Per-user install of the untarred app: a menu entry and icon, no root needed.
# Run from the folder the archive was extracted to: ./install-desktop-entry.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/alegra-wizard.png" "$icons/alegra-wizard.png"
sed "s|^Exec=.*|Exec=\"$here/alegra-wizard/alegra-wizard\"|" "$here/alegra-wizard.desktop" \
    > "$apps/alegra-wizard.desktop"
chmod +x "$apps/alegra-wizard.desktop"
echo "Listo / Done: $apps/alegra-wizard.desktop"
