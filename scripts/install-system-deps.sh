#!/usr/bin/env bash
# Install the Debian packages the app and the tests need, only those missing.
# Usage: install-system-deps.sh [run|test]
#   run:  what the GUI needs to start (Qt's runtime libraries).
#   test: plus Xvfb (screenshots, frozen-app smoke test), a real Secret Service,
#         libsecret's secret-tool and Node (README's readers of what we store), and git
#         (a CRLF clone of the catalog: test_i18n), also where the tree was copied in.
# Does nothing where apt-get is absent (not Debian) and explains what to do when
# not root.
set -euo pipefail
profile="${1:-test}"

qt_runtime=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3
  libglib2.0-0 fonts-dejavu-core libxkbcommon-x11-0 libx11-xcb1 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-xkb1 libxcb-cursor0 libwayland-client0 libwayland-cursor0)
test_extra=(xvfb xauth gnome-keyring dbus dbus-x11 libsecret-tools nodejs binutils openssl
  util-linux at-spi2-core python3-pyatspi dpkg-dev desktop-file-utils appstream xz-utils git)

wanted=("${qt_runtime[@]}")
if [ "$profile" = test ]; then
  wanted+=("${test_extra[@]}")
fi

command -v apt-get >/dev/null 2>&1 || exit 0
command -v dpkg >/dev/null 2>&1 || exit 0

missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Faltan paquetes del sistema / Missing system packages: ${missing[*]}" >&2
  echo "Instálalos con / Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
