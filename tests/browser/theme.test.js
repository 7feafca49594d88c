// End-to-end tests of endpaper's built-in theme in headless Chromium, run against a built site
// opened from disk (file://). EP_SITE names the built site's directory (tests/browser.rs builds
// content/ and sets it).
// Screenshots go to EP_SCREENSHOTS (default: <tmp>/endpaper-screenshots).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

if (!process.env.EP_SITE) throw new Error("set EP_SITE to a site built by endpaper (cargo test --test browser does)");
const SITE = path.resolve(process.env.EP_SITE);
const SHOTS = process.env.EP_SCREENSHOTS || path.join(os.tmpdir(), "endpaper-screenshots");
const INDEX = pathToFileURL(path.join(SITE, "index.html")).href;
// on split sites the tab tests run on the page with the most tab groups
const TABS_URL = (() => {
  const pages = [];
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "assets") walk(full);
    else if (e.name.endsWith(".html") && e.name !== "404.html") pages.push(full);
  });
  if (fs.existsSync(SITE)) walk(SITE);
  const groups = (f) => fs.readFileSync(f, "utf8").split('class="ep-tabs"').length - 1;
  const best = pages.sort((a, b) => groups(b) - groups(a) || a.localeCompare(b))[0];
  return best ? pathToFileURL(best).href : INDEX;
})();
const CHROMIUM = process.env.EP_CHROMIUM || "/usr/bin/chromium";
const DESKTOP = { width: 1440, height: 900 };
const MOBILE = { width: 390, height: 844 };

let browser;
const open = []; // every page of a test, checked for errors and network use when it ends

