// The reader's side of endpaper's theme in headless Chromium: on a phone the copy button
// covers no code; at 1,280 px the code column is wide and a line that runs on shows a shade
// where it is cut; the header shows the site's logo, readable in both themes; and `serve`
// answers every request of a page, the icon included. Runs on the example site EP_SITE (built
// by tests/browser.rs) and on a small Aviator-like site of its own, built and served with the
// endpaper binary EP_BIN: untitled samples, `images/logo.svg` without `logo:`, a `favicon.png`.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { pathToFileURL } = require("node:url");
const { chromium } = require("playwright-core");
const { serve } = require("./serve.js");

const SITE = process.env.EP_SITE;
const BIN = process.env.EP_BIN;
if (!SITE || !BIN) throw new Error("set EP_SITE and EP_BIN (cargo test --test browser does)");
const CHROMIUM = process.env.EP_CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.EP_SCREENSHOTS || path.join(os.tmpdir(), "endpaper-screenshots");
const EXAMPLE = pathToFileURL(path.join(path.resolve(SITE), "index.html")).href;
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

// One pixel, for the site's own favicon.png.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect width="32" height="32" rx="6" fill="#223"/><text x="40" y="23" font-size="18" fill="#223">Widgets</text></svg>\n';
const LONG = "curl -X POST https://api.widgets.example/v1/widgets -H 'Authorization: Token hl_test_0123456789abcdef' -d '{\"name\":\"A widget with a long name\"}'";
const DOC = [
  "---", "title: /widgets", "name: Create a Widget", "method: post", "position: 1", "---",
  "Makes a widget. The call, untitled, sits in the prose:", "", "```bash", LONG, "echo done", "```", "",
  "~~~ json", '{"id": "w_1", "name": "A widget with a long name", "owner": {"id": "u_1", "email": "someone@widgets.example"}}', "~~~",
  '{: title="Response" }', "",
].join("\n");

let browser, dir, src, own, server, base;

function write(root, rel, content) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ep-reader-"));
  src = path.join(dir, "site");
  write(src, "_config.yml", "title: Widget API\ncollections:\n  widgets:\n    title: Widgets\n");
  write(src, "_widgets/create_widget.md", DOC);
  write(src, "images/logo.svg", LOGO);
  write(src, "favicon.png", PNG);
  own = path.join(dir, "built");
  execFileSync(BIN, ["build", src, "-o", own, "--no-cache"], { stdio: "pipe" });
  // The same site through `serve`, for what a server answers.
  let address;
  ({ server, address } = serve(BIN, ["--no-cache", "-o", path.join(dir, "served"), src]));
  base = await address;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const OWN = () => pathToFileURL(path.join(own, "index.html")).href;

/** A page in a fresh context that fails the test on a console error or a failed load. */
async function open(t, url, options = {}) {
  const context = await browser.newContext({ reducedMotion: "reduce", ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // serve's event stream stays open until the page goes: a reload aborts it, as it should
    if (!r.url().endsWith("/__endpaper/events")) problems.push(`failed: ${r.url()} (${r.failure() && r.failure().errorText})`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], "every request of the page succeeded");
  });
  await page.goto(url);
  await page.waitForFunction(() => window.endpaper !== undefined);
  return page;
}

/** Each shown sample's copy button and the box of its code's first line, on screen. */
function copyAndFirstLine(page) {
  return page.evaluate(() => [...document.querySelectorAll(".ep-sample")].filter((s) => s.offsetParent).map((s) => {
    s.scrollIntoView({ block: "center" });
    const code = s.querySelector("pre code") || s.querySelector("pre");
    // the first line's text: from the code's start to its first newline
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    range.setStart(code, 0);
    let node, end = null;
    while ((node = walker.nextNode())) {
      const i = node.data.indexOf("\n");
      end = [node, i < 0 ? node.data.length : i];
      if (i >= 0) break;
    }
    range.setEnd(end[0], end[1]);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const line = rects.reduce((u, r) => ({
      left: Math.min(u.left, r.left), top: Math.min(u.top, r.top),
      right: Math.max(u.right, r.right), bottom: Math.max(u.bottom, r.bottom),
    }), { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity });
    const btn = s.querySelector(":scope > .ep-copy");
    const b = btn && btn.getBoundingClientRect();
    const style = btn && getComputedStyle(btn);
    return {
      id: s.id || s.closest(".ep-doc").id,
      line,
      button: b && { left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width },
      shown: !!btn && style.visibility === "visible" && style.opacity === "1" && style.display !== "none",
    };
  }));
}

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

