"""Draw our own simplified mockups of Alegra's screens, one SVG per step and language.

These are not Alegra's artwork: plain shapes and the labels a user looks for, with
a numbered red callout on what to click. Texts come from the catalog
(resources/i18n/mockups.toml). Re-run after changing a text:

    .venv/bin/python scripts/make_mockups.py

Only the SVG Tiny subset Qt's renderer draws is used (no CSS, filters or masks).
A PNG of the same name placed beside an SVG overrides it in the app.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard import i18n  # noqa: E402

W, H = 800, 500
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
TEAL, RED, INK, MUTED, LINE, PAPER = (
    "#00A79D",
    "#D92D20",
    "#1F2937",
    "#6B7280",
    "#D1D5DB",
    "#F5F7FA",
)
MASKED_TOKEN = "a1b2••••••••••••9f3c"  # noqa: S105 (a drawing, not a secret)


class Svg:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.parts: list[str] = []

    def t(self, key: str) -> str:
        return i18n.t(f"mockup.{key}", self.lang)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str = "#FFFFFF",
        stroke: str = "none",
        rx: float = 6,
        width: float = 1,
    ) -> None:
        self.parts.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"/>'
        )

    def circle(self, cx: float, cy: float, r: float, fill: str, stroke: str = "none") -> None:
        self.parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" stroke="{stroke}"/>')

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: int = 15,
        fill: str = INK,
        bold: bool = False,
        anchor: str = "start",
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{x}" y="{y}" font-family={quoteattr(FONT)} font-size="{size}" '
            f'fill="{fill}" text-anchor="{anchor}"{weight}>{escape(s)}</text>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str = LINE, width: float = 1
    ) -> None:
        self.parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" '
            f'stroke-width="{width}"/>'
        )

    def callout(self, n: int, x: float, y: float, w: float, h: float) -> None:
        """A red box around what to click, with its number in a red disc."""
        self.rect(x - 5, y - 5, w + 10, h + 10, fill="none", stroke=RED, rx=8, width=3)
        cx, cy = x - 5, y - 5
        self.circle(cx, cy, 15, RED, stroke="#FFFFFF")
        self.text(cx, cy + 6, str(n), size=17, fill="#FFFFFF", bold=True, anchor="middle")

    def render(self) -> str:
        body = "\n  ".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
            f'width="{W}" height="{H}" viewBox="0 0 {W} {H}">\n  {body}\n</svg>\n'
        )


# --- shared chrome -----------------------------------------------------------------
def browser(svg: Svg, address: str) -> None:
    svg.rect(0, 0, W, H, fill=PAPER, stroke="#9CA3AF", rx=10)
    svg.rect(1, 1, W - 2, 38, fill="#E5E7EB", rx=10)
    for i, colour in enumerate(("#F87171", "#FBBF24", "#34D399")):
        svg.circle(20 + 18 * i, 20, 6, colour)
    svg.rect(90, 8, 560, 24, fill="#FFFFFF", stroke=LINE, rx=12)
    svg.text(106, 25, address, size=13, fill=MUTED)


def app_bar(svg: Svg, *, avatar_ring: bool = False) -> None:
    svg.rect(0, 40, W, 50, fill="#FFFFFF", rx=0)
    svg.line(0, 90, W, 90)
    svg.rect(18, 52, 92, 28, fill=TEAL, rx=14)
    svg.text(64, 72, "alegra", size=16, fill="#FFFFFF", bold=True, anchor="middle")
    for i in range(4):
        svg.rect(140 + 90 * i, 60, 70, 10, fill="#E5E7EB", rx=5)
    svg.circle(756, 65, 17, "#CBD5E1", stroke="#94A3B8" if avatar_ring else "none")
    svg.text(756, 71, "A", size=16, fill="#334155", bold=True, anchor="middle")


def page_heading(svg: Svg, title: str) -> None:
    svg.text(40, 130, title, size=22, bold=True)


def tabs(svg: Svg, active: str) -> tuple[float, float, float, float]:
    """The Integraciones tabs; returns the manual tab's box."""
    svg.line(40, 186, 760, 186)
    svg.rect(40, 150, 170, 36, fill="#FFFFFF", stroke=LINE, rx=4)
    svg.text(125, 174, svg.t("tabs.apps"), size=15, fill=MUTED, anchor="middle")
    box = (220, 150, 290, 36)
    on = active == "manual"
    svg.rect(*box, fill="#FFFFFF" if on else PAPER, stroke=TEAL if on else LINE, rx=4)
    if on:
        svg.rect(220, 182, 290, 4, fill=TEAL, rx=0)
    svg.text(
        365,
        174,
        svg.t("tabs.manual"),
        size=15,
        fill=TEAL if on else MUTED,
        bold=on,
        anchor="middle",
    )
    return box


def copy_button(svg: Svg, x: float, y: float) -> None:
    svg.rect(x, y, 74, 28, fill="#FFFFFF", stroke=TEAL, rx=4)
    svg.rect(x + 9, y + 8, 10, 12, fill="none", stroke=TEAL, rx=2)
    svg.rect(x + 13, y + 5, 10, 12, fill="#FFFFFF", stroke=TEAL, rx=2)
    svg.text(x + 48, y + 19, svg.t("card.copy"), size=12, fill=TEAL, anchor="middle")


