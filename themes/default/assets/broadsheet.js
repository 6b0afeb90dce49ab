/*
 * Broadsheet default theme: progressive enhancement only. Every page works without this file.
 *
 * 1. Accessibility links move keyboard focus, not only the scroll position, to their target
 *    (the GOV.UK Frontend "skip link" pattern): the target gets tabindex="-1" and focus, and
 *    loses the tabindex again when focus leaves it.
 * 2. Text size buttons (XS, SM, MD, LG) are revealed and set data-text-size on <html>. The CSS
 *    rules for each size come from theme.yaml; the choice is kept in localStorage and applied
 *    before the first paint by a small inline script in <head>.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "broadsheet:text-size";
  var root = document.documentElement;

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  // 1. Accessibility links ------------------------------------------------------------------

  function focusTarget(target) {
    var added = false;
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
      added = true;
    }
    target.focus();
    if (added) {
      target.addEventListener("blur", function removeTabindex() {
        target.removeAttribute("tabindex");
        target.removeEventListener("blur", removeTabindex);
      });
    }
  }

  each(document.querySelectorAll('.accessibility-links a[href^="#"]'), function (link) {
    // Enter on a link fires "click", so this covers the keyboard as well as the pointer.
    link.addEventListener("click", function () {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var target = id && document.getElementById(id);
      if (target) {
        // The browser still follows the link (scroll position and URL); focus follows it here.
        focusTarget(target);
      }
    });
  });

  // 2. Text size ---------------------------------------------------------------------------

  var group = document.querySelector("[data-text-size-controls]");
  if (!group) {
    return;
  }
  var buttons = group.querySelectorAll("button[data-text-size-value]");
  var sizes = [];
  each(buttons, function (button) {
    sizes.push(button.getAttribute("data-text-size-value"));
  });
  var fallback = group.getAttribute("data-text-size-default") || "md";

  function isSize(value) {
    return typeof value === "string" && sizes.indexOf(value) !== -1;
  }

  function current() {
    var value = root.getAttribute("data-text-size");
    return isSize(value) ? value : fallback;
  }

  function showPressed() {
    var size = current();
    each(buttons, function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-text-size-value") === size));
    });
  }

  function apply(size) {
    root.setAttribute("data-text-size", size);
    showPressed();
  }

  function remember(size) {
    try {
      window.localStorage.setItem(STORAGE_KEY, size);
    } catch (e) {
      // Storage blocked or full: the size still applies to this page.
    }
  }

  each(buttons, function (button) {
    button.addEventListener("click", function () {
      var size = button.getAttribute("data-text-size-value");
      if (isSize(size)) {
        apply(size);
        remember(size);
      }
    });
  });

  // A choice made in another tab or window of the same site applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY && isSize(event.newValue)) {
      apply(event.newValue);
    }
  });

  showPressed();
  group.hidden = false;
})();
