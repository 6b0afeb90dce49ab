#!/usr/bin/env python3
"""Draw the picture of the welcome article that `broadsheet init` writes (builder/commands/starter/welcome.jpg).

    .venv/bin/python scripts/make_starter_image.py

A newspaper front page on a pale blue background: a dark headline bar, a picture of green hills
under a yellow sun, and three columns of grey lines standing for text. The alt texts in
builder/commands/starter/welcome.yaml describe exactly this, so change both together.
Deterministic: the same Pillow version writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

W, H, SS = 1200, 675, 2
OUT = Path(__file__).resolve().parents[1] / "builder" / "commands" / "starter" / "welcome.jpg"


def main() -> None:
    image = Image.new("RGB", (W * SS, H * SS), "#dbe9f6")
    draw = ImageDraw.Draw(image)
    s = lambda *values: [v * SS for v in values]
    draw.rectangle(s(262, 52, 962, 652), fill="#b9cbe0")  # the page's shadow
    draw.rectangle(s(250, 40, 950, 640), fill="#fdfcf8", outline="#8a98a8", width=2 * SS)
    draw.rectangle(s(290, 80, 910, 130), fill="#1f2a38")  # headline
    draw.rectangle(s(290, 150, 690, 162), fill="#6b7785")  # standfirst
    # The picture in the first column: green hills under a yellow sun.
    draw.rectangle(s(290, 190, 490, 340), fill="#9fd0f0")
    draw.ellipse(s(420, 205, 465, 250), fill="#f5c542")
    draw.polygon(s(290, 340, 290, 290, 350, 255, 420, 300, 490, 270, 490, 340), fill="#5a9e4b")
    draw.polygon(s(290, 340, 360, 305, 430, 325, 490, 310, 490, 340), fill="#3f7d36")
    for column, top in ((290, 360), (520, 190), (720, 190)):
        for y in range(top, 610, 22):
            width = 190 if (y // 22) % 5 else 130
            draw.rectangle(s(column, y, column + width, y + 9), fill="#a9b1ba")
    image.resize((W, H), Image.LANCZOS).save(OUT, "JPEG", quality=80, optimize=True)
    print(f"{OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
