#!/usr/bin/env bash
# Build the Debian package from a built onedir folder:
#   packaging/linux/build-deb.sh BUNDLE OUTDIR  →  OUTDIR/alegra-wizard_<version>_<arch>.deb
# (`make dist` runs it on dist/alegra-wizard; tests/test_deb.py on its own build.)
# Layout: the app under /opt/alegra-wizard, /usr/bin/alegra-wizard (a link: the bundle
# finds _internal/ from its real path), the menu entry, hicolor icons, AppStream metainfo.
# Depends: what dpkg-shlibdeps finds the bundle's ELF files need from the system
# (packaging/system_libs.py: the libraries left out of the bundle), plus a Secret Service
# provider (the token goes to the keyring; there is no plaintext fallback). No maintainer
# scripts: dpkg's triggers refresh the menu and icon caches, and purge leaves nothing.
set -euo pipefail
umask 022
[ $# -eq 2 ] || { echo "usage: $0 BUNDLE OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bundle=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
PY=${PYTHON:-$root/.venv/bin/python}
version=$("$PY" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$root/pyproject.toml")
arch=$(dpkg --print-architecture)
appstream_id=com.alegra_wizard.AlegraWizard
[ -x "$bundle/alegra-wizard" ] || { echo "not a built bundle: $bundle" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg="$work/debian/alegra-wizard"  # dpkg-shlibdeps looks for the package tree here
install -d "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/metainfo" "$pkg/usr/share/doc/alegra-wizard"
cp -a "$bundle" "$pkg/opt/alegra-wizard"
ln -s /opt/alegra-wizard/alegra-wizard "$pkg/usr/bin/alegra-wizard"
install -m 644 "$here/alegra-wizard.desktop" "$pkg/usr/share/applications/"
install -m 644 "$here/$appstream_id.metainfo.xml" "$pkg/usr/share/metainfo/"
for size in 16 24 32 48 64 128 256 512; do
  install -D -m 644 "$root/resources/icons/alegra-wizard-$size.png" \
    "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/alegra-wizard.png"
done
install -D -m 644 "$root/resources/icons/alegra-wizard.svg" \
  "$pkg/usr/share/icons/hicolor/scalable/apps/alegra-wizard.svg"
install -m 644 "$here/copyright" "$pkg/usr/share/doc/alegra-wizard/copyright"

# Runtime dependencies of every ELF file in the bundle; its own libraries are private
# (-l: found there, not looked up in other packages).
mapfile -t elves < <(find "$pkg/opt" -type f -exec sh -c \
  'for f; do [ "$(head -c 4 "$f" | od -An -c | tr -d " ")" = "177ELF" ] && printf "%s\n" "$f"; done' _ {} +)
mapfile -t libdirs < <(printf '%s\n' "${elves[@]}" | xargs -n1 dirname | sort -u)
printf 'Source: alegra-wizard\n\nPackage: alegra-wizard\nArchitecture: any\n' > "$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O --ignore-missing-info "${libdirs[@]/#/-l}" "${elves[@]}" 2>"$work/shlibdeps.log" \
  | sed -n 's/^shlibs:Depends=//p') || { cat "$work/shlibdeps.log" >&2; exit 1; }
[ -n "$shlibs" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; cat "$work/shlibdeps.log" >&2; exit 1; }
# dpkg-shlibdeps also names the system's copies of libraries the bundle ships (it finds
# those first): drop a package that provides one (libssl3, libffi8, libxcb-cursor0…), so
# the .deb doesn't ask for what it carries (e.g. Ubuntu 22.04's libssl3 is older than
# "libssl3 (>= 3.0.3)").
shipped=$(find "$pkg/opt" -name '*.so*' -printf '%f\n' | sort -u)
kept=()
IFS=',' read -ra deps <<< "$shlibs"
for dep in "${deps[@]}"; do
  dep=${dep# }
  name=${dep%% *}
  provided=$(dpkg -L "$name:$arch" 2>/dev/null || dpkg -L "$name" 2>/dev/null || true)
  if printf '%s\n' "$provided" | grep -o '[^/]*\.so[.0-9]*$' | grep -qxFf <(printf '%s\n' "$shipped"); then
    continue
  fi
  kept+=("$dep")
done
shlibs=$(IFS=','; printf '%s' "${kept[*]}" | sed 's/,/, /g')
secret_service="gnome-keyring | libkf5wallet-bin (>= 5.97) | kwalletd6 | keepassxc"

installed_kib=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: alegra-wizard
Version: $version
Architecture: $arch
Maintainer: alegra-wizard <packaging@alegra-wizard.invalid>
Installed-Size: $installed_kib
Depends: $shlibs, $secret_service
Section: utils
Priority: optional
Description: Asistente de conexión con Alegra / Alegra API credentials wizard
 Te guía para encontrar tu correo y tu token de la API de Alegra, limpia lo
 que pegas, prueba la conexión y guarda el token en el llavero del sistema.
 .
 Guides you to your Alegra API email and token, cleans what you paste,
 checks the connection and stores the token in the system keyring.
CONTROL
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
  | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"

deb="$out/alegra-wizard_${version}_${arch}.deb"
# xz: every dpkg reads it (zstd needs dpkg >= 1.21.18); -9: 0.4 MiB less than -6.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)} \
  dpkg-deb --root-owner-group -Zxz -z9 --build "$pkg" "$deb" >/dev/null
echo "$deb"