# --- one drawing per step ------------------------------------------------------------
def sign_in(svg: Svg) -> None:
    browser(svg, "app.alegra.com")
    svg.rect(0, 40, W, H - 40, fill="#E6F6F4", rx=0)
    svg.rect(230, 70, 340, 400, fill="#FFFFFF", stroke=LINE, rx=12)
    svg.rect(354, 92, 92, 30, fill=TEAL, rx=15)
    svg.text(400, 113, "alegra", size=17, fill="#FFFFFF", bold=True, anchor="middle")
    svg.text(400, 162, svg.t("sign_in.title"), size=21, bold=True, anchor="middle")
    svg.text(280, 204, svg.t("sign_in.email"), size=14, fill=MUTED)
    svg.rect(262, 214, 276, 40, fill="#FFFFFF", stroke="#9CA3AF", rx=6)
    svg.text(276, 240, svg.t("sign_in.email_value"), size=15)
    svg.text(280, 284, svg.t("sign_in.password"), size=14, fill=MUTED)
    svg.rect(262, 294, 276, 40, fill="#FFFFFF", stroke="#9CA3AF", rx=6)
    svg.text(276, 321, "••••••••••", size=17, fill=INK)
    svg.rect(262, 370, 276, 44, fill=TEAL, rx=8)
    svg.text(400, 398, svg.t("sign_in.button"), size=17, fill="#FFFFFF", bold=True, anchor="middle")
    svg.callout(1, 262, 214, 276, 40)
    svg.callout(2, 262, 370, 276, 44)


def open_settings(svg: Svg) -> None:
    browser(svg, "app.alegra.com")
    app_bar(svg, avatar_ring=True)
    # The settings page behind the open menu.
    page_heading(svg, svg.t("menu.settings"))
    tiles = ["company", "users", "taxes", "integrations", "numbering", "einvoice"]
    for i, tile in enumerate(tiles):
        x, y = 40 + (i % 3) * 206, 160 + (i // 3) * 110
        svg.rect(x, y, 194, 90, fill="#FFFFFF", stroke=LINE, rx=8)
        svg.circle(x + 26, y + 30, 12, "#CCEFEC")
        svg.text(x + 14, y + 72, svg.t(f"settings.{tile}"), size=14, bold=tile == "integrations")
        if tile == "integrations":
            svg.callout(3, x, y, 194, 90)
    # The profile menu, open under the avatar.
    svg.rect(580, 92, 206, 138, fill="#FFFFFF", stroke="#9CA3AF", rx=8)
    for i, item in enumerate(("menu.profile", "menu.settings", "menu.logout")):
        svg.text(600, 126 + 40 * i, svg.t(item), size=15, bold=item == "menu.settings")
    svg.line(590, 186, 776, 186)
    svg.callout(1, 739, 48, 34, 34)
    svg.callout(2, 592, 146, 184, 32)


def manual_api(svg: Svg) -> None:
    browser(svg, "app.alegra.com/configuration")
    app_bar(svg)
    page_heading(svg, svg.t("settings.integrations"))
    box = tabs(svg, active="none")
    svg.rect(40, 206, 720, 250, fill="#FFFFFF", stroke=LINE, rx=8)
    for i in range(3):
        svg.rect(64, 234 + 70 * i, 48, 48, fill="#E5E7EB", rx=8)
        svg.rect(130, 244 + 70 * i, 260, 12, fill="#E5E7EB", rx=6)
        svg.rect(130, 264 + 70 * i, 180, 10, fill="#EEF0F3", rx=5)
    svg.callout(1, *box)


def copy_credentials(svg: Svg) -> None:
    browser(svg, "app.alegra.com/configuration")
    app_bar(svg)
    page_heading(svg, svg.t("settings.integrations"))
    tabs(svg, active="manual")
    svg.rect(40, 206, 720, 270, fill="#FFFFFF", stroke=LINE, rx=8)
    svg.text(64, 244, svg.t("card.title"), size=19, bold=True)
    rows = (("card.user", svg.t("sign_in.email_value")), ("card.token", MASKED_TOKEN))
    for i, (label, value) in enumerate(rows):
        y = 268 + 62 * i
        svg.text(64, y + 26, svg.t(label), size=15, fill=MUTED, bold=True)
        svg.rect(170, y, 330, 40, fill=PAPER, stroke=LINE, rx=6)
        svg.text(184, y + 26, value, size=16)
        copy_button(svg, 512, y + 6)
        svg.callout(i + 1, 170, y, 330, 40)
    # Renovar token: drawn crossed out, with a "don't" note.
    svg.rect(64, 410, 180, 40, fill="#FFFFFF", stroke="#9CA3AF", rx=6)
    svg.text(154, 436, svg.t("card.renew"), size=15, fill=MUTED, anchor="middle")
    svg.circle(272, 430, 15, RED)
    svg.line(264, 422, 280, 438, stroke="#FFFFFF", width=3)
    svg.line(264, 438, 280, 422, stroke="#FFFFFF", width=3)
    svg.text(296, 437, svg.t("card.dont"), size=17, fill=RED, bold=True)


STEPS: dict[str, Callable[[Svg], None]] = {
    "sign_in": sign_in,
    "open_settings": open_settings,
    "manual_api": manual_api,
    "copy_credentials": copy_credentials,
}


def main() -> int:
    for lang in i18n.LANGS:
        folder = ROOT / "resources" / "screenshots" / lang
        folder.mkdir(parents=True, exist_ok=True)
        for step, draw in STEPS.items():
            svg = Svg(lang)
            draw(svg)
            (folder / f"{step}.svg").write_text(svg.render(), encoding="utf-8")
            print(folder.relative_to(ROOT) / f"{step}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