before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, "index.html")), `no index.html in EP_SITE=${SITE}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => { if (browser) await browser.close(); });

/** A fresh context (own localStorage) and page that records console errors and network use. */
async function newPage(t, { viewport = DESKTOP, colorScheme = "light", init } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: "reduce" });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url || "?"})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  context.on("request", (r) => { if (!r.url().startsWith("file://")) problems.push(`network request: ${r.url()}`); });
  if (init) await page.addInitScript(init);
  const entry = { context, problems };
  open.push(entry);
  t.after(async () => {
    open.splice(open.indexOf(entry), 1);
    await context.close();
    assert.deepEqual(problems, [], "no console errors and no requests outside file://");
  });
  return page;
}

async function goto(page, suffix = "", url = INDEX) {
  await page.goto(url + suffix);
  await page.waitForFunction(() => window.endpaper !== undefined);
}

/** The tab slug shared by most groups, other than the first tab of every group. */
async function sharedSlug(page) {
  return page.evaluate(() => {
    const count = {};
    for (const g of document.querySelectorAll(".ep-tabs")) {
      const tabs = [...g.querySelectorAll(":scope > .ep-tablist > [role=tab]")];
      tabs.slice(1).forEach((b) => { count[b.dataset.tab] = (count[b.dataset.tab] || 0) + 1; });
    }
    const best = Object.entries(count).sort((a, b) => b[1] - a[1])[0];
    return best && best[1] >= 2 ? best[0] : null;
  });
}

/** For every tab group: the data-tab of its selected tab and whether panels agree with it. */
function groupStates(page) {
  return page.evaluate(() => [...document.querySelectorAll(".ep-tabs")].map((g) => {
    const tabs = [...g.querySelectorAll(":scope > .ep-tablist > [role=tab]")];
    const sel = tabs.filter((b) => b.getAttribute("aria-selected") === "true");
    const consistent = sel.length === 1 && tabs.every((b) => {
      const panel = document.getElementById(b.getAttribute("aria-controls"));
      const on = b === sel[0];
      return panel && panel.hidden === !on && b.tabIndex === (on ? 0 : -1);
    });
    return { slugs: tabs.map((b) => b.dataset.tab), selected: sel[0] && sel[0].dataset.tab, consistent };
  }));
}

test("each tab and its panel name each other, with ids unique on the page (made by endpaper.js)", async (t) => {
  const page = await newPage(t);
  await goto(page, "", TABS_URL);
  const r = await page.evaluate(() => {
    const groups = [...document.querySelectorAll(".ep-tabs")];
    const bad = [];
    let tabs = 0;
    for (const g of groups) {
      const panels = [...g.querySelectorAll(":scope > .ep-sample")];
      [...g.querySelectorAll(":scope > .ep-tablist > [role=tab]")].forEach((b, i) => {
        tabs++;
        const panel = document.getElementById(b.getAttribute("aria-controls"));
        if (!b.id || panel !== panels[i] || panel.getAttribute("aria-labelledby") !== b.id
          || panel.getAttribute("role") !== "tabpanel" || panel.tabIndex !== 0) bad.push(b.outerHTML);
      });
    }
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    return { groups: groups.length, tabs, bad, dupes: ids.filter((id, i) => ids.indexOf(id) !== i) };
  });
  assert.ok(r.groups >= 2 && r.tabs > r.groups, `a page with tab groups: ${JSON.stringify(r)}`);
  assert.deepEqual(r.bad, []);
  assert.deepEqual(r.dupes, []);
});

test("choosing a tab switches every group that has it, and a reload keeps it", async (t) => {
  const page = await newPage(t);
  await goto(page, "", TABS_URL);
  const slug = await sharedSlug(page);
  assert.ok(slug, "the site has a tab title shared by two or more groups");
  const beforeStates = await groupStates(page);
  const tab = page.locator(`.ep-tablist > [role=tab][data-tab="${slug}"]`).first();
  await tab.scrollIntoViewIfNeeded();
  await tab.click();
  const check = async () => {
    const states = await groupStates(page);
    states.forEach((s, i) => {
      assert.ok(s.consistent, `group ${i} has one selected tab and matching panels`);
      if (s.slugs.includes(slug)) assert.equal(s.selected, slug, `group ${i} follows ${slug}`);
      else assert.equal(s.selected, beforeStates[i].selected, `group ${i} without ${slug} keeps its choice`);
    });
  };
  await check();
  await page.reload();
  await page.waitForFunction(() => window.endpaper !== undefined);
  await check();
});

test("?language= selects that tab in every group", async (t) => {
  const page = await newPage(t);
  await goto(page, "", TABS_URL);
  const slug = await sharedSlug(page);
  await goto(page, `?language=${encodeURIComponent(slug)}`, TABS_URL);
  const states = await groupStates(page);
  const having = states.filter((s) => s.slugs.includes(slug));
  assert.ok(having.length >= 2);
  having.forEach((s) => assert.equal(s.selected, slug));
});

test("?lang= names a language: its tab is selected in every group and remembered", async (t) => {
  const page = await newPage(t);
  const selectedWhere = async (slug) => {
    const having = (await groupStates(page)).filter((s) => s.slugs.includes(slug));
    assert.ok(having.length >= 2, `two or more groups have ${slug}`);
    having.forEach((s, i) => assert.equal(s.selected, slug, `group ${i} selects ${slug}`));
  };
  // The example site titles its Python tabs "Python (requests)": the key starts with the name.
  await goto(page, "?lang=python", TABS_URL);
  await selectedWhere("python-requests");
  // "C#" keys as "c"; its panels' language is the name.
  await goto(page, "?lang=csharp", TABS_URL);
  await selectedWhere("c");
  await goto(page, "", TABS_URL);
  await selectedWhere("c");
});

test("tablist keyboard: arrows move and activate, Home/End jump", async (t) => {
  const page = await newPage(t);
  await goto(page, "", TABS_URL);
  const group = page.locator(".ep-tabs").filter({ has: page.locator("[role=tab]:nth-child(3)") }).first();
  const tabs = group.locator(":scope > .ep-tablist > [role=tab]");
  const n = await tabs.count();
  await tabs.first().scrollIntoViewIfNeeded();
  await tabs.first().focus();
  await page.keyboard.press("ArrowRight");
  const second = await tabs.nth(1).getAttribute("data-tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.tab), second);
  assert.equal(await tabs.nth(1).getAttribute("aria-selected"), "true");
  await page.keyboard.press("End");
  assert.equal(await tabs.nth(n - 1).getAttribute("aria-selected"), "true");
  await page.keyboard.press("ArrowRight"); // wraps to the first
  assert.equal(await tabs.first().getAttribute("aria-selected"), "true");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await tabs.nth(n - 1).getAttribute("aria-selected"), "true");
  await page.keyboard.press("Home");
  assert.equal(await tabs.first().getAttribute("aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("role")), "tab");
});

async function checkCopy(page) {
  const sample = page.locator(".ep-sample:not([hidden])").first();
  await sample.scrollIntoViewIfNeeded();
  const expected = await sample.evaluate((s) => s.querySelector("pre code, pre").textContent.replace(/\n$/, ""));
  const btn = sample.locator(".ep-copy");
  // keyboard reachable: focus it and press Enter
  await btn.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((b) => b.textContent === "Copied", await btn.elementHandle());
  return expected;
}

test("copy button copies the plain code and says Copied", async (t) => {
  const page = await newPage(t, {
    init: () => {
      window.__copied = [];
      Object.defineProperty(navigator, "clipboard", {
        configurable: true,
        value: { writeText: (s) => { window.__copied.push(s); return Promise.resolve(); } },
      });
    },
  });
  await goto(page, "", TABS_URL);
  const expected = await checkCopy(page);
  assert.deepEqual(await page.evaluate(() => window.__copied), [expected]);
  assert.ok(!expected.includes("<span"), "plain text, not markup");
});

test("copy falls back to execCommand when navigator.clipboard is missing", async (t) => {
  const page = await newPage(t, {
    init: () => {
      Object.defineProperty(navigator, "clipboard", { configurable: true, value: undefined });
      window.__exec = [];
      const orig = document.execCommand.bind(document);
      document.execCommand = (cmd, ...rest) => {
        const sel = document.activeElement;
        window.__exec.push([cmd, sel && sel.tagName === "TEXTAREA" ? sel.value : null]);
        return orig(cmd, ...rest) || true;
      };
    },
  });
  await goto(page, "", TABS_URL);
  const expected = await checkCopy(page);
  assert.deepEqual(await page.evaluate(() => window.__exec), [["copy", expected]]);
});

/** Search index entries of the built site, read the way the page reads them. */
function loadIndex() {
  const src = fs.readFileSync(path.join(SITE, "search-index.js"), "utf8");
  const window = {};
  new Function("window", src)(window);
  return window.EP_SEARCH_INDEX.docs;
}

async function searchAndOpen(page, query, expectAnchor) {
  await page.fill("#ep-search-input", query);
  await page.waitForSelector("#ep-search-results [role=option]");
  const expanded = await page.getAttribute("#ep-search-input", "aria-expanded");
  assert.equal(expanded, "true");
  const options = await page.$$eval("#ep-search-results [role=option]", (os) => os.map((o) => o.textContent));
  return options;
}

test("search loads lazily, finds a path, and Enter opens the doc", async (t) => {
  const docs = loadIndex();
  const target = docs.find((d) => d.t && d.t.startsWith("/") && d.n) || docs.find((d) => d.t);
  const page = await newPage(t);
  await goto(page);
  assert.equal(await page.locator("script[src*='search-index']").count(), 0, "index not loaded up front");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "ep-search-input", "/ focuses search");
  await page.waitForFunction(() => window.EP_SEARCH_INDEX !== undefined);
  await page.fill("#ep-search-input", target.n || target.t);
  await page.waitForSelector("#ep-search-results [role=option]");
  const first = page.locator("#ep-search-results [role=option]").first();
  assert.ok((await first.textContent()).includes(target.n || target.t), "best hit first");
  assert.equal(await first.getAttribute("aria-selected"), "true");
  assert.equal(await page.getAttribute("#ep-search-input", "aria-activedescendant"), await first.getAttribute("id"));
  // walk down and back up with the arrows, then open
  const count = await page.locator("#ep-search-results [role=option]").count();
  await page.keyboard.press("ArrowDown");
  if (count > 1) assert.equal(await first.getAttribute("aria-selected"), "false");
  await page.keyboard.press("ArrowUp");
  assert.equal(await first.getAttribute("aria-selected"), "true");
  // search by path too
  await page.fill("#ep-search-input", target.t);
  await page.waitForSelector("#ep-search-results [role=option]");
  const texts = await page.$$eval("#ep-search-results [role=option]", (os) => os.map((o) => o.textContent));
  assert.ok(texts.some((x) => x.includes(target.t)), `a result shows ${target.t}`);
  // open the hit for the exact name
  await page.fill("#ep-search-input", target.n || target.t);
  await page.waitForSelector("#ep-search-results [role=option]");
  await page.keyboard.press("Enter");
  await page.waitForFunction((a) => decodeURIComponent(location.hash.slice(1)) === a, target.a);
  const [file] = target.h.split("#");
  assert.ok(page.url().split("#")[0].endsWith("/" + file), `on ${file}`);
  await page.waitForFunction((a) => document.getElementById(a) !== null, target.a);
  const top = await page.evaluate((a) => document.getElementById(a).getBoundingClientRect().top, target.a);
  const header = await page.evaluate(() => document.querySelector(".ep-header").getBoundingClientRect().bottom);
  assert.ok(top >= header - 1, "the fixed header does not cover the doc heading");
});

test("search 'METHOD /path' keeps only that method and opens a result by click", async (t) => {
  const docs = loadIndex();
  const target = docs.find((d) => d.m === "post" && /^\/[a-z]/i.test(d.t || ""));
  assert.ok(target, "the site has a POST doc with a path");
  const segment = "/" + target.t.split("/").filter(Boolean)[0];
  const query = `POST ${segment}`;
  const page = await newPage(t);
  await goto(page);
  await page.focus("#ep-search-input");
  await page.fill("#ep-search-input", query);
  await page.waitForSelector("#ep-search-results [role=option]");
  const verbs = await page.$$eval("#ep-search-results [role=option] .ep-badge", (bs) => bs.map((b) => b.dataset.verb));
  assert.ok(verbs.length > 0);
  verbs.forEach((v) => assert.equal(v, "post", `${query} shows only post docs`));
  const option = page.locator("#ep-search-results [role=option]", { hasText: target.n || target.t }).first();
  assert.ok((await option.textContent()).includes(target.s), "result shows its section");
  await option.click();
  await page.waitForFunction((a) => decodeURIComponent(location.hash.slice(1)) === a, target.a);
  await page.waitForFunction((a) => document.getElementById(a) !== null, target.a);
});

test("full-text search finds words of the prose, ranks name matches first, and highlights them", async (t) => {
  const docs = loadIndex();
  const window = {};
  const run = (file) => new Function("window", fs.readFileSync(path.join(SITE, file), "utf8"))(window);
  run("search-text.js");
  // the example site's text is split by section: search-text.js names the parts, each adds
  // its runs of texts at their places in the index
  const parts = window.EP_SEARCH_TEXT.parts;
  assert.ok(parts.length > 1 && parts.every((p) => /^[\w-]+\/search-text(-\d+)?\.js$/.test(p)), `parts: ${parts}`);
  parts.forEach(run);
  const texts = [];
  window.EP_SEARCH_TEXT.runs.forEach(([at, run]) => run.forEach((x, j) => { texts[at + j] = x; }));
  assert.equal(texts.length, docs.length, "one text per doc");
  assert.ok(texts.every((x) => typeof x === "string"), "every doc's text is in a part");
  // a word of some doc's prose that no name, path, description or parameter holds
  const meta = docs.map((d) => [d.n, d.t, d.d, d.s, ...(d.k || [])].join(" ").toLowerCase()).join(" ");
  const i = texts.findIndex((x) => x.split(/\W+/).some((w) => w.length > 6 && !meta.includes(w.toLowerCase())));
  const word = texts[i].split(/\W+/).find((w) => w.length > 6 && !meta.includes(w.toLowerCase()));
  const page = await newPage(t);
  await goto(page);
  await page.focus("#ep-search-input");
  await page.waitForFunction(() => window.EP_SEARCH_TEXT !== undefined);
  await page.fill("#ep-search-input", word);
  await page.waitForSelector("#ep-search-results [role=option] mark");
  const hit = page.locator("#ep-search-results [role=option]", { hasText: docs[i].n || docs[i].t }).first();
  assert.equal((await hit.locator("mark").first().textContent()).toLowerCase(), word.toLowerCase());
  // a query matching one doc's name and other docs' prose lists the named doc first
  const named = docs.find((d) => d.n && texts.some((x, j) => docs[j] !== d && x.toLowerCase().includes(d.n.split(" ")[0].toLowerCase())));
  const q = named.n.split(" ")[0];
  await page.fill("#ep-search-input", q);
  await page.waitForSelector("#ep-search-results [role=option]");
  const names = await page.$$eval("#ep-search-results .ep-result-name", (ns) => ns.map((n) => n.textContent));
  const firstProse = await page.$$eval("#ep-search-results [role=option]", (os) => os.findIndex((o) => o.querySelector("mark")));
  const lastName = names.map((n) => n.toLowerCase().includes(q.toLowerCase())).lastIndexOf(true);
  assert.ok(firstProse < 0 || lastName < firstProse, `name matches (${lastName}) before prose-only ones (${firstProse})`);
});

test("dark mode: toggle, persisted, set before first paint", async (t) => {
  // records data-theme when <body> first appears: proof the head script ran before paint
  const init = () => {
    new MutationObserver((_, obs) => {
      if (document.body) {
        window.__themeAtBody = document.documentElement.getAttribute("data-theme");
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  };
  const page = await newPage(t, { init });
  await goto(page);
  assert.equal(await page.evaluate(() => window.__themeAtBody), "light");
  await page.click(".ep-theme");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.equal(await page.getAttribute(".ep-theme", "aria-pressed"), "true");
  const colBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.reload();
  await page.waitForFunction(() => window.endpaper !== undefined);
  assert.equal(await page.evaluate(() => window.__themeAtBody), "dark", "dark before first paint after reload");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), colBg);
  await page.click(".ep-theme");
  assert.equal(await page.getAttribute("html", "data-theme"), "light");

  const sys = await newPage(t, { colorScheme: "dark", init });
  await goto(sys);
  assert.equal(await sys.evaluate(() => window.__themeAtBody), "dark", "follows prefers-color-scheme");
});

async function axeViolations(page) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], preload: false }));
  return res.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const scheme of ["light", "dark"]) {
  test(`axe-core: no serious or critical violations (${scheme})`, async (t) => {
    const page = await newPage(t, { colorScheme: scheme });
    if (TABS_URL !== INDEX) {
      await goto(page, "", TABS_URL);
      assert.deepEqual(await axeViolations(page), [], TABS_URL);
    }
    await goto(page);
    assert.equal(await page.getAttribute("html", "data-theme"), scheme);
    assert.deepEqual(await axeViolations(page), []);
    // with search results open too
    await page.focus("#ep-search-input");
    await page.waitForFunction(() => window.EP_SEARCH_INDEX !== undefined);
    await page.keyboard.type("a");
    await page.waitForSelector("#ep-search-results [role=option]");
    assert.deepEqual(await axeViolations(page), []);
  });
}

test("landmarks, skip link, heading anchors", async (t) => {
  const page = await newPage(t);
  await goto(page);
  for (const sel of ["header", "nav", "main#ep-main"]) assert.equal(await page.locator(sel).count() >= 1, true, sel);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "#ep-main");
  assert.ok(await page.locator(".ep-skip").isVisible(), "skip link shows on focus");
  const info = await page.evaluate(() => [...document.querySelectorAll(".ep-doc")].map((d) => {
    const h = d.querySelector("h1,h2,h3,h4,h5");
    const a = h && h.querySelector(".ep-anchor");
    return { id: d.id, first: h && h.classList.contains("ep-doc-title"), href: a && a.getAttribute("href") };
  }));
  assert.ok(info.length > 0);
  info.forEach((d) => {
    assert.ok(d.first, `${d.id}: first heading is the title`);
    assert.equal(decodeURIComponent(d.href.slice(1)), d.id);
  });
  const proseHeads = await page.$$eval(".ep-doc-prose h3[id]", (hs) => hs.map((h) => [h.id, h.querySelector(".ep-anchor")?.getAttribute("href")]));
  proseHeads.forEach(([id, href]) => assert.equal(href && decodeURIComponent(href.slice(1)), id));
});

test("scroll-spy marks the current doc and replaces the hash without new history entries", async (t) => {
  const page = await newPage(t);
  await goto(page);
  const ids = await page.$$eval(".ep-doc", (ds) => ds.map((d) => d.id));
  const target = ids[Math.min(3, ids.length - 1)];
  const historyBefore = await page.evaluate(() => history.length);
  await page.mouse.move(800, 400);
  await page.mouse.wheel(0, 10); // user scrolling arms the hash updates
  await page.evaluate((id) => {
    const el = document.getElementById(id);
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70);
  }, target);
  await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, target);
  const current = await page.$$eval(".ep-nav-doc[aria-current]", (as) => as.map((a) => a.dataset.anchor));
  assert.deepEqual(current, [target]);
  assert.equal(await page.evaluate(() => history.length), historyBefore);
});

test("nav sections collapse with an aria-expanded button", async (t) => {
  const page = await newPage(t);
  await goto(page);
  const toggle = page.locator(".ep-nav-toggle").first();
  const list = page.locator(`#${await toggle.getAttribute("aria-controls")}`);
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.ok(await list.isVisible());
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.ok(!(await list.isVisible()));
});

