#!/usr/bin/env bash
# Build the frozen Linux app (onedir) and its archive: dist/alegra-wizard/ and
# dist/alegra-wizard-<version>-linux-<arch>.tar.gz (app, .desktop file, icon, installer
# of the menu entry). Prints both sizes. Run from anywhere: `make dist`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
arch=$(uname -m)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/alegra-wizard.spec
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
name="alegra-wizard-$version-linux-$arch"
mkdir -p "$stage/$name"
cp -a dist/alegra-wizard "$stage/$name/"
cp packaging/linux/alegra-wizard.desktop packaging/linux/install-desktop-entry.sh "$stage/$name/"
cp resources/icons/alegra-wizard-256.png "$stage/$name/alegra-wizard.png"
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
onedir=$(du -sb dist/alegra-wizard | cut -f1)
archive=$(stat -c %s "dist/$name.tar.gz")
echo "onedir:  dist/alegra-wizard  $(awk "BEGIN{printf \"%.1f\", $onedir/1048576}") MiB"
echo "archive: dist/$name.tar.gz  $(awk "BEGIN{printf \"%.1f\", $archive/1048576}") MiB"
