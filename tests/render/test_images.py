"""Planning responsive images (render.images): which files, under which names, with which markup data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.config.images import ImageSettings
from builder.render.assets import CopiedFile
from builder.render.images import MAX_PIXELS, SOCIAL_SIZE, plan_images, social_crop

BASE_URL = "https://example.org/news/"
DEFAULTS = ImageSettings()


def copied(site_path: str, digest: str = "a" * 64) -> CopiedFile:
    return CopiedFile(site_path, site_path, Path("/static") / site_path, f"static/{site_path}", digest)


def plan(sizes: dict[str, tuple[int, int]], settings: ImageSettings = DEFAULTS, leads=(), digest="a" * 64):
    files = {path: copied(path, digest) for path in [*sizes, "images/anim.gif", "images/logo.svg"]}
    return plan_images(settings, BASE_URL, "/news/", files, sizes, [*sizes, "images/anim.gif", "images/logo.svg"],
                       leads)


def only(found):
    (task,) = found.tasks.values()
    return task


def widths(srcset: str) -> list[int]:
    return [int(candidate.split()[1].removesuffix("w")) for candidate in srcset.split(", ")]


def test_widths_stop_at_the_original_and_every_format_has_them():
    found = plan({"images/wide.jpg": (4000, 3000), "images/narrow.png": (1000, 500), "images/tiny.webp": (200, 100)})
    wide, narrow, tiny = (found.picture(p) for p in ("/images/wide.jpg", "/images/narrow.png", "/images/tiny.webp"))
    assert widths(wide.srcset) == [320, 640, 960, 1280, 1920]
    assert widths(narrow.srcset) == [320, 640, 960, 1000]  # never scaled up: the original's width instead
    assert widths(tiny.srcset) == [200]
    # WebP first, then the original's own format as the fallback <img>; a WebP original needs one format.
    assert [s.type for s in wide.sources] == ["image/webp"] and wide.srcset.split()[0].endswith(".jpg")
    assert [s.type for s in narrow.sources] == ["image/webp"] and narrow.srcset.split()[0].endswith(".png")
    assert tiny.sources == () and tiny.srcset.split()[0].endswith(".webp")
    assert all(widths(s.srcset) == widths(p.srcset) for p in (wide, narrow) for s in p.sources)
    assert (wide.width, wide.height, narrow.width, narrow.height) == (4000, 3000, 1000, 500)
    # The fallback src is the fallback's largest file.
    assert wide.src == wide.srcset.split(", ")[-1].split()[0]


def test_gif_svg_and_unshown_files_are_left_alone():
    found = plan({"images/a.jpg": (800, 600)})
    assert found.picture("/images/a.jpg") and not found.picture("/images/anim.gif")
    assert not found.picture("/images/logo.svg") and set(found.tasks) == {"images/a.jpg"}


def test_heights_keep_the_aspect_ratio():
    task = only(plan({"images/a.jpg": (3000, 2000)}))
    assert {(v.width, v.height) for v in task.variants} == {(320, 213), (640, 427), (960, 640), (1280, 853),
                                                           (1920, 1280)}


def test_names_follow_the_original_and_change_with_its_bytes_and_the_quality():
    first = plan({"images/2024/vote.jpg": (1000, 800)})
    names = [v.path for v in only(first).variants]
    assert all(re.fullmatch(r"images/2024/vote\.(320|640|960|1000)w\.[0-9a-f]{10}\.(webp|jpg)", n) for n in names)
    assert len(set(names)) == len(names) == 8
    other_bytes = plan({"images/2024/vote.jpg": (1000, 800)}, digest="b" * 64)
    other_quality = plan({"images/2024/vote.jpg": (1000, 800)}, ImageSettings(quality=60))
    for changed in (other_bytes, other_quality):
        assert not {v.path for v in only(changed).variants} & set(names)
    # Another list of widths keeps the names of the widths both lists have: nothing is made again.
    fewer = plan({"images/2024/vote.jpg": (1000, 800)}, ImageSettings(widths=(640,)))
    assert {v.path for v in only(fewer).variants} <= set(names)


def test_avif_comes_first_when_asked_for():
    found = plan({"images/a.jpg": (800, 600)}, ImageSettings(formats=("avif", "webp")))
    assert [s.type for s in found.picture("/images/a.jpg").sources] == ["image/avif", "image/webp"]


def test_no_widths_means_no_generated_files():
    found = plan({"images/a.jpg": (800, 600)}, ImageSettings(widths=()), leads=[("images/a.jpg", None)])
    assert not found.tasks
    assert found.picture("/images/a.jpg") is None and found.social_image("/images/a.jpg", None) is None


def test_unmeasured_and_enormous_images_are_reported():
    files = {p: copied(p) for p in ("images/broken.jpg", "images/huge.png")}
    found = plan_images(ImageSettings(), BASE_URL, "/news/", files, {"images/huge.png": (20_000, 10_000)},
                        list(files))
    assert found.unreadable == ("images/broken.jpg",)
    (problem,) = found.problems
    assert problem.site_path == "images/huge.png" and "200 megapixels" in problem.message
    assert f"over {MAX_PIXELS // 1_000_000} megapixels" in problem.message
    assert not found.tasks


def test_social_images_are_1200_by_630_jpegs_one_per_focus():
    found = plan({"images/a.png": (2000, 1000)}, leads=[("images/a.png", None), ("images/a.png", (0.1, 0.5))])
    centre, left = found.social_image("/images/a.png", None), found.social_image("/images/a.png", (0.1, 0.5))
    assert centre and left and centre.url != left.url
    assert centre.url.startswith(BASE_URL + "images/a.social.") and centre.url.endswith(".jpg")
    assert (centre.width, centre.height) == SOCIAL_SIZE
    crops = {v.crop for v in only(found).variants if v.crop}
    assert crops == {social_crop((2000, 1000), (0.5, 0.5)), social_crop((2000, 1000), (0.1, 0.5))}


@pytest.mark.parametrize("size, focus, box", [
    ((2000, 1000), (0.5, 0.5), (48, 0, 1953, 1000)),  # wider than 1200:630: full height, centred
    ((2000, 1000), (0.0, 0.5), (0, 0, 1905, 1000)),  # a focus near the edge: the box stops at it
    ((2000, 1000), (1.0, 0.5), (95, 0, 2000, 1000)),
    ((1000, 2000), (0.5, 0.5), (0, 738, 1000, 1263)),  # taller: full width
    ((1000, 2000), (0.5, 0.2), (0, 138, 1000, 663)),  # a face near the top stays in view
])
def test_the_social_crop_keeps_the_focus_in_view(size, focus, box):
    left, top, right, bottom = crop = social_crop(size, focus)
    assert crop == box
    assert abs((right - left) / (bottom - top) - SOCIAL_SIZE[0] / SOCIAL_SIZE[1]) < 0.01
    assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1]


def test_a_picture_asked_for_again_is_the_one_made_before_and_only_so_many_are_kept(monkeypatch):
    from builder.render import images

    found = plan({"images/a.jpg": (1600, 900), "images/b.jpg": (800, 600), "images/c.jpg": (400, 300)})
    first = found.picture("/images/a.jpg")
    assert first is not None and found.picture("/images/a.jpg") is first  # kept, not made again
    assert found.picture("/images/none.jpg") is None and found.picture("/images/none.jpg") is None
    monkeypatch.setattr(images, "PICTURES_KEPT", 2)
    found = plan({"images/a.jpg": (1600, 900), "images/b.jpg": (800, 600), "images/c.jpg": (400, 300)})
    pictures = [found.picture(f"/images/{name}.jpg") for name in "abc"]
    assert len(found._pictures) <= 2  # bounded
    assert [found.picture(f"/images/{name}.jpg") for name in "abc"] == pictures  # the same pictures, made again
