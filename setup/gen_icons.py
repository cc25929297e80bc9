"""Each suite addon's static/description/icon.png: 128×128, one colour and glyph per addon.

The Apps page, the Service menu (service_base's) and the portal's entries show
them. Drawn at four times the size and scaled down, for smooth edges.

    gen_icons.py [ADDON ...]    every suite addon by default
"""

import math
import pathlib
import sys

from PIL import Image, ImageDraw

ROOT = pathlib.Path(__file__).resolve().parent.parent
SIZE = 128
SCALE = 4
S = SIZE * SCALE
WHITE = (255, 255, 255, 255)


def background(draw, colour):
    draw.rounded_rectangle((0, 0, S - 1, S - 1), radius=26 * SCALE, fill=colour)


def units(draw, colour):
    """Installed base: three units on a shelf."""
    u = SCALE
    draw.rounded_rectangle((22 * u, 50 * u, 62 * u, 90 * u), radius=5 * u, fill=WHITE)
    draw.rounded_rectangle((66 * u, 50 * u, 106 * u, 90 * u), radius=5 * u, fill=WHITE)
    draw.rounded_rectangle((44 * u, 18 * u, 84 * u, 48 * u), radius=5 * u, fill=WHITE)
    for x in (30, 74):
        draw.rectangle((x * u, 58 * u, (x + 24) * u, 66 * u), fill=colour)
        draw.ellipse(((x + 18) * u, 76 * u, (x + 24) * u, 82 * u), fill=colour)
    draw.rectangle((52 * u, 26 * u, 76 * u, 32 * u), fill=colour)
    draw.rounded_rectangle((16 * u, 96 * u, 112 * u, 104 * u), radius=3 * u, fill=WHITE)


def wrench(draw, colour):
    """Requests and repairs: a wrench."""
    u = SCALE
    draw.line((40 * u, 88 * u, 84 * u, 44 * u), fill=WHITE, width=16 * u)
    draw.ellipse((22 * u, 70 * u, 58 * u, 106 * u), fill=WHITE)
    draw.ellipse((66 * u, 22 * u, 106 * u, 62 * u), fill=WHITE)
    # the jaw: a notch cut into the head
    draw.polygon(
        [(86 * u, 10 * u), (104 * u, 28 * u), (92 * u, 42 * u), (74 * u, 24 * u)], fill=colour
    )
    draw.ellipse((34 * u, 82 * u, 46 * u, 94 * u), fill=colour)


def gear(draw, colour):
    """Spare parts: a gear."""
    u = SCALE
    cx = cy = 64 * u
    teeth = 8
    for i in range(teeth):
        a = 2 * math.pi * i / teeth
        w = 0.22
        r1, r2 = 30 * u, 48 * u
        points = [
            (cx + r1 * math.cos(a - w), cy + r1 * math.sin(a - w)),
            (cx + r2 * math.cos(a - w * 0.6), cy + r2 * math.sin(a - w * 0.6)),
            (cx + r2 * math.cos(a + w * 0.6), cy + r2 * math.sin(a + w * 0.6)),
            (cx + r1 * math.cos(a + w), cy + r1 * math.sin(a + w)),
        ]
        draw.polygon(points, fill=WHITE)
    draw.ellipse((cx - 36 * u, cy - 36 * u, cx + 36 * u, cy + 36 * u), fill=WHITE)
    draw.ellipse((cx - 14 * u, cy - 14 * u, cx + 14 * u, cy + 14 * u), fill=colour)


def contract(draw, colour):
    """Contracts and warranty: a signed sheet with a check mark."""
    u = SCALE
    draw.rounded_rectangle((30 * u, 16 * u, 98 * u, 112 * u), radius=6 * u, fill=WHITE)
    for y in (32, 44, 56):
        draw.rounded_rectangle((42 * u, y * u, 86 * u, (y + 5) * u), radius=2 * u, fill=colour)
    draw.line(
        [(44 * u, 84 * u), (58 * u, 98 * u), (86 * u, 68 * u)],
        fill=colour,
        width=9 * u,
        joint="curve",
    )


def clock(draw, colour):
    """Contract SLA on requests: a clock with a shield's point."""
    u = SCALE
    draw.ellipse((18 * u, 18 * u, 110 * u, 110 * u), fill=WHITE)
    draw.ellipse((28 * u, 28 * u, 100 * u, 100 * u), fill=colour)
    draw.ellipse((34 * u, 34 * u, 94 * u, 94 * u), fill=WHITE)
    draw.line([(64 * u, 64 * u), (64 * u, 42 * u)], fill=colour, width=7 * u)
    draw.line([(64 * u, 64 * u), (80 * u, 72 * u)], fill=colour, width=7 * u)
    draw.ellipse((59 * u, 59 * u, 69 * u, 69 * u), fill=colour)


