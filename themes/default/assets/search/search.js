/*
 * Broadsheet search: progressive enhancement, on every page of a site with search.
 *
 * 1. The search field in the header is revealed. Search runs in the browser, so without
 *    JavaScript the field would lead to a page that cannot search: it stays hidden.
 * 2. On the search page (templates/search.html), Pagefind's JavaScript API is loaded from the
 *    site's bundle (the index of the page's <html lang>) and drives our own markup: a native form,
 *    a list of links, a polite live region. Pagefind's own UI is not used: it fails axe's
 *    label-title-only rule and shows no focus on results (Pagefind issue #159).
 *    - Results come as the reader types (after a pause of DEBOUNCE_MS), on Enter and when a filter
 *      changes; RESULTS_AT_ONCE at a time, and a button shows more and moves focus to the first new one.
 *    - Each result: the headline as a link, the date and section, an excerpt with the matched words
 *      in <mark> (built as DOM nodes, never as HTML), and links to the article's matching headings.
 *    - The count is announced in the page's language: one message per CLDR plural category comes
 *      from the build (Babel), and Intl.PluralRules picks the category for the count.
 *    - The query and filters are kept in the address (?q=...&section=...), so a search can be
 *      shared, reloaded and reached from the header field of any page.
 *    - If the bundle cannot be loaded, the form is hidden again and the page says so, with the
 *      links it shows without JavaScript.
 *    A performance measure "broadsheet:search" runs from the last keystroke to results on screen
 *    (benchmarks/search.py reads it), and data-search-done on the page names the search last shown.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var RESULTS_AT_ONCE = 10;
  var SUB_RESULTS = 3;

  Array.prototype.forEach.call(document.querySelectorAll("[data-search-field]"), function (field) {
    field.hidden = false;
  });

  var root = document.querySelector("[data-search-page]");
  if (!root) return;

  var form = root.querySelector("[data-search-form]");
  var input = form.querySelector('input[type="search"]');
  var filters = Array.prototype.slice.call(form.querySelectorAll("[data-search-filter]"));
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var unavailable = root.querySelector("[data-search-unavailable]");
  var languages = root.querySelector("[data-search-languages]");
  var lang = document.documentElement.lang || "en";
  var messages = JSON.parse(root.getAttribute("data-count-messages") || "{}");
  var plural = new Intl.PluralRules(lang);
  var numbers = new Intl.NumberFormat(lang);
  var siteLang = root.getAttribute("data-site-lang");
  var siteDir = root.getAttribute("data-site-dir");

  var pagefind = null;
  var ready = null;
  var results = [];
  var shown = 0;
  var current = 0; // the latest search; an older one that finishes later is dropped
  var timer = null;
  var lastInput = null;
  var labelCount = 0;

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // "…the <mark>budget</mark> vote…": Pagefind escapes < and > in the text and adds the marks.
  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var marked = false;
    excerpt.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) {
        var text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        fragment.appendChild(marked ? element("mark", "", text) : document.createTextNode(text));
      }
    });
    return fragment;
  }

  function siteLanguage(node) {
    if (siteLang) {
      node.lang = siteLang;
      if (siteDir) node.dir = siteDir;
    }
    return node;
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = element("li", "search-result");
    var title = element("h2", "search-result__title");
    var link = element("a", "", meta.title || data.url);
    link.href = data.url;
    title.appendChild(link);
    item.appendChild(title);

    var line = element("p", "search-result__meta");
    if (meta.date) {
      var time = element("time", "", meta.date);
      if (meta.datetime) time.setAttribute("datetime", meta.datetime);
      line.appendChild(time);
    }
    if (meta.section) line.appendChild(siteLanguage(element("span", "search-result__section", meta.section)));
    item.appendChild(line);

    if (data.excerpt) {
      var excerpt = element("p", "search-result__excerpt");
      excerpt.appendChild(excerptNodes(data.excerpt));
      item.appendChild(excerpt);
    }

    var parts = (data.sub_results || []).filter(function (sub) {
      return sub.anchor && sub.anchor.id && sub.url !== data.url;
    }).slice(0, SUB_RESULTS);
    if (parts.length) {
      labelCount += 1;
      var label = element("p", "search-result__parts-label", list.getAttribute("data-more-label"));
      label.id = "search-result-parts-" + labelCount;
      var partList = element("ul", "search-result__parts");
      partList.setAttribute("aria-labelledby", label.id);
      parts.forEach(function (sub) {
        var partItem = element("li");
        var partLink = element("a", "", sub.title);
        partLink.href = sub.url;
        partItem.appendChild(partLink);
        partList.appendChild(partItem);
      });
      item.appendChild(label);
      item.appendChild(partList);
    }
    return item;
  }

  function chosenFilters() {
    var chosen = {};
    filters.forEach(function (select) {
      if (select.value) chosen[select.getAttribute("data-search-filter")] = select.value;
    });
    return chosen;
  }

  function describe(query, chosen) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(chosen).sort().forEach(function (name) {
      params.set(name, chosen[name]);
    });
    return params.toString();
  }

  function countMessage(count, query) {
    var message = messages[plural.select(count)] || messages.other || "{count}";
    return message.replace("{count}", numbers.format(count)).replace("{query}", query);
  }

  function keepInAddress(query, described) {
    try {
      history.replaceState(null, "", described ? "?" + described : location.pathname);
    } catch (e) {}
    if (languages) {
      Array.prototype.forEach.call(languages.querySelectorAll("a"), function (link) {
        var url = new URL(link.href, location.href);
        url.search = query ? "?" + new URLSearchParams({ q: query }).toString() : "";
        link.href = url.pathname + url.search;
      });
    }
  }

  async function showMore(moveFocus) {
    var search = current;
    var batch = results.slice(shown, shown + RESULTS_AT_ONCE);
    var data = await Promise.all(batch.map(function (result) { return result.data(); }));
    if (search !== current) return false;
    var items = data.map(resultItem);
    items.forEach(function (item) { list.appendChild(item); });
    shown += batch.length;
    list.hidden = shown === 0;
    more.hidden = shown >= results.length;
    if (moveFocus && items.length) items[0].querySelector("a").focus();
    return true;
  }

  async function run() {
    clearTimeout(timer);
    var query = input.value.trim();
    var chosen = chosenFilters();
    var described = describe(query, chosen);
    var search = ++current;
    keepInAddress(query, described);
    if (!query) {
      results = [];
      shown = 0;
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      status.textContent = "";
      root.setAttribute("data-search-done", described);
      return;
    }
    try {
      await ready;
      var found = await pagefind.search(query, { filters: chosen });
      if (search !== current || !found) return;
      results = found.results;
      shown = 0;
      list.replaceChildren();
      if (!(await showMore(false))) return;
    } catch (e) {
      if (search === current) failed();
      return;
    }
    status.textContent = countMessage(results.length, query);
    root.setAttribute("data-search-done", described);
    if (lastInput !== null) {
      performance.measure("broadsheet:search", { start: lastInput });
      lastInput = null;
    }
  }

  function failed() {
    form.hidden = true;
    if (languages) languages.hidden = true;
    list.hidden = true;
    more.hidden = true;
    status.textContent = "";
    var reason = unavailable.querySelector("[data-search-reason]");
    reason.textContent = reason.getAttribute("data-failed-text");
    unavailable.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", function () {
    lastInput = performance.now();
    current += 1; // a search still running is for words no longer in the field
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  filters.forEach(function (select) {
    select.addEventListener("change", run);
  });
  more.querySelector("button").addEventListener("click", function () {
    showMore(true);
  });

  // The address may name a search: from the header field of another page, or a shared link.
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  filters.forEach(function (select) {
    var wanted = params.get(select.getAttribute("data-search-filter"));
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
  });

  unavailable.hidden = true;
  form.hidden = false;
  if (languages) languages.hidden = false;
  ready = import(root.getAttribute("data-bundle")).then(function (module) {
    pagefind = module;
    return pagefind.init();
  });
  ready.catch(failed);
  run();
})();
