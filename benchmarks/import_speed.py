"""How long `broadsheet import jekyll` takes for a large blog (issue #16: 5,000 posts in under a minute).

The posts are made from the deterministic archive of benchmarks/generate.py, written the way a
Jekyll site holds them: _config.yml with a date permalink, _posts/YYYY-MM-DD-slug.md with
categories, tags and an author, images under images/, and in every post the Liquid an old blog
has (a highlight block, a post_url link to an earlier post, an include of a figure, a site
variable) and headings that start at h3. Then the import runs as its own process under
/usr/bin/time -v (wall time, CPU time, peak memory); the figures are printed, and kept with
--json.

    .venv/bin/python benchmarks/import_speed.py --posts 5000
    .venv/bin/python benchmarks/import_speed.py --posts 5000 --repeat 3 --json /tmp/import.json
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BROADSHEET = Path(sys.executable).with_name("broadsheet")


def make_jekyll_site(articles: Path, out: Path) -> int:
    """A Jekyll site of the generated articles; returns how many posts it has."""
    if out.exists():
        shutil.rmtree(out)
    (out / "_posts").mkdir(parents=True)
    shutil.copytree(articles / "static" / "images", out / "images")
    (out / "_config.yml").write_text(
        "title: Meridian archive\nurl: https://meridian.example.org\npermalink: /:categories/:year/:month/:day/:title/\n"
        "timezone: Asia/Yerevan\nrepository: https://code.example.org/meridian\n", encoding="utf-8")
    names: list[str] = []
    for count, source in enumerate(sorted((articles / "content").rglob("*.md"))):
        text = source.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line and not line.startswith(" "))
        day = fields["date"][:10]
        name = f"{day}-{source.stem}"
        body = re.sub(r"^## ", "### ", body, flags=re.M)  # an old theme's h3 bodies: the heading shift
        liquid = ("\n{% highlight python %}\nprint('archive')\n{% endhighlight %}\n\n"
                  "{% include figure.html src=\"/images/bench/photo-02.png\" alt=\"A market stall\" caption=\"Stalls\" %}\n\n"
                  "From {{ site.repository }}.\n")
        if names:
            liquid += f"\nSee also [an earlier post]({{% post_url {names[count // 2]} %}}).\n"
        post = (f"---\ntitle: {fields['title']}\ndate: {fields['date']}\ncategories: [{fields['section']}]\n"
                f"tags: {fields.get('tags', '[]')}\nauthor: {json.loads(fields.get('authors', '[\"staff\"]'))[0]}\n"
                f"---\n{body.replace('/images/', '/images/')}{liquid}")
        (out / "_posts" / f"{name}.md").write_text(post, encoding="utf-8")
        names.append(name)
    return len(names)


def timed_import(site: Path, dest: Path) -> dict[str, float]:
    if dest.exists():
        shutil.rmtree(dest)
    run = subprocess.run(["/usr/bin/time", "-v", str(BROADSHEET), "import", "jekyll", str(site), "--site", str(dest)],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"the import failed:\n{run.stderr[-2000:]}")
    stats = dict(line.strip().rsplit(": ", 1) for line in run.stderr.splitlines() if ": " in line)
    wall = stats["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    minutes, seconds = wall.rsplit(":", 1)
    return {"wall_s": int(minutes.split(":")[-1]) * 60 + float(seconds),
            "cpu_s": float(stats["User time (seconds)"]) + float(stats["System time (seconds)"]),
            "peak_rss_mb": int(stats["Maximum resident set size (kbytes)"]) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/broadsheet-import-bench"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = args.workdir
    articles = work / f"articles-{args.posts}"
    if not (articles / "site.yaml").is_file():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--articles", str(args.posts), "--out",
                        str(articles)], check=True, stdout=subprocess.DEVNULL)
    site = work / f"jekyll-{args.posts}"
    posts = make_jekyll_site(articles, site)
    runs = [timed_import(site, work / "imported") for _ in range(args.repeat)]
    wall = statistics.median(r["wall_s"] for r in runs)
    print(f"broadsheet import jekyll: {posts} posts in {wall:.1f} s wall (median of {len(runs)}), "
          f"{statistics.median(r['cpu_s'] for r in runs):.1f} s CPU, "
          f"peak {max(r['peak_rss_mb'] for r in runs):.0f} MB; {posts / wall:.0f} posts/s; "
          f"target: under 60 s {'met' if wall < 60 else 'NOT met'}")
    report = (work / "imported" / "import-report.md").read_text(encoding="utf-8")
    print("\n".join(line for line in report.splitlines()[4:12] if line.startswith("- ")))
    if args.json:
        args.json.write_text(json.dumps({"posts": posts, "runs": runs}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
