// What the "Try it" browser tests share: loopback servers, a site written from a map of files
// and built with the endpaper binary (EP_BIN, set by tests/browser.rs), Chromium, and the
// panel's fields found by their labels.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const http = require("node:http");
const { execFileSync } = require("node:child_process");
const { chromium } = require("playwright-core");

const BIN = process.env.EP_BIN;
if (!BIN) throw new Error("set EP_BIN to the endpaper binary (cargo test --test browser does)");
const CHROMIUM = process.env.EP_CHROMIUM || "/usr/bin/chromium";

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

function staticServer(root) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".xml": "application/xml", ".txt": "text/plain", ".md": "text/markdown" };
  return http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
}

/** A temporary site folder, its output served from loopback: `{dir, out, web, webBase, build(files)}`. */
async function servedSite(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const out = path.join(dir, "_site");
  const web = staticServer(out);
  const webBase = `http://127.0.0.1:${await listen(web)}`;
  return {
    dir, out, web, webBase,
    build(files) {
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      execFileSync(BIN, ["build", dir, "-o", out, "--no-cache", "-q"]);
    },
    close() { web.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
}

/** A page of `base` at `rel` in a context of its own (or `context`), failing the test on a page error. */
async function open(t, browser, base, rel = "index.html", context = null) {
  const ctx = context || await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: "reduce" });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  t.after(async () => { if (!context) await ctx.close(); assert.deepEqual(errors, [], "no page errors"); });
  await page.goto(`${base}/${rel}`);
  await page.waitForFunction(() => window.endpaper !== undefined);
  return page;
}

/** Opens the panel of doc `anchor` with the keyboard and waits for its form. */
async function openPanel(page, anchor) {
  const btn = page.locator(`#${anchor} .ep-try-open`);
  await btn.focus();
  await page.keyboard.press("Enter");
  assert.equal(await btn.getAttribute("aria-expanded"), "true");
  const panel = page.locator(`#ep-try-${anchor}`);
  await panel.locator("form").waitFor();
  return panel;
}

/** The input, select or textarea labelled `label` in `panel`. */
async function field(panel, label) {
  return panel.locator(".ep-try-field", { has: panel.page().locator(`label:text-is("${label}")`) }).locator("input, select, textarea");
}

module.exports = { listen, servedSite, launch, open, openPanel, field };
