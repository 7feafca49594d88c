// The `endpaper serve` overlay in headless Chromium: nothing on a clean build; a doc whose
// front matter breaks is a warning at its file:line (collapsed to a count, opens, closes with
// Escape) and a good save removes it; a broken build covers the page with the error, which
// the close button dismisses, and the next good build reloads the page clean. The test writes
// its own site and runs the endpaper binary (EP_BIN, set by tests/browser.rs).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");
const { serve } = require("./serve.js");

const BIN = process.env.EP_BIN;
if (!BIN) throw new Error("set EP_BIN to the endpaper binary (cargo test --test browser does)");
const CHROMIUM = process.env.EP_CHROMIUM || "/usr/bin/chromium";
const WAIT = 30000;

let browser, server, dir, base;

const GOOD = "---\ntitle: /widgets\nname: List Widgets\nmethod: get\nposition: 1\n---\nEvery widget, newest first.\n";
const BROKEN_FM = "---\ntitle: /widgets\nname: [List Widgets\nmethod: get\n---\nEvery widget, newest first.\n";

function write(rel, text) {
  const file = path.join(dir, "site", rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Saved as editors do (write beside, rename over): the server never reads half a file.
  fs.writeFileSync(file + ".tmp~", text);
  fs.renameSync(file + ".tmp~", file);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ep-overlay-"));
  write("_config.yml", "title: Widget API\ncollections:\n  widgets:\n    title: Widgets\n");
  write("_widgets/list_widgets.md", GOOD);
  write("_widgets/get_widget.md", "---\ntitle: /widgets/<id>\nname: Get a Widget\nmethod: get\nposition: 2\n---\nOne widget.\n");
  let address;
  ({ server, address } = serve(BIN, ["-o", path.join(dir, "out"), path.join(dir, "site")]));
  base = await address;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Resolves once the page has loaded again (the live reload after a rebuild).
function reloaded(page) {
  return page.waitForEvent("load", { timeout: WAIT });
}

// The live script marks <html data-endpaper-live> once it has handled what the server sent
// on connecting (an error or warnings come before that mark): after it, the overlay is final.
async function live(page) {
  await page.locator("html[data-endpaper-live]").waitFor({ state: "attached", timeout: WAIT });
}

test("the overlay: warnings collapse and close, a good save clears them, errors cover and close", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(base);
  await live(page);
  const overlay = page.locator("#endpaper-overlay");
  assert.equal(await overlay.count(), 0, "a clean build shows no overlay");

  // Front matter that no longer parses: the doc drops out, a warning at its file:line.
  let reload = reloaded(page);
  write("_widgets/list_widgets.md", BROKEN_FM);
  await reload;
  await live(page);
  assert.equal(await overlay.getAttribute("data-kind"), "warning");
  const title = overlay.locator("h2");
  assert.match(await title.textContent(), /1 warning/);
  const items = overlay.locator("li");
  assert.equal(await items.first().isVisible(), false, "warnings start collapsed");
  // Collapsed, the panel leaves the page usable: it is a strip at the bottom.
  const box = await overlay.locator("section").boundingBox();
  assert.ok(box.height < 200 && box.y > 400, `warning strip: ${JSON.stringify(box)}`);
  await overlay.locator("button.toggle").click();
  assert.equal(await items.first().isVisible(), true, "the toggle opens the list");
  assert.match(await items.first().textContent(), /_widgets\/list_widgets\.md:\d+:\d+: .*\[invalid-front-matter\]/);
  await overlay.locator("button.toggle").click();
  assert.equal(await items.first().isVisible(), false, "and collapses it again");
  await page.keyboard.press("Escape");
  assert.equal(await overlay.count(), 0, "Escape closes the overlay");

  // A good save removes the warning: the page reloads with nothing to say.
  reload = reloaded(page);
  write("_widgets/list_widgets.md", GOOD);
  await reload;
  await live(page);
  assert.equal(await overlay.count(), 0, "no overlay once the warning is fixed");

  // A broken build: the last good page stays, the error covers it, the button closes it.
  write("_widgets/get_widget.md", "---\ntitle: /widgets/<id>\nname: Get a Widget\n---\n{% include nowhere.md %}\n");
  await overlay.waitFor({ state: "attached", timeout: WAIT });
  assert.equal(await overlay.getAttribute("data-kind"), "error");
  const error = overlay.locator("li");
  assert.equal(await error.isVisible(), true, "an error opens expanded");
  assert.match(await error.textContent(), /_widgets\/get_widget\.md:5:1:.*nowhere\.md/s);
  const cover = await overlay.locator("section").boundingBox();
  assert.ok(cover.height >= 790 && cover.y === 0, `the error covers the page: ${JSON.stringify(cover)}`);
  assert.ok(await page.locator("text=List Widgets").first().count(), "the last good build is still there");
  await overlay.locator("button.close").click();
  assert.equal(await overlay.count(), 0, "the close button dismisses it");

  // Fixing it reloads the page, clean.
  reload = reloaded(page);
  write("_widgets/get_widget.md", "---\ntitle: /widgets/<id>\nname: Get a Widget\n---\nOne widget.\n");
  await reload;
  await live(page);
  assert.equal(await overlay.count(), 0, "no overlay after the fix");
  await page.close();
});
