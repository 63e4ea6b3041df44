#!/usr/bin/env bash
# Build the frozen Linux app (onedir) and its packages: dist/alegra-wizard/,
# dist/alegra-wizard-<version>-linux-<arch>.tar.gz (the app folder, the .desktop file, the
# icon and install-desktop-entry.sh) and dist/alegra-wizard_<version>_<debian arch>.deb
# (packaging/linux/build-deb.sh). Prints the three sizes. Run from anywhere: `make dist`.
# PyInstaller's work folder (build/pyinstaller) is its cache: a rebuild takes ~25 s.
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
chmod +x "$stage/$name/install-desktop-entry.sh"
# Same bytes for the same inputs: sorted names, no build machine's user in the archive.
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$name" \
    | gzip -9n > "dist/$name.tar.gz"
deb=$(bash packaging/linux/build-deb.sh dist/alegra-wizard dist)
mib() { awk "BEGIN{printf \"%.1f\", $1/1048576}"; }
onedir=$(find dist/alegra-wizard -type f -printf '%s\n' | awk '{s+=$1} END{print s}')
archive=$(stat -c %s "dist/$name.tar.gz")
echo "onedir:  dist/alegra-wizard  $(mib "$onedir") MiB (goal ≤ 95 MiB)"
echo "archive: dist/$name.tar.gz  $(mib "$archive") MiB (goal ≤ 38 MiB)"
echo "deb:     ${deb#"$PWD"/}  $(mib "$(stat -c %s "$deb")") MiB (goal ≤ 28 MiB)"