test("split site: index.html#anchor of another page goes there", async (t) => {
  const page = await newPage(t);
  await goto(page);
  const redirects = JSON.parse((await page.getAttribute("html", "data-redirects")) || "{}");
  const entries = Object.entries(redirects);
  if (!entries.length) { t.skip("not a split site"); return; }
  const [anchor, file] = entries[0];
  // a fresh load (link from elsewhere) is handled before paint by the head script
  const fresh = await newPage(t);
  await fresh.goto(INDEX + "#" + encodeURIComponent(anchor));
  await fresh.waitForFunction((a) => document.getElementById(a) !== null, anchor);
  assert.ok(fresh.url().split("#")[0].endsWith("/" + file.split("#")[0]));
  // a hash change on the loaded index page is handled by endpaper.js
  await page.evaluate((a) => { location.hash = a; }, anchor);
  await page.waitForFunction((a) => document.getElementById(a) !== null, anchor);
  assert.ok(page.url().split("#")[0].endsWith("/" + file.split("#")[0]));
  assert.equal(decodeURIComponent(new URL(page.url()).hash.slice(1)), anchor);
});

test("mobile: menu button opens the nav", async (t) => {
  const page = await newPage(t, { viewport: MOBILE });
  await goto(page);
  const menu = page.locator(".ep-menu");
  assert.ok(await menu.isVisible(), "menu button visible");
  assert.ok(!(await page.locator("#ep-nav").isVisible()), "nav hidden until opened");
  await page.screenshot({ path: path.join(SHOTS, "mobile.png") });
  await menu.click();
  assert.equal(await menu.getAttribute("aria-expanded"), "true");
  await page.waitForFunction(() => getComputedStyle(document.getElementById("ep-nav")).visibility === "visible");
  await page.screenshot({ path: path.join(SHOTS, "mobile-menu.png") });
  assert.deepEqual(await axeViolations(page), []);
  await page.keyboard.press("Escape");
  assert.equal(await menu.getAttribute("aria-expanded"), "false");
});