def chart(draw, colour):
    """The manager's cockpit: bars and a trend."""
    u = SCALE
    for x, top in ((24, 70), (50, 50), (76, 34)):
        draw.rounded_rectangle((x * u, top * u, (x + 20) * u, 100 * u), radius=3 * u, fill=WHITE)
    draw.rounded_rectangle((18 * u, 102 * u, 110 * u, 108 * u), radius=2 * u, fill=WHITE)
    draw.line(
        [(22 * u, 58 * u), (48 * u, 38 * u), (70 * u, 44 * u), (104 * u, 16 * u)],
        fill=(255, 214, 102, 255),
        width=6 * u,
        joint="curve",
    )


def pin(draw, colour):
    """Field visits: a map pin over the road."""
    u = SCALE
    draw.ellipse((34 * u, 14 * u, 94 * u, 74 * u), fill=WHITE)
    draw.polygon([(38 * u, 56 * u), (90 * u, 56 * u), (64 * u, 96 * u)], fill=WHITE)
    draw.ellipse((52 * u, 32 * u, 76 * u, 56 * u), fill=colour)
    draw.rounded_rectangle((18 * u, 102 * u, 110 * u, 110 * u), radius=3 * u, fill=WHITE)


def pin_cost(draw, colour):
    """Visits in the cockpit: a map pin beside the bars of their cost."""
    u = SCALE
    draw.ellipse((14 * u, 18 * u, 58 * u, 62 * u), fill=WHITE)
    draw.polygon([(17 * u, 49 * u), (55 * u, 49 * u), (36 * u, 86 * u)], fill=WHITE)
    draw.ellipse((27 * u, 31 * u, 45 * u, 49 * u), fill=colour)
    for x, top in ((66, 62), (84, 44), (102, 28)):
        draw.rounded_rectangle((x * u, top * u, (x + 12) * u, 96 * u), radius=2 * u, fill=WHITE)
    draw.rounded_rectangle((14 * u, 102 * u, 114 * u, 108 * u), radius=2 * u, fill=WHITE)


def calendar(draw, colour):
    """Maintenance plans: a calendar page with a tick."""
    u = SCALE
    draw.rounded_rectangle((20 * u, 26 * u, 108 * u, 106 * u), radius=8 * u, fill=WHITE)
    draw.rectangle((20 * u, 44 * u, 108 * u, 50 * u), fill=colour)
    for x in (40, 84):
        draw.rounded_rectangle((x * u, 16 * u, (x + 6) * u, 36 * u), radius=3 * u, fill=WHITE)
    draw.line(
        [(42 * u, 76 * u), (58 * u, 92 * u), (88 * u, 60 * u)],
        fill=colour,
        width=9 * u,
        joint="curve",
    )


ICONS = {
    "service_base": ((38, 110, 164, 255), units),
    "service_repair": ((214, 96, 44, 255), wrench),
    "service_parts": ((72, 132, 76, 255), gear),
    "service_contracts": ((111, 76, 155, 255), contract),
    "service_repair_contracts": ((190, 58, 90, 255), clock),
    "service_manager": ((40, 58, 82, 255), chart),
    "service_field": ((22, 138, 150, 255), pin),
    "service_field_manager": ((31, 98, 116, 255), pin_cost),
    "service_maintenance": ((196, 140, 20, 255), calendar),
}


def suite_addon_dirs():
    return {
        m.parent.name: m.parent
        for m in [*ROOT.glob("addons/*/__manifest__.py"), *ROOT.glob("*/__manifest__.py")]
    }


def draw_icon(name):
    colour, glyph = ICONS[name]
    image = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    background(draw, colour)
    glyph(draw, colour)
    return image.resize((SIZE, SIZE), Image.LANCZOS)


def main(names):
    addons = suite_addon_dirs()
    missing = sorted(set(addons) - set(ICONS))
    if missing:
        sys.exit(f"no icon drawn for {', '.join(missing)}: add it to ICONS")
    for name in names or sorted(addons):
        path = addons[name] / "static" / "description" / "icon.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_icon(name).save(path, optimize=True)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
