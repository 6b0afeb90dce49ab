#!/usr/bin/env python3
"""Draw the illustrations used by the example site in content/.

Every lead and body image that an example article references is drawn here, so the
example site can be rebuilt from source. The drawings are deterministic: the same
Pillow version writes byte-identical files on every run.

    python scripts/make_example_images.py          # write static/images/<yyyy>/<name>.jpg
    python scripts/make_example_images.py --check  # only check that every image the
                                                   # content references exists

Each picture is drawn at twice its final size and scaled down, so edges are smooth.
The output is 1200x675 (16:9) JPEG at quality 70; each file must stay under 80 KB.
The alt texts in content/ describe what these drawings show, so change both together.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter

W, H = 1200, 675
SS = 2  # supersampling factor
QUALITY = 70
MAX_BYTES = 80_000

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
CONTENT = ROOT / "content"

RGB = tuple[int, int, int]


def rgb(color: str | RGB) -> RGB:
    return ImageColor.getrgb(color)[:3] if isinstance(color, str) else color


def mix(a: str | RGB, b: str | RGB, t: float) -> RGB:
    a, b = rgb(a), rgb(b)
    t = min(1.0, max(0.0, t))
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def alpha(color: str | RGB, a: int) -> tuple[int, int, int, int]:
    return (*rgb(color), a)


def stops_at(stops: list[tuple[float, str]], t: float) -> RGB:
    """Colour at position t (0..1) of a gradient given as [(position, colour), ...]."""
    if t <= stops[0][0]:
        return rgb(stops[0][1])
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if t <= p1:
            return mix(c0, c1, (t - p0) / (p1 - p0) if p1 > p0 else 1.0)
    return rgb(stops[-1][1])


class Art:
    """A supersampled canvas with helpers that take coordinates in final pixels."""

    def __init__(self, seed: str, background: str = "#ffffff"):
        self.rng = random.Random(seed)
        self.img = Image.new("RGB", (W * SS, H * SS), background)
        self.draw = ImageDraw.Draw(self.img, "RGBA")

    # -- primitives ---------------------------------------------------------------------

    @staticmethod
    def xy(points):
        return [(x * SS, y * SS) for x, y in points]

    def polygon(self, points, fill):
        self.draw.polygon(self.xy(points), fill=fill)

    def rect(self, x0, y0, x1, y1, fill=None, outline=None, width=0, radius=0):
        box = [x0 * SS, y0 * SS, x1 * SS, y1 * SS]
        if radius:
            self.draw.rounded_rectangle(box, radius=radius * SS, fill=fill, outline=outline, width=width * SS)
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=width * SS)

    def ellipse(self, cx, cy, rx, ry, fill=None, outline=None, width=0):
        self.draw.ellipse([(cx - rx) * SS, (cy - ry) * SS, (cx + rx) * SS, (cy + ry) * SS],
                          fill=fill, outline=outline, width=round(width * SS))

    def line(self, points, fill, width=1.0):
        self.draw.line(self.xy(points), fill=fill, width=max(1, round(width * SS)), joint="curve")

    def arc(self, cx, cy, rx, ry, start, end, fill, width):
        self.draw.arc([(cx - rx) * SS, (cy - ry) * SS, (cx + rx) * SS, (cy + ry) * SS],
                      start, end, fill=fill, width=round(width * SS))

    # -- fills --------------------------------------------------------------------------

    def gradient_image(self, stops, y0=0, y1=H) -> Image.Image:
        """A full-canvas image with a vertical gradient running from y0 to y1."""
        h = H * SS
        span = max(1.0, (y1 - y0) * SS)
        column = Image.new("RGB", (1, h))
        column.putdata([stops_at(stops, (y - y0 * SS) / span) for y in range(h)])
        return column.resize((W * SS, h), Image.Resampling.NEAREST)

    def vgradient(self, stops, y0=0, y1=H):
        """Paint the band y0..y1 with a vertical gradient."""
        grad = self.gradient_image(stops, y0, y1)
        box = (0, round(y0 * SS), W * SS, round(y1 * SS))
        self.img.paste(grad.crop(box), box[:2])

    def mask(self, points) -> Image.Image:
        m = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(m).polygon(self.xy(points), fill=255)
        return m

    def fill_mask(self, m: Image.Image, fill):
        if isinstance(fill, Image.Image):
            self.img.paste(fill, (0, 0), m)
        else:
            self.img.paste(rgb(fill), (0, 0, W * SS, H * SS), m)

    def glow(self, cx, cy, radius, color, strength=120, blur=None):
        """A soft radial glow, e.g. around the sun or the moon."""
        layer = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(layer).ellipse([(cx - radius) * SS, (cy - radius) * SS,
                                       (cx + radius) * SS, (cy + radius) * SS], fill=strength)
        layer = layer.filter(ImageFilter.GaussianBlur((blur or radius / 2) * SS))
        self.img.paste(rgb(color), (0, 0, W * SS, H * SS), layer)

    # -- landscape ----------------------------------------------------------------------

    def roughen(self, keypoints, roughness=0.12, depth=6):
        """Add natural irregularity to a ridge line by midpoint displacement."""
        pts = list(keypoints)
        for _ in range(depth):
            out = [pts[0]]
            for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
                d = math.hypot(xb - xa, yb - ya)
                out.append(((xa + xb) / 2, (ya + yb) / 2 + self.rng.uniform(-1, 1) * d * roughness))
                out.append((xb, yb))
            pts = out
        return pts

    def mountain(self, keypoints, stops, snow=None, snowline=None, roughness=0.12, shade=0):
        """A mountain range: gradient-filled, optionally with snow above a ragged line."""
        ridge = self.roughen(keypoints, roughness)
        top = min(y for _, y in ridge)
        base = max(y for _, y in ridge)
        outline = ridge + [(W + 20, H + 20), (-20, H + 20)]
        m = self.mask(outline)
        self.fill_mask(m, self.gradient_image(stops, top, base + 80))
        if snow and snowline is not None:
            line = []
            for x in range(-20, W + 40, 16):
                dip = self.rng.uniform(-10, 16)
                if self.rng.random() < 0.18:
                    dip += self.rng.uniform(25, 70)  # gullies keep snow further down
                line.append((x, snowline + dip))
            snow_mask = self.mask(line + [(W + 20, -20), (-20, -20)])
            self.fill_mask(ImageChops.multiply(m, snow_mask), snow)
        if shade:
            # darken the right-hand flank of every peak, as if lit from the left
            step = 2 ** 6  # roughen() keeps key point i at index i * 64
            shadow = Image.new("L", self.img.size, 0)
            sd = ImageDraw.Draw(shadow)
            for i in range(1, len(keypoints) - 1):
                if not keypoints[i][1] < min(keypoints[i - 1][1], keypoints[i + 1][1]):
                    continue
                j = i + 1
                while j + 1 < len(keypoints) and keypoints[j + 1][1] > keypoints[j][1]:
                    j += 1
                flank = ridge[i * step:j * step + 1]
                px, nx = keypoints[i][0], keypoints[j][0]
                sd.polygon(self.xy(flank + [(nx, H + 20), (px + (nx - px) * 0.35, H + 20)]), fill=shade)
            shadow = shadow.filter(ImageFilter.GaussianBlur(5 * SS))
            self.img.paste((30, 40, 60), (0, 0, W * SS, H * SS), ImageChops.multiply(m, shadow))
        return ridge

    def stars(self, count, y_max, color="#ffffff"):
        for _ in range(count):
            x, y = self.rng.uniform(0, W), self.rng.uniform(0, y_max)
            r = self.rng.choice([0.7, 0.8, 1.0, 1.0, 1.3, 1.8])
            self.ellipse(x, y, r, r, fill=alpha(color, self.rng.randint(110, 255)))

    def conifer(self, x, base, height, color):
        w = height * 0.36
        for i in range(3):
            y_top = base - height + i * height * 0.22
            self.polygon([(x, y_top), (x + w * (0.55 + i * 0.22), y_top + height * 0.45),
                          (x - w * (0.55 + i * 0.22), y_top + height * 0.45)], fill=color)

    def broadleaf(self, x, base, size, greens, trunk="#5b4330"):
        self.rect(x - size * 0.06, base - size * 0.7, x + size * 0.06, base, fill=trunk)
        for _ in range(9):
            ox, oy = self.rng.uniform(-0.45, 0.45) * size, self.rng.uniform(-0.35, 0.25) * size
            r = self.rng.uniform(0.22, 0.34) * size
            self.ellipse(x + ox, base - size * 0.95 + oy, r, r * 0.9, fill=self.rng.choice(greens))

    # -- output -------------------------------------------------------------------------

    def save(self, relpath: str) -> Path:
        out = STATIC / relpath.lstrip("/")
        out.parent.mkdir(parents=True, exist_ok=True)
        final = self.img.resize((W, H), Image.Resampling.LANCZOS)
        final.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
        return out


# A twin-peaked volcano seen across the Ararat plain (used by several pictures).
def twin_peaks(scale=1.0, dx=0.0, base=470):
    pts = [(-20, base), (180, base - 70), (330, base - 230), (420, base - 300), (470, base - 290),
           (520, base - 250), (640, base - 150), (720, base - 145), (800, base - 185), (850, base - 175),
           (960, base - 80), (1220, base - 20)]
    cx = 600
    return [(cx + (x - cx) * scale + dx, base - (base - y) * scale) for x, y in pts]


# ----------------------------------------------------------------------------------------
# Pictures. Each function draws one image; the docstring is the picture in plain words.
# ----------------------------------------------------------------------------------------

def dilijan_forest_stage(a: Art):
    """A semicircular wooden stage in a forest clearing under an orange evening sky,
    with a string of lights above it and forested slopes around."""
    a.vgradient([(0, "#2d3561"), (0.35, "#8e5a7a"), (0.62, "#e58b5a"), (0.78, "#f3c27e")], 0, 430)
    a.glow(880, 360, 140, "#ffd9a0", 150)
    a.ellipse(880, 372, 34, 34, fill="#ffe7b8")
    a.mountain([(-20, 330), (200, 250), (420, 300), (640, 230), (900, 290), (1220, 240)],
               [(0, "#6b5d7d"), (1, "#55607a")], roughness=0.08)
    ridge = a.mountain([(-20, 300), (160, 320), (380, 360), (600, 390), (820, 350), (1050, 300), (1220, 280)],
                       [(0, "#2f4a3d"), (1, "#22382d")], roughness=0.06)
    for x, y in ridge[::3]:
        a.conifer(x + a.rng.uniform(-6, 6), y + 14, a.rng.uniform(30, 48), "#1f3328")
    # clearing
    a.polygon([(-20, 470), (300, 440), (600, 430), (900, 440), (1220, 470), (1220, 700), (-20, 700)], fill="#5f7d43")
    a.vgradient([(0, "#6d8a4b"), (1, "#3e5a2c")], 470, H)
    for side in (-1, 1):
        for i in range(9):
            x = 600 + side * (470 + i * 28 + a.rng.uniform(-10, 10))
            a.conifer(x, 470 + i * 24, 150 + i * 16, "#1b2e22")
    # acoustic shell behind the stage
    a.draw.pieslice([(600 - 230) * SS, (300) * SS, (600 + 230) * SS, (560) * SS], 180, 360, fill="#b07a45")
    for k in range(-9, 10):
        ang = math.pi * (k + 10) / 20
        a.line([(600, 430), (600 - 230 * math.cos(ang), 430 - 130 * math.sin(ang))], "#8a5c33", 2)
    a.draw.pieslice([(600 - 150) * SS, (350) * SS, (600 + 150) * SS, (510) * SS], 180, 360, fill="#c99563")
    # stage floor with front edge
    a.ellipse(600, 480, 290, 62, fill="#6e4526")
    a.ellipse(600, 468, 290, 60, fill="#c08a55")
    for k in range(-5, 6):
        a.line([(600 + k * 50, 412), (600 + k * 56, 526)], alpha("#8f6038", 90), 1.5)
    # lights strung above the stage
    for i in range(41):
        t = i / 40
        x = 250 + 700 * t
        y = 300 + 70 * math.sin(math.pi * t)
        a.ellipse(x, y, 4, 4, fill="#ffe08a")
        a.ellipse(x, y, 9, 9, fill=alpha("#ffd060", 60))
    a.line([(250 + 700 * i / 40, 300 + 70 * math.sin(math.pi * i / 40)) for i in range(41)], alpha("#3a2a1a", 160), 1)
    # benches
    for row in range(4):
        y = 575 + row * 30
        a.arc(600, y - 210, 240 + row * 70, 220, 32, 148, "#4a3220", 7)


def aragats_snowfield(a: Art):
    """A broad snowfield rising towards four rocky summits under a pale blue sky,
    with a line of thin orange marker poles running up the slope."""
    a.vgradient([(0, "#8fb8df"), (0.7, "#cfe0ee"), (1, "#e8eef3")], 0, 420)
    peaks = [(-20, 400), (120, 330), (260, 215), (330, 240), (430, 150), (520, 215), (600, 190),
             (700, 135), (790, 205), (880, 175), (960, 250), (1100, 310), (1220, 350)]
    a.mountain(peaks, [(0, "#5e6470"), (1, "#7d8491")], snow="#f5f7fa", snowline=265, roughness=0.14, shade=70)
    # snowfield in the foreground
    field = [(-20, 450), (200, 405), (450, 380), (700, 372), (950, 385), (1220, 420), (1220, 700), (-20, 700)]
    a.fill_mask(a.mask(a.roughen(field[:6], 0.03, 4) + field[6:]), a.gradient_image(
        [(0, "#e9eff6"), (0.5, "#f6f8fb"), (1, "#dde6f0")], 380, H))
    for _ in range(14):  # soft blue hollows in the snow
        x, y = a.rng.uniform(0, W), a.rng.uniform(430, 660)
        a.ellipse(x, y, a.rng.uniform(60, 180), a.rng.uniform(6, 16), fill=alpha("#9fb5cf", 45))
    # marker poles receding up the slope
    for i in range(12):
        t = i / 11
        d = 1 / (1 + 2.6 * t)
        x = 760 - 300 * d + 10 * math.sin(i)
        base = 380 + 290 * d
        h = 120 * d
        a.line([(x, base), (x, base - h)], "#e56a1f", max(1.2, 6 * d))
        a.line([(x, base - h), (x, base - h * 0.85)], "#2c2c2c", max(1.2, 6 * d))
        a.ellipse(x + 8 * d, base + 2, 14 * d, 3 * d, fill=alpha("#8aa0bb", 90))


def bar_chart(a: Art, values, vmax, color, highlight=None, bg="#f7f5ef"):
    """Plain vertical bars on light gridlines; the last bar can be highlighted."""
    a.vgradient([(0, bg), (1, mix(bg, "#e4e0d6", 0.6))])
    left, right, top, bottom = 120, 1100, 70, 590
    for i in range(1, 6):
        y = bottom - (bottom - top) * i / 5
        a.line([(left, y), (right, y)], "#d3cfc4", 2)
    slot = (right - left) / len(values)
    bw = slot * 0.58
    for i, v in enumerate(values):
        x0 = left + slot * i + (slot - bw) / 2
        y0 = bottom - (bottom - top) * v / vmax
        fill = highlight if highlight and i == len(values) - 1 else color
        a.rect(x0, y0, x0 + bw, bottom, fill=fill, radius=6)
    a.line([(left, bottom), (right, bottom)], "#4a4a4a", 3)


def aragats_snow_depth_chart(a: Art):
    """Bar chart: six winters of peak snow depth, 182, 165, 150, 171, 118, 95 cm.
    The last (lowest) bar is orange, the others blue."""
    bar_chart(a, [182, 165, 150, 171, 118, 95], 200, "#3d6d9e", highlight="#d9622b")


def apricot_export_chart(a: Art):
    """Bar chart: apricot exports 2021-2025 in tonnes; the 2025 forecast bar is paler
    with diagonal stripes."""
    values = [24300, 28900, 26100, 33800, 41000]
    a.vgradient([(0, "#fbf8f2"), (1, "#f1ebdf")])
    left, right, top, bottom = 120, 1100, 70, 590
    vmax = 45000
    for i in range(1, 6):
        y = bottom - (bottom - top) * i / 5
        a.line([(left, y), (right, y)], "#dcd3c4", 2)
    slot = (right - left) / len(values)
    bw = slot * 0.58
    color = rgb("#d96f1c")
    for i, v in enumerate(values):
        x0 = left + slot * i + (slot - bw) / 2
        y0 = bottom - (bottom - top) * v / vmax
        if i < len(values) - 1:
            a.rect(x0, y0, x0 + bw, bottom, fill=color, radius=6)
            continue
        # forecast: pale fill with diagonal stripes, clipped to the bar
        bar = Image.new("L", a.img.size, 0)
        ImageDraw.Draw(bar).rounded_rectangle([x0 * SS, y0 * SS, (x0 + bw) * SS, bottom * SS], radius=6 * SS, fill=255)
        stripes = Image.new("L", a.img.size, 0)
        sd = ImageDraw.Draw(stripes)
        for k in range(-40, 40):
            x = x0 + k * 18
            sd.line([(x * SS, bottom * SS), ((x + bottom - y0) * SS, y0 * SS)], fill=255, width=5 * SS)
        a.fill_mask(bar, mix(color, "#ffffff", 0.6))
        a.fill_mask(ImageChops.multiply(bar, stripes), mix(color, "#ffffff", 0.3))
        a.rect(x0, y0, x0 + bw, bottom, outline=color, width=3, radius=6)
    a.line([(left, bottom), (right, bottom)], "#4a4a4a", 3)


def night_train_valley(a: Art):
    """A night train with lit windows runs along the floor of a mountain valley beside a
    river, under a starry sky with a moon above dark ridges."""
    a.vgradient([(0, "#070b1d"), (0.6, "#15224a"), (1, "#27396b")], 0, 420)
    a.stars(170, 330)
    a.glow(960, 110, 110, "#bcc8ef", 90)
    a.ellipse(960, 110, 34, 34, fill="#f3efdc")
    a.ellipse(948, 102, 7, 6, fill=alpha("#d8d2bb", 140))
    a.mountain([(-20, 210), (180, 160), (330, 250), (520, 380), (700, 390), (860, 250), (1040, 170), (1220, 220)],
               [(0, "#1c2444"), (1, "#141a33")], roughness=0.1)
    a.mountain([(-20, 300), (140, 280), (330, 390), (520, 440), (760, 445), (980, 360), (1220, 330)],
               [(0, "#10162b"), (1, "#0c1122")], roughness=0.08)
    # river with moonlight
    a.vgradient([(0, "#1f2f5a"), (1, "#142042")], 500, H)
    for _i in range(40):
        y = a.rng.uniform(515, 660)
        x = 960 + a.rng.uniform(-60, 60) * (1 + (y - 500) / 120)
        a.line([(x - 25, y), (x + 25, y)], alpha("#d8dcf0", a.rng.randint(40, 120)), 2)
    # embankment
    a.polygon([(-20, 470), (1220, 455), (1220, 505), (-20, 515)], fill="#0b0f1d")
    a.line([(-20, 470), (1220, 455)], "#3b4257", 2)
    # the train
    x = 90
    for car in range(7):
        length = 150 if car else 120
        y_top = 410 - car * 1.2
        a.rect(x, y_top, x + length, y_top + 50, fill="#262c3b", radius=6)
        if car == 0:
            a.polygon([(x, y_top + 6), (x - 24, y_top + 30), (x - 24, y_top + 50), (x, y_top + 50)], fill="#262c3b")
            a.ellipse(x - 20, y_top + 36, 5, 5, fill="#fff4c8")
        for wx in range(int(x + 12), int(x + length - 20), 24):
            a.rect(wx, y_top + 12, wx + 15, y_top + 28, fill="#ffd27a", radius=2)
        a.rect(x + 4, y_top + 42, x + length - 4, y_top + 45, fill="#1a1e29")
        a.ellipse(x + length / 2, y_top + 64, length / 2, 10, fill=alpha("#ffcc66", 35))
        x += length + 6
    a.polygon([(66, 446), (-20, 420), (-20, 480)], fill=alpha("#fff0c0", 40))


def beirut_exhibition_hall(a: Art):
    """A light gallery wall with spotlights, hung with a row of old sepia family
    photographs in wooden frames, above a wooden floor."""
    a.vgradient([(0, "#ede7dc"), (1, "#ddd4c5")], 0, 520)
    a.vgradient([(0, "#8a684b"), (1, "#5f4532")], 520, H)
    for i in range(-12, 13):  # floorboards in perspective
        a.line([(600 + i * 60, 520), (600 + i * 160, H)], alpha("#4a3424", 110), 2)
    a.rect(0, 512, W, 522, fill="#c9bfae")
    a.rect(0, 40, W, 48, fill="#2d2d2d")  # lighting track
    frames = [(90, 200, 190, 340), (250, 170, 420, 380), (480, 210, 590, 330), (650, 160, 860, 390), (920, 200, 1100, 340)]
    for x0, y0, x1, y1 in frames:
        cx = (x0 + x1) / 2
        a.polygon([(cx - 8, 60), (cx + 8, 60), (x1 + 30, y1 + 40), (x0 - 30, y1 + 40)], fill=alpha("#fff3d6", 40))
        a.rect(cx - 9, 46, cx + 9, 70, fill="#3a3a3a", radius=3)
        a.rect(x0 + 6, y0 + 8, x1 + 6, y1 + 8, fill=alpha("#7a6a55", 60))  # shadow
        a.rect(x0, y0, x1, y1, fill="#6b4a2f")
        m = 12
        a.rect(x0 + m, y0 + m, x1 - m, y1 - m, fill="#f3ede1")
        p = 26
        px0, py0, px1, py1 = x0 + p, y0 + p, x1 - p, y1 - p
        a.fill_mask(a.mask([(px0, py0), (px1, py0), (px1, py1), (px0, py1)]),
                    a.gradient_image([(0, "#c2a886"), (1, "#8e7455")], py0, py1))
        # people standing in a row, or a house front
        k = int(a.rng.uniform(1, 4))
        if (x1 - x0) > 150:
            for j in range(k + 1):
                fx = px0 + (px1 - px0) * (j + 0.5) / (k + 1)
                s = (py1 - py0) / 4.2
                a.ellipse(fx, py1 - 2.6 * s, s * 0.42, s * 0.5, fill="#5a4633")
                a.rect(fx - s * 0.7, py1 - 2.1 * s, fx + s * 0.7, py1, fill="#5a4633", radius=int(s * 0.5))
        else:
            a.rect(px0 + 12, py0 + (py1 - py0) * 0.4, px1 - 12, py1, fill="#6e573f")
            a.polygon([(px0 + 6, py0 + (py1 - py0) * 0.42), ((px0 + px1) / 2, py0 + 10), (px1 - 6, py0 + (py1 - py0) * 0.42)], fill="#5a4633")
            a.rect((px0 + px1) / 2 - 9, py1 - 30, (px0 + px1) / 2 + 9, py1, fill="#3f3126")
    a.rect(430, 560, 770, 585, fill="#3c2f26", radius=4)  # bench
    a.rect(450, 585, 462, 640, fill="#2f251e")
    a.rect(738, 585, 750, 640, fill="#2f251e")


def festival_pattern(a: Art):
    """Decorative: overlapping translucent circles and arcs on a deep blue-green ground."""
    a.vgradient([(0, "#153a4a"), (1, "#1f2350")])
    palette = ["#f2a541", "#e4572e", "#f3d35b", "#2ec4b6", "#e8e1d5", "#b5446e"]
    for i in range(26):
        cx, cy = a.rng.uniform(-50, W + 50), a.rng.uniform(-50, H + 50)
        r = a.rng.uniform(50, 220)
        a.ellipse(cx, cy, r, r, fill=alpha(palette[i % len(palette)], a.rng.randint(60, 120)))
    for _ in range(9):
        cx, cy = a.rng.uniform(100, W - 100), a.rng.uniform(100, H - 100)
        for k in range(4):
            r = 60 + k * 26
            a.arc(cx, cy, r, r, a.rng.uniform(0, 180), a.rng.uniform(200, 350), alpha("#f7f1e3", 130), 4)


def ararat_drip_irrigation(a: Art):
    """Straight rows of young plants with black drip hoses running to the horizon; a
    snow-capped twin-peaked mountain under a blue sky behind."""
    a.vgradient([(0, "#5f9bd3"), (1, "#d9e9f4")], 0, 470)
    a.mountain(twin_peaks(), [(0, "#8797ad"), (1, "#a7b3c3")], snow="#f4f6f9", snowline=255, roughness=0.05, shade=55)
    hy, vx = 470, 600
    a.vgradient([(0, "#b79d6d"), (1, "#7f6240")], hy, H)
    for i in range(-16, 17):
        xb = vx + i * 105
        a.line([(vx + (xb - 14 - vx) * 0.06, hy + (H - hy) * 0.06), (xb - 14, H)], alpha("#2a231c", 200), 3)  # drip hose
        # plants along the row, spaced evenly on the ground (so closer together on screen far away)
        for k in range(40):
            u = 1 / (1 + k * 0.28)
            y = hy + (H - hy) * u
            if y > H + 10:
                continue
            x = vx + (xb + 10 - vx) * u
            s = 14 * u + 0.6
            a.ellipse(x - s * 0.5, y - s * 0.5, s * 0.8, s * 0.45, fill="#5b9a35")
            a.ellipse(x + s * 0.5, y - s * 0.7, s * 0.8, s * 0.45, fill="#6fb040")
    a.rect(0, hy - 3, W, hy + 3, fill=alpha("#c9b48a", 200))


def irrigated_fields_aerial(a: Art):
    """Seen from above: a patchwork of green, brown and yellow fields, crossed diagonally
    by a straight irrigation canal lined with trees."""
    big = Art("fields", "#9c8a5c")
    big.img = Image.new("RGB", (W * SS * 2, H * SS * 3), "#9c8a5c")
    big.draw = ImageDraw.Draw(big.img, "RGBA")
    palette = ["#5f8f3a", "#6f9c41", "#4f7d33", "#a7914f", "#c9b064", "#8b6d45", "#7a9a4a", "#b8a06a"]
    rng = a.rng
    y = 0
    while y < H * 3:
        h = rng.uniform(80, 170)
        x = 0
        while x < W * 2:
            w = rng.uniform(110, 260)
            col = rng.choice(palette)
            big.rect(x + 3, y + 3, x + w - 3, y + h - 3, fill=col)
            if rng.random() < 0.6:  # crop rows
                shade = mix(col, "#2f3b1e", 0.18)
                step = rng.choice([7, 9, 11])
                if rng.random() < 0.5:
                    for yy in range(int(y + 8), int(y + h - 6), step):
                        big.line([(x + 8, yy), (x + w - 8, yy)], shade, 1.5)
                else:
                    for xx in range(int(x + 8), int(x + w - 6), step):
                        big.line([(xx, y + 8), (xx, y + h - 8)], shade, 1.5)
            x += w
        y += h
    cy = H * 1.5
    big.rect(0, cy - 14, W * 2, cy + 14, fill="#4c6f86")
    big.rect(0, cy - 5, W * 2, cy - 1, fill=alpha("#9fc3d6", 120))
    for side in (-1, 1):
        for x in range(0, W * 2, 22):
            big.ellipse(x + rng.uniform(-4, 4), cy + side * 26, 11, 10, fill=rng.choice(["#2f4f26", "#3a5e2c"]))
    rotated = big.img.rotate(-24, resample=Image.Resampling.BICUBIC, center=(W * SS, H * SS * 1.5))
    ox, oy = (rotated.width - W * SS) // 2, (rotated.height - H * SS) // 2
    a.img.paste(rotated.crop((ox, oy, ox + W * SS, oy + H * SS)), (0, 0))
    a.draw = ImageDraw.Draw(a.img, "RGBA")


def armash_wetlands_birds(a: Art):
    """Shallow rectangular ponds separated by earth banks and fringed with reeds, a flock
    of birds flying above, and a snow-capped mountain on the horizon under a dawn sky."""
    a.vgradient([(0, "#6f8db5"), (0.55, "#c9b3b4"), (1, "#f2c7a0")], 0, 380)
    a.glow(300, 380, 120, "#ffe2b8", 110)
    a.mountain(twin_peaks(0.55, 80, 380), [(0, "#9aa0b6"), (1, "#a9a9ba")], snow="#f6efe9", snowline=270, roughness=0.05)
    a.vgradient([(0, "#5d6b47"), (1, "#4b5a38")], 380, H)
    ponds = [(-20, 395, 380, 430), (420, 392, 860, 428), (900, 394, 1220, 432),
             (-20, 450, 520, 520), (570, 446, 1220, 515), (-20, 545, 640, 640)]
    for x0, y0, x1, y1 in ponds:
        a.fill_mask(a.mask([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]),
                    a.gradient_image([(0, "#e7c3a5"), (1, "#8ea2c2")], y0, y1 + 40))
        for _ in range(int((x1 - x0) / 60)):
            yy = a.rng.uniform(y0 + 4, y1 - 4)
            xx = a.rng.uniform(x0, x1)
            a.line([(xx - 30, yy), (xx + 30, yy)], alpha("#ffffff", 60), 1.5)
    for _ in range(30):  # wading birds in the ponds
        x, y = a.rng.uniform(40, 1160), a.rng.choice([410, 412, 480, 490, 500])
        a.ellipse(x, y, 5, 3, fill="#f1f1ee")
        a.line([(x + 3, y - 1), (x + 6, y - 9)], "#f1f1ee", 1.5)
    # reeds in the foreground
    for _ in range(260):
        x = a.rng.uniform(-10, W + 10)
        base = H + 5
        h = a.rng.uniform(50, 150) * (1.3 if x < 300 or x > 900 else 0.8)
        lean = a.rng.uniform(-18, 18)
        col = a.rng.choice(["#3f4a2a", "#4d5a31", "#5f6b3a", "#2f3a20"])
        a.line([(x, base), (x + lean, base - h)], col, a.rng.uniform(1.5, 3.5))
        if a.rng.random() < 0.3:
            a.ellipse(x + lean, base - h - 8, 3, 10, fill="#6b5134")
    # the flock, in a loose V
    for i in range(26):
        side = 1 if i % 2 else -1
        k = i // 2
        x = 760 + k * 24 + a.rng.uniform(-8, 8)
        y = 130 + side * k * 11 + a.rng.uniform(-6, 6)
        s = a.rng.uniform(6, 10)
        flap = a.rng.uniform(-3, 3)
        a.line([(x - s, y - s * 0.4 + flap), (x, y), (x + s, y - s * 0.4 - flap)], "#2e2e3c", 2.2)


def council_vote(a: Art):
    """A semicircular council chamber seen from the public gallery: curved rows of wooden
    desks face a raised platform beneath three tall arched windows."""
    a.vgradient([(0, "#e8e0cf"), (1, "#d7cab2")], 0, 300)
    for wx in (380, 600, 820):  # arched windows
        a.rect(wx - 55, 70, wx + 55, 250, fill="#f8f4e6")
        a.ellipse(wx, 70, 55, 45, fill="#f8f4e6")
        a.line([(wx, 30), (wx, 250)], "#b9ac92", 4)
        for yy in (110, 170):
            a.line([(wx - 55, yy), (wx + 55, yy)], "#b9ac92", 3)
        a.polygon([(wx - 55, 250), (wx + 55, 250), (wx + 140, 470), (wx - 20, 470)], fill=alpha("#fff8dc", 35))
    a.rect(0, 290, W, 300, fill="#b8a98d")
    a.vgradient([(0, "#7c2f2f"), (1, "#5a1f22")], 300, H)  # carpet
    a.rect(440, 250, 760, 320, fill="#6b4a34")  # raised platform
    a.rect(460, 230, 740, 262, fill="#8b5e3c", radius=4)
    for i in range(6):
        x = 490 + i * 45
        a.rect(x, 210, x + 26, 232, fill="#2f4a3a", radius=4)
    cx, cy = 600, 250
    for row in range(6):  # curved rows of desks, front of the room nearest the platform
        rx, ry = 190 + row * 120, 110 + row * 72
        a.arc(cx, cy, rx, ry, 8, 172, "#4f3323", 24)
        a.arc(cx, cy - 8, rx, ry, 8, 172, "#a06e45", 18)
        for k in range(7 + row * 3):  # chairs behind the desks
            ang = math.radians(12 + (156 * (k + 0.5) / (7 + row * 3)))
            x = cx + (rx + 20) * math.cos(ang)
            y = cy + (ry + 18) * math.sin(ang)
            a.rect(x - 8, y - 10, x + 8, y + 6, fill="#2c4638", radius=3)
    # balustrade of the public gallery in the foreground
    a.rect(0, 610, W, 625, fill="#3b2a20")
    for x in range(10, W, 36):
        a.rect(x, 625, x + 14, H, fill="#4a3628", radius=5)
    a.rect(0, 665, W, H, fill="#2d2019")


def night_bus_routes(a: Art):
    """A simplified route map on a dark background: six coloured lines run from a ring
    in the centre towards the edges, each ending at a small square."""
    a.vgradient([(0, "#13203a"), (1, "#1c2c4c")])
    for _ in range(60):  # faint street grid
        if a.rng.random() < 0.5:
            x = a.rng.uniform(0, W)
            a.line([(x, 0), (x + a.rng.uniform(-80, 80), H)], alpha("#8ea3c8", 22), 2)
        else:
            y = a.rng.uniform(0, H)
            a.line([(0, y), (W, y + a.rng.uniform(-60, 60))], alpha("#8ea3c8", 22), 2)
    river = [(-20, 120), (200, 180), (330, 330), (300, 480), (420, 600), (520, 700)]
    a.line(a.roughen(river, 0.05, 3), alpha("#3f6fa8", 150), 14)
    cx, cy = 600, 340
    colors = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#cc79a7", "#d55e00"]
    ends = [(120, 70), (1100, 90), (1150, 400), (980, 630), (250, 620), (60, 330)]
    for col, (ex, ey) in zip(colors, ends, strict=False):
        mx = cx + (ex - cx) * 0.45
        pts = [(cx, cy), (mx, cy + (ey - cy) * 0.2), (mx + (ex - mx) * 0.3, ey), (ex, ey)]
        a.line(pts, col, 9)
        for t in (0.2, 0.5, 0.8):
            x = pts[1][0] + (pts[2][0] - pts[1][0]) * t
            y = pts[1][1] + (pts[2][1] - pts[1][1]) * t
            a.ellipse(x, y, 6, 6, fill="#ffffff", outline=col, width=3)
        a.rect(ex - 13, ey - 13, ex + 13, ey + 13, fill=col, outline="#ffffff", width=3)
    a.ellipse(cx, cy, 30, 30, fill="#13203a", outline="#ffffff", width=7)


def school_courtyard(a: Art):
    """The front of a four-storey school building, partly covered by scaffolding and green
    safety mesh, with a tree-lined courtyard in front."""
    a.vgradient([(0, "#7fb8ec"), (1, "#e1eef9")], 0, 560)
    a.rect(160, 170, 1040, 560, fill="#d6ad98")  # pinkish tuff stone
    a.rect(150, 158, 1050, 172, fill="#b48d7b")
    for floor in range(4):
        y = 200 + floor * 88
        for col in range(12):
            x = 195 + col * 70
            if floor == 3 and 5 <= col <= 6:
                continue
            a.rect(x, y, x + 40, y + 56, fill="#f2ece6")
            a.rect(x + 4, y + 4, x + 36, y + 52, fill="#5d7a93")
            a.line([(x + 20, y + 4), (x + 20, y + 52)], "#f2ece6", 2)
    a.rect(555, 460, 645, 560, fill="#5b3e2e")  # entrance
    a.rect(540, 448, 660, 462, fill="#b48d7b")
    for s in range(3):
        a.rect(530 - s * 12, 560 + s * 8, 670 + s * 12, 568 + s * 8, fill="#b9b1a8")
    # scaffolding and mesh over the left part
    a.rect(150, 150, 520, 560, fill=alpha("#2f7d3c", 115))
    for x in range(150, 530, 60):
        a.line([(x, 140), (x, 560)], "#6d7885", 4)
    for y in range(170, 560, 44):
        a.line([(145, y), (525, y)], "#6d7885", 3)
        a.rect(145, y - 4, 525, y + 2, fill=alpha("#a0794f", 200))
    for x in range(150, 470, 60):
        a.line([(x, 560), (x + 60, 472)], alpha("#6d7885", 200), 2)
    # courtyard
    a.vgradient([(0, "#bdb7ad"), (1, "#a39d93")], 560, H)
    a.rect(0, 590, W, 600, fill=alpha("#8f897f", 120))
    greens = ["#4f8a3c", "#5f9a45", "#3f7431", "#6aa64d"]
    for x, size in ((70, 210), (1130, 220), (300, 150), (900, 160)):
        a.broadleaf(x, 660, size, greens)
    a.rect(700, 620, 820, 632, fill="#7a5638")  # bench
    a.rect(706, 632, 712, 652, fill="#4a4a4a")
    a.rect(808, 632, 814, 652, fill="#4a4a4a")


def byurakan_dome_night(a: Art):
    """A white observatory dome with its slit open against a starry sky and the pale band
    of the Milky Way, above the dark silhouette of a mountain slope."""
    a.vgradient([(0, "#04060d"), (0.6, "#0c1530"), (1, "#1b2a52")], 0, 560)
    band = Image.new("L", a.img.size, 0)
    ImageDraw.Draw(band).polygon(a.xy([(150, -40), (420, -40), (1120, 560), (820, 560)]), fill=110)
    band = band.filter(ImageFilter.GaussianBlur(60 * SS))
    a.img.paste((200, 196, 230), (0, 0, W * SS, H * SS), band)
    for _ in range(500):  # dense faint stars in the band
        t = a.rng.random()
        x = 285 + 690 * t + a.rng.gauss(0, 70)
        y = -40 + 600 * t + a.rng.gauss(0, 30)
        a.ellipse(x, y, 0.7, 0.7, fill=alpha("#ffffff", a.rng.randint(60, 200)))
    a.stars(160, 480)
    a.mountain([(-20, 560), (300, 520), (640, 470), (900, 420), (1220, 380)], [(0, "#070a14"), (1, "#0a0e1a")], roughness=0.04)
    a.rect(0, 600, W, H, fill="#06080f")
    # the telescope tower and dome
    cx, base = 480, 600
    a.rect(cx - 120, base - 180, cx + 120, base, fill="#c9ced8")
    a.rect(cx - 120, base - 180, cx - 60, base, fill=alpha("#eef1f6", 120))
    a.rect(cx - 30, base - 70, cx + 10, base, fill="#2b3140")
    a.draw.pieslice([(cx - 135) * SS, (base - 320) * SS, (cx + 135) * SS, (base - 50) * SS], 180, 360, fill="#e6e9ef")
    a.draw.pieslice([(cx - 135) * SS, (base - 320) * SS, (cx + 135) * SS, (base - 50) * SS], 270, 360, fill=alpha("#7d8596", 90))
    a.polygon([(cx - 20, base - 318), (cx + 22, base - 318), (cx + 30, base - 186), (cx - 28, base - 186)], fill="#111626")
    a.line([(cx, base - 200), (cx - 10, base - 290)], "#6f7c96", 8)
    a.rect(cx - 140, base - 190, cx + 140, base - 180, fill="#9aa1ae")


def apricot_orchard(a: Art):
    """Rows of apricot trees dotted with orange fruit across a valley floor, with low brown
    hills behind them under a hazy summer sky."""
    a.vgradient([(0, "#9fc0d8"), (1, "#efe2c6")], 0, 380)
    a.mountain([(-20, 330), (250, 290), (500, 320), (760, 270), (1000, 310), (1220, 290)],
               [(0, "#c2a27a"), (1, "#b39167")], roughness=0.06)
    a.mountain([(-20, 370), (300, 345), (640, 365), (900, 340), (1220, 360)],
               [(0, "#a88457"), (1, "#9a774c")], roughness=0.05)
    hy, vx = 380, 620
    a.vgradient([(0, "#b7b27a"), (1, "#8c8a52")], hy, H)
    greens = ["#4d7a30", "#5c8a38", "#3d6627", "#6b9a41"]
    fruit = ["#f08c24", "#f6a23a", "#e9781c"]
    trees = []
    for row in range(-6, 7):
        xb = vx + row * 260
        for k in range(14):
            u = 1 / (1 + k * 0.45)
            trees.append((u, vx + (xb - vx) * u, hy + (H + 60 - hy) * u))
    for u, x, y in sorted(trees):
        size = 150 * u + 6
        if x < -size or x > W + size:
            continue
        a.ellipse(x, y + 2, size * 0.55, size * 0.1, fill=alpha("#4b4a2a", 80))
        a.rect(x - size * 0.05, y - size * 0.45, x + size * 0.05, y, fill="#5a3f2a")
        for _ in range(7):
            ox, oy = a.rng.uniform(-0.4, 0.4) * size, a.rng.uniform(-0.25, 0.2) * size
            r = a.rng.uniform(0.22, 0.32) * size
            a.ellipse(x + ox, y - size * 0.72 + oy, r, r * 0.85, fill=a.rng.choice(greens))
        for _ in range(int(4 + 10 * u)):
            ox, oy = a.rng.uniform(-0.5, 0.5) * size, a.rng.uniform(-0.35, 0.25) * size
            r = max(0.8, 0.045 * size)
            a.ellipse(x + ox, y - size * 0.72 + oy, r, r, fill=a.rng.choice(fruit))


def sevan_shoreline(a: Art):
    """A lake shore with two small dark stone churches on a peninsula hill, mountains
    beyond, and a green tinge in the water near the shore."""
    a.vgradient([(0, "#6ea6dc"), (1, "#d6e7f5")], 0, 330)
    a.mountain([(-20, 300), (200, 250), (420, 280), (700, 230), (960, 270), (1220, 240)],
               [(0, "#7b8ca6"), (1, "#93a2b8")], roughness=0.08)
    a.vgradient([(0, "#3a76ad"), (0.5, "#2f6d9a"), (1, "#4f9a7a")], 320, H)
    for _ in range(60):
        y = a.rng.uniform(330, 640)
        x = a.rng.uniform(0, W)
        a.line([(x - 30, y), (x + 30, y)], alpha("#cfe3f2", 50), 1.5)
    # green bloom near the shore
    for _ in range(18):
        a.ellipse(a.rng.uniform(0, 700), a.rng.uniform(560, 660), a.rng.uniform(60, 160), a.rng.uniform(8, 20),
                  fill=alpha("#6fae55", 70))
    # peninsula
    hill = a.roughen([(620, 335), (740, 290), (860, 250), (960, 262), (1060, 300), (1220, 320)], 0.05, 4)
    a.polygon(hill + [(1220, 345), (600, 345)], fill="#8f8a5c")
    a.polygon([(600, 345), (1220, 345), (1220, 352), (600, 350)], fill=alpha("#2a4d6b", 160))
    for cx, s in ((880, 1.0), (975, 0.8)):  # churches: nave, drum and conical roof
        base = 262 + (cx - 880) * 0.05
        a.rect(cx - 26 * s, base - 34 * s, cx + 26 * s, base, fill="#4d403a")
        a.polygon([(cx - 30 * s, base - 34 * s), (cx, base - 48 * s), (cx + 30 * s, base - 34 * s)], fill="#3d322e")
        a.rect(cx - 10 * s, base - 62 * s, cx + 10 * s, base - 40 * s, fill="#4d403a")
        a.polygon([(cx - 13 * s, base - 62 * s), (cx, base - 84 * s), (cx + 13 * s, base - 62 * s)], fill="#3d322e")
    # pebbly shore in the foreground
    a.polygon([(-20, 640), (300, 620), (600, 650), (900, 660), (1220, 640), (1220, 700), (-20, 700)], fill="#b7aa8e")
    for _ in range(120):
        a.ellipse(a.rng.uniform(0, W), a.rng.uniform(645, 675), a.rng.uniform(2, 6), a.rng.uniform(1.5, 3),
                  fill=a.rng.choice(["#9a8d72", "#cfc3a8", "#877a61"]))


def sevan_sampling_boat(a: Art):
    """A small white boat in the middle of a calm lake; a yellow cylindrical instrument is
    lowered on a rope from its side, with circular ripples around it."""
    a.vgradient([(0, "#b4cde2"), (1, "#eef3f6")], 0, 300)
    a.mountain([(-20, 290), (300, 270), (650, 285), (900, 262), (1220, 280)], [(0, "#8ea3b6"), (1, "#9fb1c2")], roughness=0.05)
    a.vgradient([(0, "#6e9cc0"), (1, "#2d5b82")], 300, H)
    for _ in range(50):
        y = a.rng.uniform(310, 660)
        x = a.rng.uniform(0, W)
        a.line([(x - 40, y), (x + 40, y)], alpha("#d6e6f2", 45), 1.5)
    # reflection, then the boat
    a.polygon([(470, 420), (790, 420), (760, 470), (500, 470)], fill=alpha("#e8eef2", 70))
    a.polygon([(450, 380), (800, 380), (770, 422), (490, 422)], fill="#f4f6f7")
    a.line([(455, 388), (796, 388)], "#c2473a", 4)
    a.rect(560, 330, 660, 382, fill="#e9edf0")
    a.rect(572, 342, 600, 362, fill="#6d8aa3")
    a.rect(612, 342, 640, 362, fill="#6d8aa3")
    a.line([(720, 382), (720, 320), (800, 312)], "#59606a", 5)  # davit arm
    a.line([(800, 312), (812, 470)], "#3d3d3d", 2)
    for k in range(4):
        a.ellipse(810, 438, 24 + k * 22, 5 + k * 5, outline=alpha("#e3eef6", 150 - k * 30), width=2)
    a.rect(800, 450, 824, 500, fill="#e8c230", radius=6)
    a.rect(795, 436, 830, 520, fill=alpha("#2d5b82", 60))  # the instrument seen through water


def nowruz_haft_sin(a: Art):
    """A table with a white cloth and an embroidered border, set with the small dishes of a
    haft-sin, a bowl of sprouted greens, a goldfish bowl, a mirror and two lit candles."""
    a.vgradient([(0, "#f3e2c7"), (1, "#e5c79f")], 0, 360)
    a.vgradient([(0, "#fbf9f4"), (1, "#ebe6dc")], 360, H)
    a.rect(0, 600, W, 612, fill="#b8343a")
    for x in range(0, W, 24):
        a.polygon([(x, 612), (x + 12, 626), (x + 24, 612)], fill="#2f7d5b")
    a.rect(0, 626, W, 632, fill="#b8343a")
    # mirror on a stand, two candles either side
    a.ellipse(600, 250, 85, 110, fill="#b88a3a")
    a.fill_mask(a.mask([(600 + 72 * math.cos(t / 20 * math.pi), 250 + 96 * math.sin(t / 20 * math.pi)) for t in range(40)]),
                a.gradient_image([(0, "#dfe8ee"), (1, "#9fb2c0")], 150, 350))
    a.line([(555, 180), (600, 300)], alpha("#ffffff", 90), 6)
    a.rect(580, 350, 620, 380, fill="#8a6428")
    for cx in (440, 760):
        a.rect(cx - 16, 230, cx + 16, 380, fill="#f6efe0")
        a.rect(cx - 24, 372, cx + 24, 388, fill="#b88a3a", radius=4)
        a.glow(cx, 205, 40, "#ffd27a", 120)
        a.ellipse(cx, 208, 8, 18, fill="#ffb534")
        a.ellipse(cx, 212, 4, 9, fill="#fff2c0")
    # goldfish bowl
    a.ellipse(860, 470, 85, 80, fill=alpha("#a9d4e8", 150), outline=alpha("#ffffff", 200), width=3)
    a.ellipse(845, 478, 22, 11, fill="#f07a1c")
    a.polygon([(865, 478), (885, 466), (885, 490)], fill="#f07a1c")
    a.ellipse(885, 450, 12, 6, fill="#ef8a2c")
    # sprouted greens
    a.ellipse(300, 470, 110, 40, fill="#c8a46a")
    a.ellipse(300, 455, 100, 28, fill="#6a9e3a")
    for _ in range(160):
        x = 300 + a.rng.uniform(-95, 95)
        a.line([(x, 458), (x + a.rng.uniform(-8, 8), 360 + a.rng.uniform(0, 60))], a.rng.choice(["#5c9a2c", "#7cb342", "#4a8a24"]), 2.5)
    a.line([(210, 430), (390, 430)], "#c0392b", 6)  # ribbon around the greens
    # seven small dishes along the front
    contents = ["#c0392b", "#f4efe4", "#7b4a2a", "#8e2b3a", "#c9a36b", "#5a3420", "#f0c93a"]
    for i, col in enumerate(contents):
        x = 170 + i * 143
        a.ellipse(x, 560, 58, 20, fill="#2f6fa0")
        a.ellipse(x, 554, 50, 15, fill="#e9f1f6")
        if i == 0:
            a.ellipse(x, 532, 24, 24, fill=col)
            a.line([(x, 510), (x + 4, 500)], "#5a3a1a", 3)
        elif i == 1:
            for dx in (-16, 0, 16):
                a.ellipse(x + dx, 540, 13, 14, fill=col, outline="#d8d0c0", width=1)
        elif i == 6:
            a.rect(x - 9, 505, x + 9, 552, fill=alpha(col, 180), radius=4)  # vinegar bottle
            a.rect(x - 4, 494, x + 4, 506, fill="#6b4b2b")
        else:
            a.ellipse(x, 548, 38, 12, fill=col)


def solar_farm_ararat(a: Art):
    """Long rows of tilted blue solar panels on a flat plain, with a snow-capped mountain
    behind under a clear sky and a bright sun."""
    a.vgradient([(0, "#4c8fd0"), (1, "#cfe3f2")], 0, 400)
    a.glow(1030, 90, 120, "#fff6d6", 160)
    a.ellipse(1030, 90, 36, 36, fill="#fffbea")
    a.mountain(twin_peaks(0.7, -40, 400), [(0, "#8d9db3"), (1, "#a8b4c5")], snow="#f3f6fa", snowline=300, roughness=0.05, shade=45)
    hy = 400
    a.vgradient([(0, "#c9b88f"), (1, "#a38f62")], hy, H)
    rows = []
    for k in range(22):
        u = 1 / (1 + k * 0.33)
        rows.append(u)
    for u in sorted(rows):
        y = hy + (H + 40 - hy) * u
        depth = 70 * u
        tilt = 22 * u
        x0, x1 = -40, W + 40
        a.polygon([(x0, y), (x1, y), (x1, y - depth + tilt), (x0, y - depth)], fill="#1f3f6e")
        a.polygon([(x0, y - depth), (x1, y - depth + tilt), (x1, y - depth + tilt + 3 * u + 1), (x0, y - depth + 3 * u + 1)], fill="#9db8d8")
        if u > 0.12:
            for i in range(1, 4):
                t = i / 4
                a.line([(x0, y - depth * t), (x1, y - (depth - tilt) * t)], alpha("#6d8fb8", 120), max(1, 1.5 * u))
            for x in range(-40, W + 40, max(12, int(60 * u))):
                a.line([(x, y), (x, y - depth + tilt * (x - x0) / (x1 - x0))], alpha("#6d8fb8", 90), max(1, 1.2 * u))
        for x in range(0, W, max(20, int(160 * u))):
            a.line([(x, y), (x, y + 12 * u)], "#6b6b6b", max(1, 3 * u))


def river_valley_flood(a: Art):
    """A swollen brown river in a narrow green valley under grey cloud; on the near bank a
    small monitoring station on a metal pole, topped with a solar panel."""
    a.vgradient([(0, "#7f8d9c"), (1, "#c7ced5")], 0, 380)
    clouds = Image.new("L", a.img.size, 0)
    cd = ImageDraw.Draw(clouds)
    for _ in range(18):
        x, y = a.rng.uniform(-100, W + 100), a.rng.uniform(20, 200)
        rx, ry = a.rng.uniform(120, 260), a.rng.uniform(30, 60)
        cd.ellipse([(x - rx) * SS, (y - ry) * SS, (x + rx) * SS, (y + ry) * SS], fill=120)
    clouds = clouds.filter(ImageFilter.GaussianBlur(30 * SS))
    a.img.paste((95, 105, 118), (0, 0, W * SS, H * SS), clouds)
    a.mountain([(-20, 200), (250, 260), (480, 330), (620, 340), (760, 320), (1000, 230), (1220, 190)],
               [(0, "#6f8576"), (1, "#5f7565")], roughness=0.08)
    a.polygon(a.roughen([(-20, 160), (200, 230), (420, 380), (560, 470), (500, 700), (-20, 700)], 0.05, 4), fill="#3f6233")
    a.polygon(a.roughen([(1220, 150), (1000, 240), (800, 370), (680, 470), (780, 700), (1220, 700)], 0.05, 4), fill="#355529")
    for _ in range(40):  # grass texture
        x = a.rng.uniform(0, 420)
        y = a.rng.uniform(520, 670)
        a.line([(x, y), (x + 3, y - 14)], "#2f4d26", 2)
    # the river winds towards the viewer, widening as it comes
    def centre(t):  # t = 0 far away, 1 at the bottom edge
        return 600 + 70 * math.sin(t * 3.2) - 40 * t, 345 + (H + 10 - 345) * t ** 1.15

    def half_width(t):
        return 26 + 340 * t ** 1.25

    samples = [i / 60 for i in range(61)]
    left_bank = [(centre(t)[0] - half_width(t), centre(t)[1]) for t in samples]
    right_bank = [(centre(t)[0] + half_width(t), centre(t)[1]) for t in samples]
    a.fill_mask(a.mask(left_bank + right_bank[::-1]), a.gradient_image([(0, "#aaa192"), (0.35, "#8f7a5c"), (1, "#765b3c")], 345, H))
    for _ in range(90):  # long, low standing waves on the fast, muddy water
        t = a.rng.uniform(0.05, 1.0) ** 0.8
        cx, cy = centre(t)
        x = cx + a.rng.uniform(-0.8, 0.8) * half_width(t)
        w = 10 + 60 * t
        crest = 1 + 3 * t
        a.line([(x - w, cy + crest), (x - w * 0.2, cy - crest), (x + w * 0.5, cy - crest * 0.4), (x + w, cy + crest)],
               alpha("#e9dfcc", a.rng.randint(60, 140)), 1 + 2 * t)
    # monitoring station
    px = 140
    a.rect(px - 5, 300, px + 5, 650, fill="#8c949c")
    a.line([(px, 420), (420, 420)], "#8c949c", 5)  # arm over the water
    a.rect(412, 420, 428, 440, fill="#3f4a55")
    a.rect(px - 40, 430, px + 40, 500, fill="#e6eaee", radius=4)
    a.rect(px - 30, 445, px + 10, 455, fill="#9aa4ad")
    a.polygon([(px - 70, 300), (px + 70, 280), (px + 60, 245), (px - 80, 265)], fill="#233f6c")
    a.line([(px - 70, 300), (px + 70, 280)], "#b0bccb", 2)
    a.line([(px + 30, 280), (px + 30, 200)], "#4a4a4a", 2)
    a.rect(px - 40, 640, px + 40, 655, fill="#7c7f80")


IMAGES = {
    "/images/2021/dilijan-forest-stage.jpg": dilijan_forest_stage,
    "/images/2022/aragats-snowfield.jpg": aragats_snowfield,
    "/images/2022/aragats-snow-depth-chart.jpg": aragats_snow_depth_chart,
    "/images/2022/night-train-valley.jpg": night_train_valley,
    "/images/2022/beirut-exhibition-hall.jpg": beirut_exhibition_hall,
    "/images/2023/festival-pattern.jpg": festival_pattern,
    "/images/2023/ararat-drip-irrigation.jpg": ararat_drip_irrigation,
    "/images/2023/irrigated-fields-aerial.jpg": irrigated_fields_aerial,
    "/images/2023/armash-wetlands-birds.jpg": armash_wetlands_birds,
    "/images/2024/council-vote.jpg": council_vote,
    "/images/2024/night-bus-routes.jpg": night_bus_routes,
    "/images/2024/school-courtyard.jpg": school_courtyard,
    "/images/2024/byurakan-dome-night.jpg": byurakan_dome_night,
    "/images/2025/apricot-orchard.jpg": apricot_orchard,
    "/images/2025/apricot-export-chart.jpg": apricot_export_chart,
    "/images/2025/sevan-shoreline.jpg": sevan_shoreline,
    "/images/2025/sevan-sampling-boat.jpg": sevan_sampling_boat,
    "/images/2025/nowruz-haft-sin.jpg": nowruz_haft_sin,
    "/images/2026/solar-farm-ararat.jpg": solar_farm_ararat,
    "/images/2026/river-valley-flood.jpg": river_valley_flood,
}

IMAGE_REF = re.compile(r"(/images/[A-Za-z0-9_./-]+\.(?:jpe?g|png|webp|gif|svg))")


def referenced_images() -> dict[str, list[Path]]:
    """Every /images/... path mentioned in content/, with the files that mention it."""
    refs: dict[str, list[Path]] = {}
    for md in sorted(CONTENT.rglob("*.md")):
        for src in IMAGE_REF.findall(md.read_text(encoding="utf-8")):
            refs.setdefault(src, []).append(md.relative_to(ROOT))
    return refs


def check() -> int:
    problems = 0
    for src, files in referenced_images().items():
        path = STATIC / src.lstrip("/")
        if not path.is_file():
            problems += 1
            print(f"missing: static{src} (referenced by {', '.join(map(str, files))})", file=sys.stderr)
        elif path.stat().st_size > MAX_BYTES:
            problems += 1
            print(f"too large: static{src} is {path.stat().st_size} bytes (limit {MAX_BYTES})", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify that referenced images exist")
    args = parser.parse_args(argv)
    if not args.check:
        for relpath, draw in IMAGES.items():
            art = Art(relpath)
            draw(art)
            out = art.save(relpath)
            print(f"{out.relative_to(ROOT)}  {out.stat().st_size / 1024:.1f} KB")
        unused = set(IMAGES) - set(referenced_images())
        for relpath in sorted(unused):
            print(f"note: {relpath} is drawn but no article uses it", file=sys.stderr)
    return check()


if __name__ == "__main__":
    sys.exit(main())