test("phone (390×844, touch): every copy button is shown and covers none of the first code line", async (t) => {
  for (const url of [EXAMPLE, OWN()]) {
    const page = await open(t, url, PHONE);
    assert.ok(await page.evaluate(() => matchMedia("(hover: none)").matches), "a touch screen, no hover");
    const samples = await copyAndFirstLine(page);
    assert.ok(samples.length > 0, `${url} shows samples`);
    for (const s of samples) {
      assert.ok(s.button && s.button.width > 0 && s.shown, `${s.id}: its copy button is shown without hover`);
      assert.ok(!overlap(s.button, s.line), `${s.id}: copy button ${JSON.stringify(s.button)} covers the first line ${JSON.stringify(s.line)}`);
    }
    if (url === EXAMPLE) await page.screenshot({ path: path.join(SHOTS, "phone-copy.png") });
  }
});

test("1,280 px: the code column takes at least 45 % of the content", async (t) => {
  const page = await open(t, EXAMPLE, { viewport: { width: 1280, height: 800 } });
  const ratios = await page.evaluate(() => {
    const content = document.querySelector(".ep-main").getBoundingClientRect().width;
    return [...document.querySelectorAll(".ep-doc-code")].map((c) => [c.closest(".ep-doc").id, c.getBoundingClientRect().width / content]);
  });
  assert.ok(ratios.length > 0, "docs with code");
  for (const [id, r] of ratios) assert.ok(r >= 0.45, `${id}: code column is ${(r * 100).toFixed(1)} % of the content`);
});

/** Each column's mean brightness (r + g + b) in a PNG, decoded by a blank page's canvas. */
async function columns(png) {
  const decoder = await browser.newPage();
  try {
    return await decoder.evaluate(async (b64) => {
      const img = new Image();
      img.src = "data:image/png;base64," + b64;
      await img.decode();
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [img.width, img.height];
      const g = canvas.getContext("2d");
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, img.width, img.height).data;
      const cols = new Array(img.width).fill(0);
      for (let i = 0; i < d.length; i += 4) cols[(i / 4) % img.width] += d[i] + d[i + 1] + d[i + 2];
      return cols.map((c) => c / img.height);
    }, png.toString("base64"));
  } finally {
    await decoder.close();
  }
}

/**
 * Whether a shade shows at the left and right edges of `pre`, its text made transparent: an
 * edge column against the middle one (a level or two apart is the renderer's gradient noise).
 */
async function shades(page, pre) {
  const box = await pre.evaluate((p) => {
    const r = p.getBoundingClientRect();
    return { x: Math.ceil(r.left), y: Math.ceil(r.top), width: Math.floor(r.width) - 1, height: Math.floor(r.height) - 1 };
  });
  const cols = await columns(await page.screenshot({ clip: box }));
  const middle = cols[Math.floor(cols.length / 2)];
  const differs = (c) => Math.abs(c - middle) > 6;
  return { left: differs(cols[1]), right: differs(cols[cols.length - 2]) };
}

test("1,280 px: a line that runs on scrolls, with a shade at the edge it runs past", async (t) => {
  for (const [url, where] of [[EXAMPLE, ".ep-doc-code"], [OWN(), ".ep-doc-prose"]]) {
    for (const colorScheme of ["light", "dark"]) {
      const page = await open(t, url, { viewport: { width: 1280, height: 800 }, colorScheme });
      await page.addStyleTag({ content: ".ep-code, .ep-code * { color: transparent !important; }" });
      const long = page.locator(`${where} pre.ep-code`).filter({ visible: true });
      const index = await long.evaluateAll((ps) => ps.findIndex((p) => p.scrollWidth > p.clientWidth + 40));
      assert.ok(index >= 0, `${url}: a sample in ${where} runs past its box`);
      const pre = long.nth(index);
      await pre.evaluate((p) => p.scrollIntoView({ block: "center" }));
      const at = `${url} ${where} (${colorScheme})`;
      assert.ok(await pre.evaluate((p) => p.tabIndex === 0), `${at}: the scrolling sample takes focus, for the keyboard`);
      assert.deepEqual(await shades(page, pre), { left: false, right: true }, `${at}: scrolled to the start`);
      await pre.evaluate((p) => { p.scrollLeft = p.scrollWidth; });
      assert.deepEqual(await shades(page, pre), { left: true, right: false }, `${at}: scrolled to the end`);
      const short = await page.locator(`${where} pre.ep-code`).filter({ visible: true })
        .evaluateAll((ps) => ps.findIndex((p) => p.scrollWidth <= p.clientWidth && p.clientHeight > 30));
      if (short >= 0) {
        const fits = page.locator(`${where} pre.ep-code`).filter({ visible: true }).nth(short);
        await fits.evaluate((p) => p.scrollIntoView({ block: "center" }));
        assert.deepEqual(await shades(page, fits), { left: false, right: false }, `${at}: a sample that fits has no shade`);
      }
    }
  }
});

