/* endpaper built-in behaviour: language tabs that follow the reader, copy buttons, lazy search,
   scroll-spy navigation, heading anchors, theme toggle. No framework, works from file://. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var LANG_KEY = "ep-language", THEME_KEY = "ep-theme";

  function $$(sel, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(sel)); }
  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(key);
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* storage may be disabled (private mode, file:// policy) */ }
    return null;
  }
  function headerHeight() {
    var h = doc.querySelector(".ep-header");
    return h ? h.getBoundingClientRect().height : 0;
  }

  /* ---------- theme ---------- */
  var themeBtn = doc.querySelector(".ep-theme");
  var darkQuery = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
  function applyTheme() {
    var pref = store(THEME_KEY);
    if (pref !== "light" && pref !== "dark") pref = null;
    var theme = pref || (darkQuery && darkQuery.matches ? "dark" : "light");
    root.setAttribute("data-theme", theme);
    root.setAttribute("data-theme-pref", pref || "auto");
    if (themeBtn) {
      themeBtn.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      themeBtn.title = theme === "dark" ? "Switch to light theme" : "Switch to dark theme";
    }
  }
  if (themeBtn) {
    themeBtn.addEventListener("click", function () {
      var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      // choosing the system's own theme returns to following the system
      var system = darkQuery && darkQuery.matches ? "dark" : "light";
      store(THEME_KEY, next === system ? null : next);
      applyTheme();
    });
  }
  if (darkQuery) {
    var onScheme = function () { applyTheme(); };
    if (darkQuery.addEventListener) darkQuery.addEventListener("change", onScheme);
    else if (darkQuery.addListener) darkQuery.addListener(onScheme);
  }
  applyTheme();

  /* ---------- copy ---------- */
  function copyText(text) {
    function fallback() {
      var ta = doc.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.cssText = "position:fixed;top:0;left:-9999px;opacity:0";
      doc.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      doc.body.removeChild(ta);
      return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(fallback);
    }
    return fallback();
  }
  function flashButton(btn, label) {
    var original = btn.getAttribute("data-label") || btn.textContent;
    btn.setAttribute("data-label", original);
    btn.textContent = label;
    btn.classList.add("is-copied");
    clearTimeout(btn._epTimer);
    btn._epTimer = setTimeout(function () {
      btn.textContent = original;
      btn.classList.remove("is-copied");
    }, 1600);
  }
  doc.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".ep-copy");
    if (!btn) return;
    var code = btn.parentNode.querySelector("pre code") || btn.parentNode.querySelector("pre");
    if (!code) return;
    var text = code.textContent.replace(/\n$/, "");
    var focusBefore = doc.activeElement;
    copyText(text).then(function () { flashButton(btn, "Copied"); }, function () { flashButton(btn, "Press Ctrl+C"); });
    if (focusBefore === btn) btn.focus();
  });
  // The copy buttons are the script's, not the build's: without JavaScript a button could
  // copy nothing, and a page of a large reference carried a thousand of them.
  function addCopyButtons() {
    $$(".ep-sample").forEach(function (s) {
      if (s.querySelector(":scope > .ep-copy")) return;
      var b = doc.createElement("button");
      b.type = "button";
      b.className = "ep-copy";
      b.setAttribute("aria-label", "Copy code");
      b.textContent = "Copy";
      s.insertBefore(b, s.firstChild);
    });
  }
  // a <pre> that scrolls sideways must be reachable by keyboard
  function markScrollable() {
    $$("pre.ep-code").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1 && !pre.hasAttribute("tabindex")) pre.setAttribute("tabindex", "0");
    });
  }

  /* ---------- language tabs ---------- */
  function groupTabs(group) { return $$(":scope > .ep-tablist > [role=tab]", group); }
  /* The build writes a group's tabs and panels without ids and the ARIA that ties them (the
     same for every group, and a tenth of a doc's HTML): made here, first, as
     ep-t-DOC-GROUP-TAB and ep-p-DOC-GROUP-TAB. Ids a page already has are kept. */
  (function linkTabs() {
    var groups = {};
    $$(".ep-tabs").forEach(function (g) {
      var d = g.closest(".ep-doc[id]"), key = d ? d.id : "ep", n = groups[key] || 0;
      var stem = key + "-" + n + "-";
      groups[key] = n + 1;
      var panels = $$(":scope > .ep-sample", g);
      groupTabs(g).forEach(function (t, i) {
        var on = t.getAttribute("aria-selected") === "true", p = panels[i];
        if (!t.id) t.id = "ep-t-" + stem + i;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.setAttribute("tabindex", on ? "0" : "-1");
        if (!p) return;
        if (!p.id) p.id = "ep-p-" + stem + i;
        t.setAttribute("aria-controls", p.id);
        p.setAttribute("aria-labelledby", t.id);
        p.setAttribute("tabindex", "0");
      });
    });
  })();
  function selectInGroup(group, slug) {
    var tabs = groupTabs(group), found = null;
    tabs.forEach(function (t) { if (t.getAttribute("data-tab") === slug) found = t; });
    if (!found) return false;
    tabs.forEach(function (t) {
      var on = t === found, panel = doc.getElementById(t.getAttribute("aria-controls"));
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.setAttribute("tabindex", on ? "0" : "-1");
      if (panel) panel.hidden = !on;
    });
    return true;
  }
  function selectEverywhere(slug, anchorEl) {
    // keep the tab the reader touched where it is on screen while groups above change height
    var before = anchorEl ? anchorEl.getBoundingClientRect().top : 0;
    $$(".ep-tabs").forEach(function (g) { selectInGroup(g, slug); });
    if (anchorEl) {
      var delta = anchorEl.getBoundingClientRect().top - before;
      if (delta) window.scrollBy(0, delta);
    }
    markScrollable();
  }
  function chooseTab(tab) {
    var slug = tab.getAttribute("data-tab");
    if (!slug) return;
    store(LANG_KEY, slug);
    selectEverywhere(slug, tab);
  }
  doc.addEventListener("click", function (e) {
    var tab = e.target.closest && e.target.closest(".ep-tablist > [role=tab]");
    if (tab) chooseTab(tab);
  });
  doc.addEventListener("keydown", function (e) {
    var tab = e.target.closest && e.target.closest(".ep-tablist > [role=tab]");
    if (!tab || e.altKey || e.ctrlKey || e.metaKey) return;
    var tabs = $$(":scope > [role=tab]", tab.parentNode), i = tabs.indexOf(tab), next = null;
    if (e.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
    else if (e.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === "Home") next = tabs[0];
    else if (e.key === "End") next = tabs[tabs.length - 1];
    if (!next) return;
    e.preventDefault();
    chooseTab(next);
    next.focus();
  });
  /* `?lang=python` names a language, not a tab title: it picks the tab whose key is that name,
     else one whose key starts with it (`python-requests`), else one whose sample is in it (C#). */
  function slugFor(name) {
    var tabs = $$(".ep-tablist > [role=tab]"), tests = [
      function (s) { return s === name; },
      function (s) { return s.indexOf(name + "-") === 0; },
      function (s, t) {
        var panel = doc.getElementById(t.getAttribute("aria-controls"));
        return !!panel && panel.getAttribute("data-lang") === name;
      }
    ];
    for (var i = 0; i < tests.length; i++) {
      for (var j = 0; j < tabs.length; j++) {
        var s = tabs[j].getAttribute("data-tab") || "";
        if (tests[i](s, tabs[j])) return s;
      }
    }
    return name;
  }
  (function initialLanguage() {
    var m = /[?&](?:lang|language)=([^&#]*)/.exec(location.search), slug = null;
    if (m) {
      slug = slugFor(decodeURIComponent(m[1].replace(/\+/g, " ")).toLowerCase());
      store(LANG_KEY, slug);
    } else {
      slug = store(LANG_KEY);
    }
    if (slug) $$(".ep-tabs").forEach(function (g) { selectInGroup(g, slug); });
  })();

  /* ---------- heading anchors ---------- */
  $$(".ep-doc").forEach(function (d) {
    var heads = [d.querySelector(".ep-doc-title")].concat($$(".ep-doc-prose h2[id], .ep-doc-prose h3[id], .ep-doc-prose h4[id]", d));
    heads.forEach(function (h) {
      if (!h || h.querySelector(".ep-anchor")) return;
      var id = h.id || (h.classList.contains("ep-doc-title") ? d.id : "");
      if (!id) return;
      var a = doc.createElement("a");
      a.className = "ep-anchor";
      a.href = "#" + encodeURIComponent(id);
      a.setAttribute("aria-label", "Link to " + h.textContent.replace(/\s+/g, " ").trim());
      a.textContent = "#";
      h.appendChild(a);
    });
  });

  /* ---------- navigation ---------- */
  var nav = doc.getElementById("ep-nav"), menuBtn = doc.querySelector(".ep-menu");
  function setMenu(open) {
    if (!menuBtn) return;
    menuBtn.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) root.setAttribute("data-nav-open", ""); else root.removeAttribute("data-nav-open");
  }
  if (menuBtn) {
    menuBtn.addEventListener("click", function () {
      var open = menuBtn.getAttribute("aria-expanded") !== "true";
      setMenu(open);
      if (open && nav) { var first = nav.querySelector("a[aria-current], a"); if (first) first.focus(); }
    });
  }
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && root.hasAttribute("data-nav-open")) { setMenu(false); if (menuBtn) menuBtn.focus(); }
  });
  if (nav) {
    nav.addEventListener("click", function (e) {
      var toggle = e.target.closest(".ep-nav-toggle");
      if (toggle) {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        var list = doc.getElementById(toggle.getAttribute("aria-controls"));
        if (list) list.hidden = !open;
        return;
      }
      if (e.target.closest("a")) setMenu(false);
    });
  }
  doc.addEventListener("click", function (e) {
    if (root.hasAttribute("data-nav-open") && !e.target.closest(".ep-nav, .ep-menu")) setMenu(false);
  });

  // scroll-spy: the current doc is the last one whose top has passed under the header
  var docs = $$(".ep-doc"), navLinks = {}, current = null, spyArmed = false;
  $$(".ep-nav-doc[data-anchor]").forEach(function (a) { navLinks[a.getAttribute("data-anchor")] = a; });
  function setCurrent(id, updateHash) {
    if (id === current) return;
    current = id;
    $$(".ep-nav-doc[aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
    var link = id && navLinks[id];
    if (link) {
      link.setAttribute("aria-current", "location");
      var sec = link.closest(".ep-nav-section"), t = sec && sec.querySelector(".ep-nav-toggle");
      if (t && t.getAttribute("aria-expanded") === "false") t.click();
      if (nav) {
        var nr = nav.getBoundingClientRect(), lr = link.getBoundingClientRect();
        if (lr.top < nr.top + 40 || lr.bottom > nr.bottom - 40) nav.scrollTop += lr.top - nr.top - nr.height / 3;
      }
    }
    if (updateHash && id && history.replaceState && decodeURIComponent(location.hash.slice(1)) !== id) {
      history.replaceState(history.state, "", "#" + encodeURIComponent(id));
    }
  }
  function spy() {
    if (!docs.length) return;
    var line = headerHeight() + 24, id = null;
    for (var i = 0; i < docs.length; i++) {
      if (docs[i].getBoundingClientRect().top <= line) id = docs[i].id; else break;
    }
    // at the very bottom, the last doc may never reach the line
    if ((window.innerHeight + window.scrollY) >= doc.documentElement.scrollHeight - 2) id = docs[docs.length - 1].id;
    setCurrent(id || (docs[0] && docs[0].getBoundingClientRect().top < window.innerHeight ? docs[0].id : null), spyArmed);
  }
  var spyQueued = false;
  window.addEventListener("scroll", function () {
    if (spyQueued) return;
    spyQueued = true;
    requestAnimationFrame(function () { spyQueued = false; spy(); });
  }, { passive: true });
  // only user scrolling rewrites the hash; landing on a deep link must not replace it
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (ev) {
    window.addEventListener(ev, function () { spyArmed = true; }, { passive: true, once: true });
  });

  /* ---------- split sites: anchors that live on another page ---------- */
  var redirects = {};
  try { redirects = JSON.parse(root.getAttribute("data-redirects") || "{}") || {}; } catch (e) { redirects = {}; }
  function redirectFor(id) {
    if (!id || doc.getElementById(id) || !Object.prototype.hasOwnProperty.call(redirects, id)) return null;
    var p = String(redirects[id]);
    return (root.getAttribute("data-root") || "") + p + (p.indexOf("#") < 0 ? "#" + encodeURIComponent(id) : "");
  }
  $$("a[href^='#']").forEach(function (a) {
    var to = redirectFor(decodeURIComponent(a.getAttribute("href").slice(1)));
    if (to) a.setAttribute("href", to);
  });
  // Large split sites keep the map in a file of its own, fetched only for an anchor that
  // is not on this page.
  var redirectsSrc = root.getAttribute("data-redirects-src");
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var to = redirectFor(id);
    if (to) { location.replace(to); return; }
    if (!redirectsSrc || !id || doc.getElementById(id)) return;
    var s = doc.createElement("script");
    s.src = (root.getAttribute("data-root") || "") + redirectsSrc;
    redirectsSrc = null;
    s.onload = function () { redirects = window.EP_REDIRECTS || {}; follow(); };
    doc.head.appendChild(s);
  }
  window.addEventListener("hashchange", follow);
  follow();

  /* ---------- flash the target doc ---------- */
  function flash(id) {
    var el = id && doc.getElementById(id);
    if (!el) return;
    var d = el.closest(".ep-doc") || el;
    d.classList.remove("ep-flash");
    void d.offsetWidth; // restart the animation
    d.classList.add("ep-flash");
    setTimeout(function () { d.classList.remove("ep-flash"); }, 2000);
  }
  window.addEventListener("hashchange", function () { flash(decodeURIComponent(location.hash.slice(1))); });

  /* ---------- search ---------- */
  var input = doc.getElementById("ep-search-input");
  var list = doc.getElementById("ep-search-results");
  var status = doc.querySelector(".ep-search-status");
  var pageRoot = root.getAttribute("data-root") || "";
  var pagePath = root.getAttribute("data-page") || "index.html";
  var indexState = 0; // 0 not loaded, 1 loading, 2 ready, 3 failed
  var results = [], active = -1;
  var METHODS = { get: 1, post: 1, put: 1, patch: 1, delete: 1, head: 1, options: 1 };

  function script(src, done) {
    var s = doc.createElement("script");
    s.src = pageRoot + src;
    s.async = true;
    s.onload = s.onerror = done;
    doc.head.appendChild(s);
  }
  function loadIndex() {
    if (indexState) return;
    if (window.EP_SEARCH_INDEX) { indexState = 2; return; }
    indexState = 1;
    var src = root.getAttribute("data-search-index") || "search-index.js";
    script(src, function () { indexState = window.EP_SEARCH_INDEX ? 2 : 3; runSearch(); });
    // the full text (most of the weight) follows; names and paths answer meanwhile. A large
    // site's is split by section: search-text.js names the parts, loaded side by side, and
    // each one's text matches show as it arrives
    var textSrc = src.replace("search-index", "search-text");
    script(textSrc, function () {
      var t = window.EP_SEARCH_TEXT;
      if (t && t.parts) {
        var base = textSrc.slice(0, textSrc.lastIndexOf("/") + 1);
        t.parts.forEach(function (part) { script(base + part, textArrived); });
      }
      textArrived();
    });
  }
  function textArrived() { if (window.EP_SEARCH_INDEX) window.EP_SEARCH_INDEX._ep = null; runSearch(); }
  // the text of each doc, in the index's order: the array of search-text.js, or the runs
  // its parts have added so far
  function fullText() {
    var t = window.EP_SEARCH_TEXT;
    if (!t || !t.runs) return t || [];
    var text = [];
    t.runs.forEach(function (run) { for (var i = 0; i < run[1].length; i++) text[run[0] + i] = run[1][i]; });
    return text;
  }
  function norm(s) { return String(s || "").toLowerCase(); }
  function prepared() {
    var idx = window.EP_SEARCH_INDEX;
    if (!idx || !idx.docs) return [];
    if (!idx._ep) {
      var text = fullText();
      idx._ep = idx.docs.map(function (d, i) {
        return { d: d, n: norm(d.n), t: norm(d.t), m: norm(d.m), s: norm(d.s), x: norm(d.d), k: (d.k || []).map(norm), b: norm(text[i]), raw: text[i] || "" };
      });
    }
    return idx._ep;
  }
  function termScore(e, w) {
    // best field wins: exact and prefix hits on name/path rank above anything in the prose
    var best = 0;
    function f(v, exact, prefix, part) {
      if (!v) return;
      var i = v.indexOf(w);
      if (i < 0) return;
      var sc = v === w ? exact : i === 0 ? prefix : /[\s/_\-.{<:]/.test(v.charAt(i - 1)) ? part + 4 : part;
      if (sc > best) best = sc;
    }
    f(e.n, 100, 70, 40);
    f(e.t, 95, 65, 38);
    f(e.m, 30, 20, 0);
    for (var j = 0; j < e.k.length; j++) f(e.k[j], 28, 20, 10);
    f(e.s, 24, 16, 8);
    f(e.x, 10, 8, 5);
    // the body text counts least, so name, path and parameter matches stay first
    if (!best && e.b) { var at = e.b.indexOf(w); if (at >= 0) best = at === 0 || /\W/.test(e.b.charAt(at - 1)) ? 3 : 1; }
    return best;
  }
  function search(q) {
    var words = norm(q).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var method = null;
    if (words.length > 1 && METHODS[words[0]]) method = words.shift();
    var out = [];
    prepared().forEach(function (e, order) {
      if (method && e.m !== method) return;
      var total = method ? 5 : 0;
      for (var i = 0; i < words.length; i++) {
        var s = termScore(e, words[i]);
        if (!s) return;
        total += s;
      }
      if (e.n && e.n.indexOf(words.join(" ")) === 0) total += 30;
      out.push({ e: e, score: total, order: order });
    });
    out.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return out.slice(0, 12).map(function (r) { return { d: r.e.d, snip: snippet(r.e, words) }; });
  }
  /** Around the first word found in the doc's text, when the match is not in its title. */
  function snippet(e, words) {
    if (!e.b || words.some(function (w) { return e.n.indexOf(w) >= 0 || e.t.indexOf(w) >= 0; })) return null;
    var at = -1;
    words.forEach(function (w) { var i = e.b.indexOf(w); if (i >= 0 && (at < 0 || i < at)) at = i; });
    if (at < 0) return null;
    var from = Math.max(0, e.raw.lastIndexOf(" ", Math.max(0, at - 50)) + 1), to = Math.min(e.raw.length, at + 110);
    return { text: (from ? "\u2026" : "") + e.raw.slice(from, to) + (to < e.raw.length ? "\u2026" : ""), words: words };
  }
  function marked(s, words) {
    var span = el("span", "ep-result-snippet"), low = norm(s.text), i = 0;
    while (i < s.text.length) {
      var next = -1, len = 0;
      words.forEach(function (w) { var j = low.indexOf(w, i); if (j >= 0 && (next < 0 || j < next)) { next = j; len = w.length; } });
      if (next < 0) { span.appendChild(doc.createTextNode(s.text.slice(i))); break; }
      span.appendChild(doc.createTextNode(s.text.slice(i, next)));
      span.appendChild(el("mark", null, s.text.slice(next, next + len)));
      i = next + len;
    }
    return span;
  }
  function setExpanded(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { input.removeAttribute("aria-activedescendant"); active = -1; }
  }
  function el(tag, cls, text) {
    var x = doc.createElement(tag);
    if (cls) x.className = cls;
    if (text != null) x.textContent = text;
    return x;
  }
  function render() {
    list.textContent = "";
    if (!input.value.trim()) { setExpanded(false); if (status) status.textContent = ""; return; }
    if (indexState === 1) { setExpanded(false); return; }
    if (!results.length) {
      var none = el("li", "ep-result-empty", indexState === 3 ? "Search is unavailable." : "No results for \u201c" + input.value.trim() + "\u201d");
      none.setAttribute("role", "presentation");
      list.appendChild(none);
      setExpanded(true);
      if (status) status.textContent = none.textContent;
      return;
    }
    results.forEach(function (r, i) {
      var d = r.d;
      var li = el("li", "ep-result");
      li.id = "ep-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      var badge = el("span", d.m ? "ep-badge" : "", d.m || "");
      if (d.m) badge.setAttribute("data-verb", d.m);
      var main = el("span", "ep-result-main");
      main.appendChild(el("span", "ep-result-name", d.n || d.t));
      if (d.n && d.t && d.t !== d.n) main.appendChild(el("span", "ep-result-path", d.t));
      if (r.snip) main.appendChild(marked(r.snip, r.snip.words));
      li.appendChild(badge);
      li.appendChild(main);
      li.appendChild(el("span", "ep-result-section", d.s || ""));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { openResult(d); });
      list.appendChild(li);
    });
    setExpanded(true);
    if (status) status.textContent = results.length + (results.length === 1 ? " result" : " results");
    setActive(active);
  }
  function setActive(i) {
    var items = $$(".ep-result", list);
    active = items.length ? (i + items.length) % items.length : -1;
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === active ? "true" : "false"); });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", items[active].id);
      var li = items[active];
      if (li.offsetTop < list.scrollTop) list.scrollTop = li.offsetTop;
      else if (li.offsetTop + li.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = li.offsetTop + li.offsetHeight - list.clientHeight;
    } else input.removeAttribute("aria-activedescendant");
  }
  function runSearch() {
    if (!input) return;
    results = indexState === 2 ? search(input.value) : [];
    active = results.length ? 0 : -1;
    render();
  }
  function openResult(d) {
    var h = d.h || ("#" + d.a), hash = h.indexOf("#") >= 0 ? h.slice(h.indexOf("#") + 1) : d.a;
    var path = h.split("#")[0];
    setExpanded(false);
    input.blur();
    if (!path || path === pagePath) {
      var id = decodeURIComponent(hash);
      if (decodeURIComponent(location.hash.slice(1)) === id) {
        var t = doc.getElementById(id);
        if (t) t.scrollIntoView();
        flash(id);
      } else {
        location.hash = hash;
      }
      setCurrent(id, false);
      setMenu(false);
    } else {
      location.href = pageRoot + h;
    }
  }
  if (input && list) {
    input.addEventListener("focus", loadIndex);
    input.addEventListener("input", function () { loadIndex(); runSearch(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) { runSearch(); return; }
        setActive(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        if (active >= 0 && results[active]) { e.preventDefault(); openResult(results[active].d); }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); setExpanded(false); } else if (input.value) input.value = "";
      }
    });
    input.addEventListener("blur", function () { setTimeout(function () { setExpanded(false); }, 120); });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target, tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  /* ---------- try it: assets/tryit.js, loaded the first time a panel opens ---------- */
  var tryQueue = null;
  doc.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".ep-try-open");
    var panel = btn && doc.getElementById(btn.getAttribute("aria-controls"));
    if (!panel) return;
    var open = btn.getAttribute("aria-expanded") !== "true";
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
    if (!open) return;
    var go = function () { if (window.endpaperTryIt) window.endpaperTryIt(panel, btn.closest(".ep-doc")); };
    if (window.endpaperTryIt) { go(); return; }
    if (tryQueue) { tryQueue.push(go); return; }
    tryQueue = [go];
    script("assets/tryit.js", function () { tryQueue.forEach(function (f) { f(); }); tryQueue = null; });
  });

  /* ---------- start ---------- */
  addCopyButtons();
  markScrollable();
  window.addEventListener("resize", markScrollable);
  var initial = decodeURIComponent(location.hash.slice(1));
  spy();
  if (initial && doc.getElementById(initial)) { setCurrent((doc.getElementById(initial).closest(".ep-doc") || {}).id || current, false); flash(initial); }
  // hook for tests and custom themes: the API other scripts may rely on
  window.endpaper = { search: function (q) { return search(q).map(function (r) { return r.d; }); }, selectLanguage: function (s) { store(LANG_KEY, s); selectEverywhere(s); } };
})();
