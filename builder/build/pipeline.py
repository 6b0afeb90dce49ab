"""The build, top to bottom: read the inputs, choose the way, run it, record what was built.

    inputs  = read_inputs(options)        site.yaml, the theme, the article list, the stamps (build.context)
    way     = choose_way(inputs, ...)     Unchanged, BodiesOnly or Full (build.way)
    outcome = the way, run:
        Unchanged   nothing is read or written; the stamp is refreshed when files were only saved
        BodiesOnly  the edited articles' pages and feeds again, from recipes (build.bodies)
        Full        sources -> content -> archive -> render -> checks, staged (build.full); then the
                    writer switches the staged files in and the cache records the build

Everything that can fail happens before the output folder changes, so a failed build leaves the
site as it was. The body-only way may still give up when it cannot be sure of a page; the full
way then runs.

Every way reports the site's accessibility debts as judged against the baseline (build.debts):
the full way judges them, the others reuse what the last full build judged (their inputs make
the same pages). A survey (`BuildOptions.survey`, for `broadsheet baseline`) always takes the
full way and writes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from builder.build.context import BuildInputs, StageTimer, ns, open_cache, read_inputs
from builder.build.debts import store_debts, stored_debts
from builder.build.options import BuildOptions, BuildResult, Outcome, size_warnings
from builder.build.search import SearchCatchUp
from builder.build.way import BodiesOnly, Unchanged, Way, choose_way
from builder.incremental.cache import BuildCache
from builder.incremental.stamp import BuildStamp
from builder.output.writer import WriteReport

__all__ = ["BuildOptions", "BuildResult", "build"]


def build(options: BuildOptions) -> BuildResult:
    timer = StageTimer()
    inputs = read_inputs(options)
    cache = open_cache(inputs)
    try:
        if options.clean:
            cache.ignore_stored()
        way = choose_way(inputs, cache, None if options.clean or options.survey else cache.stamp())
        outcome = _run(way, inputs, cache, timer)
        catch_up = None
        if options.defer_search and not options.survey and (stamp := cache.stamp()) and stamp.search_behind:
            catch_up = _search_catch_up(inputs, cache)
    finally:
        cache.close()
    return BuildResult(inputs.config, outcome.archive, outcome.report, outcome.pages, outcome.rendered, timer.total(),
                       timer.timings, outcome.articles, outcome.warnings, outcome.debts, catch_up)


def _search_catch_up(inputs: BuildInputs, cache: BuildCache) -> SearchCatchUp:
    config = inputs.config
    return SearchCatchUp(inputs.output, config, cache.context,
                         config.precompress_min_bytes if config.precompress else None)


def _run(way: Way, inputs: BuildInputs, cache: BuildCache, timer: StageTimer) -> Outcome:
    options = inputs.options
    if isinstance(way, Unchanged):
        recorded = way.recorded
        if way.touched is not None:  # saved, but no byte changed
            cache.touch(way.touched)
            recorded = recorded.restamped(inputs.stamps, inputs.started_ns)
            cache.store_stamp(recorded)
        timer.lap("setup")
        report, files = WriteReport(unchanged=recorded.files), recorded.files
        if recorded.search_behind and not options.defer_search:
            # A preview left the search index behind: bring it up to date before saying the site is built.
            catch_up = _search_catch_up(inputs, cache)
            catch_up.prepare(cache)
            done = catch_up.commit(cache)
            report, files = done.report, done.files
            timer.lap("search")
        return Outcome(report, recorded.pages, 0, recorded.articles, files, debts=stored_debts(cache))
    if isinstance(way, BodiesOnly):
        # Imported only now, as in _build_everything: a build with nothing to do should not pay
        # for loading Markdown, the templates and the checks.
        from builder.build.bodies import rebuild_bodies

        outcome = rebuild_bodies(inputs, cache, way.recorded, way.changes)
        if outcome is not None:
            behind = options.defer_search and inputs.config.search.enabled  # else made again (build.bodies)
            cache.store_stamp(replace(way.recorded.restamped(inputs.stamps, inputs.started_ns, files=outcome.files),
                                      search_behind=behind))
            timer.lap("edit")
            return replace(outcome, debts=stored_debts(cache))
        return _build_everything(inputs, cache, timer, way.recorded.rest_content)
    return _build_everything(inputs, cache, timer, way.rest_content)


def _build_everything(inputs: BuildInputs, cache: BuildCache, timer: StageTimer, rest_content: str | None) -> Outcome:
    from builder.build.full import stage_site

    options = inputs.options
    staged = stage_site(inputs, cache, timer.lap)
    if options.survey:
        staged.writer.abort()
        return Outcome(WriteReport(), staged.pages, staged.rendered, len(staged.archive.pages), 0, staged.archive,
                       debts=staged.debts)
    report = staged.writer.commit({"drafts": options.drafts, "future": options.future})
    cache.store_page_ids(staged.page_ids, report.deleted)
    cache.store_page_findings(staged.page_findings, staged.rendered_paths, report.deleted)
    store_debts(cache, staged.debts)
    cache.store_recipes(staged.recipes())
    files = len(staged.writer.files)
    rest, content = inputs.stamps.recorded(inputs.started_ns)
    until = staged.next_change
    # The content stamp is vouched for as the stat stamp is: not when an input changed during the build.
    cache.store_stamp(BuildStamp(rest, content, now_ns=ns(inputs.now), until_ns=ns(until) if until else None,
                                 files=files, pages=staged.pages, articles=len(staged.archive.pages),
                                 rest_content=rest_content if rest is not None else None,
                                 drafts=options.drafts, future=options.future, hidden=staged.hidden,
                                 search_behind=staged.search_behind))
    timer.lap("write")
    return Outcome(report, staged.pages, staged.rendered, len(staged.archive.pages), files, staged.archive,
                   warnings=size_warnings(staged.archive.pages, inputs.config), debts=staged.debts)
