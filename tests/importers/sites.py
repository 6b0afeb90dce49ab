"""Small old sites written for these tests: a Jekyll blog, a Hugo site, a WordPress export.

Each has what its importer must handle: the engine's syntax (Liquid, shortcodes, [caption],
Gutenberg blocks), its ways of keeping addresses, images beside and above the posts, drafts, pages
that are not posts, translations, and accessibility debts (photos without alt text, bodies that
start at h3). The text is made up for the tests.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.support.files import write_files


def png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


# Jekyll -----------------------------------------------------------------------------------------

JEKYLL = {
    "_config.yml": (
        "title: The Harbour Gazette\nurl: https://gazette.example.org\nbaseurl: /news\n"
        "permalink: /:categories/:year/:month/:day/:title.html\ntimezone: Europe/Paris\nlang: en\n"
        "repository: https://code.example.org/gazette\n"
    ),
    "_data/authors.yml": "anna:\n  name: Anna Hakobyan\n  bio: Covers the harbour.\nlevon:\n  name: Levon Petrosyan\n",
    "about.md": "---\ntitle: About\n---\nWho we are.\n",
    "assets/img/ferry.png": png(),
    "assets/img/chart.png": png(8, 6),
    "assets/docs/timetable.pdf": b"%PDF-1.4 made up\n",
    "_posts/2019-03-05-ferry-returns.md": (
        "---\nlayout: post\ntitle: \"The ferry returns: a new timetable\"\ndate: 2019-03-05 09:30:00 +0100\n"
        "categories: [Harbour, transport]\ntags: [ferry]\nauthor: anna\nimage: /assets/img/ferry.png\nversion: 2\n---\n\n"
        "The ferry is back. See the [budget]({% post_url 2019-04-01-harbour-budget %}#whats-next) and the "
        "[timetable](/news/assets/docs/timetable.pdf).\n\n"
        "### Schedule\n\n{% highlight python %}\nprint('departs at 9')\n{% endhighlight %}\n\n"
        "{% include figure.html src=\"/assets/img/chart.png\" alt=\"Passengers per month, rising\" "
        "caption=\"Passengers in 2018\" %}\n\n"
        "{% assign note = 'x' %}Written for {{ site.title }} about {% raw %}{{ templates }}{% endraw %}.\n\n"
        "#### Tickets\n\nSee [who we are](/news/about/) and [the repository]({{ site.repository }}).\n"
    ),
    "_posts/2019-04-01-harbour-budget.markdown": (
        "---\ntitle: Harbour budget\ncategory: harbour\nauthor: Mariam Sargsyan\nredirect_from: [/budget-2019/]\n---\n\n"
        "Numbers first.\n\n## What's next?\n\nMore [about the ferry]"
        "({% link _posts/2019-03-05-ferry-returns.md %}).\n\n![](/assets/img/missing.png)\n"
    ),
    "_posts/2020-01-02-unfinished.md": "---\ntitle: Unfinished\npublished: false\n---\n\nNot yet.\n",
    "_posts/notes.txt": "not a post\n",
}

JEKYLL_OLD_URLS = [
    "harbour/transport/2019/03/05/ferry-returns.html",
    "harbour/2019/04/01/harbour-budget.html",
    "budget-2019/",
]


def jekyll_site(root: Path) -> Path:
    return write_files(root, JEKYLL)


JEKYLL_LANGUAGES = {
    "_config.yml": "title: Two Tongues\nurl: https://two.example.org\npermalink: pretty\n",
    "en/news/_posts/2021-05-01-harbour-day.md": "---\ntitle: Harbour day\n---\n\n### Morning\n\nBoats.\n",
    "ja/news/_posts/2021-05-01-harbour-day.md": "---\ntitle: 港の日\n---\n\n### 朝\n\n船。\n",
    "en/news/_posts/2021-06-01-only-english.md": "---\ntitle: Only in English\n---\n\nText.\n",
}


# Hugo -------------------------------------------------------------------------------------------

HUGO = {
    "hugo.toml": (
        'baseURL = "https://www.example.org/"\ntitle = "Lighthouse Notes"\ntimeZone = "Asia/Yerevan"\n'
        'defaultContentLanguage = "en"\n\n[params]\nmotto = "Keep the light on"\n\n'
        '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n\n[permalinks]\nposts = "/:year/:month/:slug/"\n'
    ),
    "content/_index.md": "---\ntitle: Home\n---\n",
    "content/posts/_index.md": "---\ntitle: Posts\n---\n",
    "content/about.md": "---\ntitle: About\n---\n\nNo date: a page, not a post.\n",
    "content/posts/first-light/index.md": (
        "---\ntitle: First light\ndate: 2022-05-03T08:00:00+04:00\ntags: [lamps]\nauthor: \"[Sona](https://x.example/) (keeper)\"\n"
        "aliases: [/old/first-light/, first-light-again]\nimages: [lamp.png]\n---\n\n"
        "### Why {#why-we-light}\n\n{{< figure src=\"lamp.png\" alt=\"The lamp at dusk\" caption=\"Lit at 20:00\" >}}\n\n"
        "Our motto: {{% param \"motto\" %}}.\n\n{{< youtube id=\"w7Ft2ymGmfc\" title=\"the lighting\" >}}\n\n"
        "Next: [the storm]({{< ref \"posts/storm\" >}}#at-night).\n\n"
        "{{< highlight go >}}\nfmt.Println(\"on\")\n{{< /highlight >}}\n\n"
        "{{< comment >}}internal note{{< /comment >}}{{< tweet user=\"x\" id=\"1\" >}}\n\n"
        "Write {{</* figure */>}} to show a figure. See [why](#why-we-light).\n"
    ),
    "content/posts/first-light/lamp.png": png(),
    "content/posts/storm.md": (
        "+++\ntitle = \"The storm\"\ndate = 2022-06-10T22:00:00Z\ndraft = false\nslug = \"storm\"\n"
        "categories = [\"weather\"]\n+++\n\n## At night\n\nWind.\n\n![A dark sky](old-sky.png)\n"
    ),
    "content/posts/storm.fr.md": "+++\ntitle = \"La tempête\"\ndate = 2022-06-10T22:00:00Z\n+++\n\n## La nuit\n\nVent.\n",
    "content/posts/calm.md": '{\n  "title": "Calm",\n  "date": "2022-07-01",\n  "draft": true\n}\n\nQuiet.\n',
}

HUGO_OLD_URLS = ["2022/05/first-light/", "old/first-light/", "2022/05/first-light-again/", "2022/06/storm/",
                 "fr/2022/06/storm/", "2022/07/calm/"]


def hugo_site(root: Path) -> Path:
    return write_files(root, HUGO)


# WordPress --------------------------------------------------------------------------------------

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Valley Courier</title>
  <link>https://courier.example.org</link>
  <language>en-GB</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://courier.example.org</wp:base_site_url>
  <wp:base_blog_url>https://courier.example.org</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[nare]]></wp:author_login>
    <wp:author_display_name><![CDATA[Nare Grigoryan]]></wp:author_display_name></wp:author>
  <wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[valley]]></wp:category_nicename>
    <wp:cat_name><![CDATA[Valley]]></wp:cat_name></wp:category>
  <item>
    <title>Photo of the bridge</title>
    <link>https://courier.example.org/bridge-photo/</link>
    <wp:post_id>20</wp:post_id>
    <wp:post_type><![CDATA[attachment]]></wp:post_type>
    <wp:attachment_url><![CDATA[https://courier.example.org/wp-content/uploads/2021/04/bridge.png]]></wp:attachment_url>
    <excerpt:encoded><![CDATA[The old bridge in spring]]></excerpt:encoded>
    <wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
      <wp:meta_value><![CDATA[A stone bridge over a green river]]></wp:meta_value></wp:postmeta>
  </item>
  <item>
    <title>Market map</title>
    <wp:post_id>21</wp:post_id>
    <wp:post_type><![CDATA[attachment]]></wp:post_type>
    <wp:attachment_url><![CDATA[https://courier.example.org/wp-content/uploads/2021/04/market.png]]></wp:attachment_url>
    <wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
      <wp:meta_value><![CDATA[Map of the stalls around the square]]></wp:meta_value></wp:postmeta>
  </item>
  <item>
    <title>Bridge reopens &amp; traffic returns</title>
    <link>https://courier.example.org/2021/04/12/bridge-reopens/</link>
    <pubDate>Mon, 12 Apr 2021 06:00:00 +0000</pubDate>
    <dc:creator><![CDATA[nare]]></dc:creator>
    <content:encoded><![CDATA[The bridge is open again.
Cars crossed at dawn.

[caption id="attachment_20" align="alignnone" width="300"]<img class="size-medium wp-image-20" src="https://courier.example.org/wp-content/uploads/2021/04/bridge.png" alt="" width="300" height="200" /> Spring on the bridge[/caption]

<!-- wp:image {"id":21} -->
<figure class="wp-block-image"><img src="https://courier.example.org/wp-content/uploads/2021/04/market.png" alt=""/><figcaption>Stalls this Sunday</figcaption></figure>
<!-- /wp:image -->

<!-- wp:paragraph -->
<p>Read <a href="https://courier.example.org/?p=31">the market story</a> too.</p>
<!-- /wp:paragraph -->

<img src="https://courier.example.org/wp-content/uploads/2021/04/crowd.png" />

[gallery ids="20,21"]]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>30</wp:post_id>
    <wp:post_date><![CDATA[2021-04-12 10:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2021-04-12 06:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[bridge-reopens]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="valley"><![CDATA[Valley]]></category>
    <category domain="post_tag" nicename="roads"><![CDATA[Roads]]></category>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[20]]></wp:meta_value></wp:postmeta>
  </item>
  <item>
    <title>Sunday market</title>
    <link>https://courier.example.org/2021/04/18/sunday-market/</link>
    <dc:creator><![CDATA[nare]]></dc:creator>
    <content:encoded><![CDATA[<!-- wp:paragraph -->
<p>Stalls and songs.</p>
<!-- /wp:paragraph -->]]></content:encoded>
    <wp:post_id>31</wp:post_id>
    <wp:post_date><![CDATA[2021-04-18 09:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2021-04-18 05:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[sunday-market]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="valley"><![CDATA[Valley]]></category>
  </item>
  <item>
    <title>Flood warning (draft)</title>
    <link>https://courier.example.org/?p=32</link>
    <dc:creator><![CDATA[nare]]></dc:creator>
    <content:encoded><![CDATA[Not checked yet.]]></content:encoded>
    <wp:post_id>32</wp:post_id>
    <wp:post_date><![CDATA[2021-05-01 09:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[]]></wp:post_name>
    <wp:status><![CDATA[draft]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
  </item>
  <item>
    <title>Contact</title>
    <link>https://courier.example.org/contact/</link>
    <content:encoded><![CDATA[Write to us.]]></content:encoded>
    <wp:post_id>40</wp:post_id>
    <wp:post_date><![CDATA[2020-01-01 09:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2020-01-01 05:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[contact]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[page]]></wp:post_type>
  </item>
</channel>
</rss>
"""

WORDPRESS_OLD_URLS = ["2021/04/12/bridge-reopens/", "2021/04/18/sunday-market/"]


def wordpress_site(root: Path, uploads: bool = True) -> Path:
    files: dict[str, str | bytes] = {"courier.xml": WXR}
    if uploads:
        files |= {"wp-content/uploads/2021/04/bridge.png": png(), "wp-content/uploads/2021/04/market.png": png()}
    return write_files(root, files)