test("print shows every tab panel with its title and hides the chrome", async (t) => {
  const page = await newPage(t);
  await goto(page, "", TABS_URL);
  await page.emulateMedia({ media: "print" });
  const hiddenPanels = page.locator(".ep-tabs > .ep-sample[hidden]");
  const n = await hiddenPanels.count();
  assert.ok(n > 0, "some panels are hidden on screen");
  for (let i = 0; i < n; i++) assert.ok(await hiddenPanels.nth(i).isVisible(), "printed");
  assert.ok(!(await page.locator("#ep-nav").isVisible()));
  assert.ok(!(await page.locator(".ep-search").isVisible()));
  const label = await hiddenPanels.first().evaluate((p) => getComputedStyle(p, "::before").content);
  assert.equal(label, JSON.stringify(await hiddenPanels.first().getAttribute("data-title")));
  assert.equal(await page.locator(".ep-code").first().evaluate((p) => getComputedStyle(p).whiteSpace), "pre-wrap");
});

test("screenshots: desktop light and dark", async (t) => {
  for (const scheme of ["light", "dark"]) {
    const page = await newPage(t, { colorScheme: scheme });
    await goto(page, "", TABS_URL);
    const id = await page.$$eval(".ep-doc", (ds) => (ds.find((d) => d.querySelector(".ep-tabs")) || ds[0]).id);
    await page.evaluate((i) => document.getElementById(i).scrollIntoView(), id);
    await page.screenshot({ path: path.join(SHOTS, `desktop-${scheme}.png`) });
    assert.ok(fs.statSync(path.join(SHOTS, `desktop-${scheme}.png`)).size > 0);
  }
});

