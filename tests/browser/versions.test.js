// Versions in headless Chromium, on the fixture site tests/fixtures/versions (v2 on index.html,
// v1 on v1.html), built with the endpaper binary EP_BIN: the header's switcher takes the reader
// to the same endpoint in the other version (matched by method and path, or by doc id when the
// path changed), and to that version's page for an endpoint it does not have; each endpoint
// shows its versions and what changed; the changelog lists the changes, linked to their docs.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { pathToFileURL } = require("node:url");
const { chromium } = require("playwright-core");

const BIN = process.env.EP_BIN;
if (!BIN) throw new Error("set EP_BIN to the endpaper binary (cargo test --test browser does)");
const CHROMIUM = process.env.EP_CHROMIUM || "/usr/bin/chromium";
const FIXTURE = path.join(__dirname, "..", "fixtures", "versions");

let browser, dir, out;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ep-versions-"));
  // A copy, so the build leaves nothing in the repository's fixture.
  const src = path.join(dir, "site");
  fs.cpSync(FIXTURE, src, { recursive: true });
  out = path.join(dir, "out");
  execFileSync(BIN, ["build", src, "-o", out, "--no-cache", "--strict"], { stdio: "pipe" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
});

after(async () => {
  if (browser) await browser.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const url = (rel) => {
  const [file, hash] = rel.split("#");
  return pathToFileURL(path.join(out, file)).href + (hash ? "#" + hash : "");
};

/** A page that fails the test on a script error or a failed load. */
async function open(t, rel) {
  const context = await browser.newContext({ reducedMotion: "reduce", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], "no script error, every request answered");
  });
  await page.goto(url(rel));
  await page.waitForFunction(() => window.endpaper !== undefined);
  return page;
}

/** Picks `version` in the header's switcher and waits for the page it leads to. */
async function switchTo(page, version) {
  const select = page.locator("#ep-version");
  const value = await select.locator(`option[data-version="${version}"]`).getAttribute("value");
  const from = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== from, { timeout: 15000 }), select.selectOption(value)]);
  await page.waitForFunction(() => window.endpaper !== undefined);
}

const at = (page) => {
  const u = new URL(page.url());
  return path.relative(out, decodeURIComponent(u.pathname)) + u.hash;
};

test("the switcher keeps the reader on the same endpoint in the other version", async (t) => {
  const page = await open(t, "index.html#orderslist_orders");
  assert.equal(await page.locator("#ep-version").inputValue(), "index.html");
  await switchTo(page, "v1");
  assert.equal(at(page), "v1/index.html#v1_orderslist_orders");
  assert.equal(await page.locator("#ep-version").inputValue(), "../v1/index.html", "v1 is the version shown now");
  // The endpoint is on screen, under the header.
  const top = await page.locator("#v1_orderslist_orders").evaluate((e) => e.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 200, `the endpoint is at the top of the screen (${top})`);

  // Its path changed in v2, its doc id did not: the switcher follows the doc.
  await page.locator('#ep-nav a[data-anchor="v1_ordersship_order"]').click();
  await page.waitForFunction(() => location.hash === "#v1_ordersship_order");
  await switchTo(page, "v2");
  assert.equal(at(page), "index.html#ordersship_order");
});

test("an endpoint the other version lacks leads to that version's page", async (t) => {
  const page = await open(t, "v1/index.html#v1_ordersdelete_order");
  await switchTo(page, "v2");
  assert.equal(at(page), "index.html");
});

test("each endpoint shows its versions and what changed", async (t) => {
  const page = await open(t, "index.html#orderslist_orders");
  const versions = page.locator("#orderslist_orders .ep-doc-versions");
  await versions.waitFor({ state: "visible" });
  assert.match(await versions.innerText(), /Versions\s+v2 \(latest\)\s+changed\s+v1/i);
  assert.equal(await versions.locator(".ep-version-mark").getAttribute("title"), "parameter `cursor` (query) added");
  assert.equal(await versions.locator("[aria-current=page]").innerText(), "v2 (latest)");
  const added = page.locator("#orderscreate_order .ep-doc-versions");
  assert.match(await added.innerText(), /v2 \(latest\)\s+added/i);
  assert.equal(await added.locator("[data-version=v1]").count(), 0);
  // A version's link in the doc goes to the counterpart too.
  await Promise.all([page.waitForURL(/v1\/index\.html#v1_orderslist_orders$/), versions.locator("[data-version=v1]").click()]);
});

test("the changelog lists each version's changes, linked to their docs", async (t) => {
  const page = await open(t, "index.html");
  await Promise.all([page.waitForURL(/changelog\.html$/), page.locator(".ep-changelog-link").click()]);
  const v2 = page.locator("#version-v2");
  assert.deepEqual(
    await v2.locator("> ul > li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-kind") + " " + li.querySelector("code").textContent)),
    ["added POST /orders", "changed GET /orders", "changed POST /orders/{id}/shipments", "removed DELETE /orders/{id}"],
  );
  assert.match(await page.locator("#version-v1").innerText(), /The first version\./);
  await Promise.all([page.waitForURL(/v1\/index\.html#v1_ordersdelete_order$/), v2.locator("a", { hasText: "DELETE /orders/{id}" }).click()]);
  assert.ok(await page.locator("#v1_ordersdelete_order").isVisible());
});