/** Relative luminance of a CSS rgb()/rgba() colour (WCAG). */
function luminance(css) {
  const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

test("the header shows the site's logo, loaded and on a light backdrop, in both themes", async (t) => {
  for (const [url, src] of [[EXAMPLE, "images/harbourline-logo.svg"], [OWN(), "images/logo.svg"]]) {
    for (const colorScheme of ["light", "dark"]) {
      const page = await open(t, url, { viewport: { width: 1280, height: 800 }, colorScheme });
      const logo = page.locator(".ep-header .ep-brand img.ep-logo");
      assert.ok(await logo.isVisible(), `${url} (${colorScheme}): logo shown`);
      const info = await logo.evaluate(async (img) => {
        await img.decode();
        const own = getComputedStyle(img).backgroundColor;
        const header = getComputedStyle(document.querySelector(".ep-header")).backgroundColor;
        const r = img.getBoundingClientRect();
        return {
          src: img.getAttribute("src"), alt: img.alt, natural: img.naturalWidth, complete: img.complete,
          height: r.height, backdrop: own === "rgba(0, 0, 0, 0)" ? header : own,
          theme: document.documentElement.getAttribute("data-theme"),
        };
      });
      assert.equal(info.theme, colorScheme);
      assert.equal(info.src, src, "`logo:` or else Aviator's images/logo.svg");
      assert.ok(info.complete && info.natural > 0, `${url} (${colorScheme}): logo loaded`);
      assert.ok(info.height >= 24, `${url} (${colorScheme}): logo ${info.height}px high`);
      assert.ok(info.alt.length > 0, "the logo names the site");
      assert.ok(luminance(info.backdrop) > 0.8, `${url} (${colorScheme}): logo drawn on ${info.backdrop}`);
      if (url === EXAMPLE) await page.screenshot({ path: path.join(SHOTS, `header-${colorScheme}.png`), clip: { x: 0, y: 0, width: 1280, height: 120 } });
    }
  }
});

test("serve: loading a page makes no failed request, its icon loads, and /favicon.ico answers", async (t) => {
  const page = await open(t, base, { viewport: { width: 1280, height: 800 } });
  await page.waitForLoadState("networkidle");
  const icon = await page.evaluate(() => document.querySelector("link[rel=icon]").href);
  assert.equal(new URL(icon).pathname, "/favicon.png", "the site's own favicon.png");
  const got = await page.request.get(icon);
  assert.equal(got.status(), 200);
  assert.ok((await got.body()).equals(PNG), "the site's icon, as written");
  const ico = await page.request.get(new URL("/favicon.ico", base).href);
  assert.equal(ico.status(), 200, "/favicon.ico, which the site does not have");
  assert.match(ico.headers()["content-type"], /^image\//);
  assert.ok((await ico.body()).length > 0);
});

test("serve: a logo taken away or added while serving shows on the reload that follows", async (t) => {
  const page = await open(t, base, { viewport: { width: 1280, height: 800 } });
  const logo = page.locator(".ep-header .ep-brand img.ep-logo");
  assert.equal(await logo.count(), 1);
  // Each change rebuilds, and the live script reloads the page.
  const change = async (act) => {
    const reloaded = page.waitForEvent("load", { timeout: 30000 });
    act();
    await reloaded;
    await page.waitForFunction(() => window.endpaper !== undefined);
  };
  await change(() => fs.rmSync(path.join(src, "images", "logo.svg")));
  assert.equal(await logo.count(), 0, "no logo file: no image");
  assert.equal(await page.locator(".ep-header .ep-brand").textContent(), "Widget API");
  await change(() => write(src, "images/logo.svg", LOGO));
  assert.ok(await logo.evaluate(async (img) => { await img.decode(); return img.naturalWidth > 0; }), "the logo is back");
});

test("a site without a favicon of its own links endpaper's, and it exists", async (t) => {
  const page = await open(t, EXAMPLE);
  const icon = await page.evaluate(() => document.querySelector("link[rel=icon]").getAttribute("href"));
  assert.equal(icon, "assets/favicon.svg");
  const file = path.join(path.resolve(SITE), icon);
  assert.ok(fs.readFileSync(file, "utf8").startsWith("<svg"), `${file} is endpaper's icon`);
});