test("search results fit a 320 px screen", async (t) => {
  const docs = loadIndex();
  const target = docs.find((d) => d.t && d.t.startsWith("/") && d.n) || docs.find((d) => d.t);
  for (const width of [320, 390]) {
    const page = await newPage(t, { viewport: { width, height: 640 } });
    await goto(page);
    // A broad query: long names, paths and snippets in the list.
    await searchAndOpen(page, (target.t || target.n).slice(0, 4));
    const fit = await page.evaluate(() => {
      const list = document.getElementById("ep-search-results").getBoundingClientRect();
      const rows = [...document.querySelectorAll("#ep-search-results [role=option]")].map((o) => o.getBoundingClientRect());
      return {
        inner: window.innerWidth,
        left: list.left,
        right: list.right,
        widest: Math.max(...rows.map((r) => r.right)),
        scroll: document.documentElement.scrollWidth,
      };
    });
    assert.ok(fit.left >= 0 && fit.right <= fit.inner, `${width} px: results span ${fit.left}..${fit.right} of ${fit.inner}`);
    assert.ok(fit.widest <= fit.right, `${width} px: a result runs past the list (${fit.widest} > ${fit.right})`);
    assert.ok(fit.scroll <= fit.inner, `${width} px: the page scrolls sideways (${fit.scroll} > ${fit.inner})`);
  }
});
