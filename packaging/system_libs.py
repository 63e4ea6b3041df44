"""Which shared libraries the frozen Linux app takes from the system instead of bundling.

The bundle already needs the build machine's glibc or newer (build on the oldest
distribution supported). The libraries below are on every Linux desktop, have kept their
sonames for a decade and, unlike a bundled copy, match the system's own drivers and
configuration: a bundled libstdc++ older than the one the system's Mesa driver was built
with breaks OpenGL ("GLIBCXX_… not found"), a bundled fontconfig older than the system's
/etc/fonts warns and may find no fonts. Still bundled: what a desktop may lack (the xcb
utility libraries Qt 6 needs, e.g. libxcb-cursor; libffi; OpenSSL 3; ICU; Qt itself).

The .deb declares them as Depends (dpkg-shlibdeps); tests/test_frozen.py checks every
library the bundle needs from outside is one of these, glibc's, or what PyInstaller
never bundles (OpenGL, libxcb, Wayland's client libraries).
"""

from __future__ import annotations

import re

LEFT_TO_SYSTEM = {
    "C++ runtime": r"libstdc\+\+\.so|libgcc_s\.so",
    "X11 core": r"libX11(-xcb)?\.so|libxcb-(glx|randr|render|shape|shm|sync|xfixes|xkb)\.so"
    r"|libxkbcommon\.so",
    "GLib": r"libglib-2\.0\.so|libgthread-2\.0\.so|libpcre2-8\.so",
    "D-Bus (the Secret Service is reached over it)": r"libdbus-1\.so|libsystemd\.so"
    r"|libgcrypt\.so|libgpg-error\.so|liblz4\.so|libzstd\.so|liblzma\.so|libcap\.so",
    "fonts": r"libfontconfig\.so|libfreetype\.so|libpng16\.so|libexpat\.so|libz\.so"
    r"|libbrotli(common|dec)\.so|libbz2\.so",
}
"""Libraries PyInstaller would bundle and the spec leaves to the system, by reason."""

NEVER_BUNDLED = (
    r"ld-linux[-\w]*\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so"
    r"|libGL\.so|libEGL\.so|libGLX\.so|libOpenGL\.so|libxcb\.so|libwayland-(client|cursor)\.so"
)
"""What PyInstaller itself leaves to the system (glibc; OpenGL, libxcb and Wayland's
client libraries, which must match the system's graphics stack)."""

FROM_SYSTEM = re.compile(r"^(" + "|".join(LEFT_TO_SYSTEM.values()) + r")")
SYSTEM_OR_GLIBC = re.compile(r"^(" + "|".join([*LEFT_TO_SYSTEM.values(), NEVER_BUNDLED]) + r")")


def from_system(name: str) -> bool:
    """True for a library file name (soname) the spec leaves out of the bundle."""
    return bool(FROM_SYSTEM.match(name))
