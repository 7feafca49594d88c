// "Try it", per-endpoint pages and their meta, in headless Chromium. The test writes its own
// small site whose environments point at an API server it starts on loopback, builds it with
// the endpaper binary (EP_BIN, set by tests/browser.rs), and serves the output from a second
// loopback server (a different origin, so CORS applies as on a real docs site).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const { listen, servedSite, launch, open: openIn, openPanel, field } = require("./tryit-site.js");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let browser, api, site, apiBase, webBase;
const seen = []; // requests the API server received

function apiServer() {
  return http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const cors = url.pathname.startsWith("/v1/");
    if (cors) {
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Access-Control-Expose-Headers", "X-Request-Id");
    }
    if (req.method === "OPTIONS") {
      if (cors) {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
        res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type");
      }
      res.writeHead(204).end();
      return;
    }
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      seen.push({ method: req.method, path: url.pathname, query: url.search, auth: req.headers.authorization || null, body });
      const missing = url.pathname.endsWith("/404");
      res.setHeader("Content-Type", "application/json");
      res.setHeader("X-Request-Id", "req-7");
      res.writeHead(missing ? 404 : 200);
      res.end(JSON.stringify(missing ? { error: "no such widget" } : { id: url.pathname.split("/").pop(), verbose: url.searchParams.get("verbose"), ok: true }));
    });
  });
}

function siteFiles(apiPort, webPort) {
  return {
    "_config.yml": [
      "title: Widget API",
      "description: Widgets made to order",
      `url: http://127.0.0.1:${webPort}`,
      "collections:",
      "  widgets:",
      "    title: Widgets",
      "endpaper:",
      "  endpoint_pages: true",
      "  environments:",
      `    - name: Local`,
      `      url: http://127.0.0.1:${apiPort}/v1`,
      `    - name: Closed`,
      `      url: http://127.0.0.1:${apiPort}/closed`,
      "",
    ].join("\n"),
    "_widgets/get_widget.md": [
      "---", "title: /widgets/{id}", "name: Get a Widget", "method: get", "description: One widget by its id", "---",
      "Reads one widget.", "", "### Query Parameters:", "", "verbose", ": (boolean) Include every field.", "",
      "### Response Parameters:", "", "color", ": (string) Not a query parameter.", "",
    ].join("\n"),
    // A parameter table as a site's layout writes one (src/openapi/lists.rs reads it the same way).
    "_widgets/list_parts.md": [
      "---", "title: /widgets/{id}/parts", "name: List parts", "method: get", "---",
      "Lists the parts of one widget.", "", "<h6>Parameters</h6>",
      "<table><thead><tr><th>Name</th><th>In</th><th>Mandatory</th><th>Description</th></tr></thead><tbody>",
      "<tr><td>id</td><td>path</td><td>yes</td><td>The widget.</td></tr>",
      "<tr><td>X-Shelf</td><td>header</td><td>no</td><td>Not a query parameter.</td></tr>",
      "<tr><td>kind</td><td>query</td><td>yes</td><td>Which parts.</td></tr>",
      "<tr><td>limit</td><td></td><td>no</td><td>At most this many.</td></tr>",
      "</tbody></table>", "",
    ].join("\n"),
    "_widgets/create_widget.md": [
      "---", "title: /widgets/", "name: Create a Widget", "method: post", "---",
      "Makes a widget.", "", "~~~ json", "{\"color\": \"teal\"}", "~~~", "{: title=\"Request\" }", "",
      "~~~ json", "{\"id\": \"w1\"}", "~~~", "{: title=\"Response\" }", "",
    ].join("\n"),
  };
}

before(async () => {
  api = apiServer();
  apiBase = `http://127.0.0.1:${await listen(api)}`;
  site = await servedSite("endpaper-tryit-");
  webBase = site.webBase;
  site.build(siteFiles(api.address().port, new URL(webBase).port));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (api) api.close();
  if (site) site.close();
});

function open(t, rel = "index.html") {
  return openIn(t, browser, webBase, rel);
}

test("try it: a parameter table's query rows are query inputs, its mandatory ones marked required", async (t) => {
  const page = await open(t);
  const panel = await openPanel(page, "widgetslist_parts");
  assert.deepEqual(await panel.locator("legend").allTextContents(), ["Path parameters", "Query parameters", "Header"]);
  const labels = await panel.locator(".ep-try-group").nth(1).locator("label").allTextContents();
  assert.deepEqual(labels, ["kind", "limit"], "path and header rows are not query inputs");
  assert.equal(await (await field(panel, "kind")).getAttribute("placeholder"), "required");
  assert.equal(await (await field(panel, "limit")).getAttribute("placeholder"), "optional");
  await (await field(panel, "id")).fill("7");
  await (await field(panel, "kind")).fill("bolt");
  seen.length = 0;
  await (await field(panel, "kind")).press("Enter");
  await panel.locator(".ep-try-line").waitFor();
  assert.deepEqual(seen.map((r) => [r.method, r.path, r.query]), [["GET", "/v1/widgets/7/parts", "?kind=bolt"]]);
});

test("try it: a request with path, query and header succeeds and shows status, headers and body", async (t) => {
  const page = await open(t);
  const panel = await openPanel(page, "widgetsget_widget");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "SELECT", "focus moves into the panel");
  assert.deepEqual(await panel.locator("legend").allTextContents(), ["Path parameters", "Query parameters", "Header"]);
  assert.equal(await panel.locator(".ep-try-group label").first().textContent(), "id", "path parameter from {id}");
  assert.equal(await panel.locator("label:text-is('color')").count(), 0, "response fields are not query parameters");
  await (await field(panel, "id")).fill("42");
  await (await field(panel, "verbose")).fill("yes");
  await (await field(panel, "Value")).fill("Token s3cret");
  seen.length = 0;
  await (await field(panel, "Value")).press("Enter");
  await panel.locator(".ep-try-line").waitFor();
  assert.match(await panel.locator(".ep-try-status").textContent(), /^200 OK in \d+ ms$/);
  assert.equal(await panel.locator(".ep-try-code-badge").getAttribute("data-ok"), "true");
  const codes = await panel.locator(".ep-try-code").allTextContents();
  assert.match(codes[0], /x-request-id: req-7/, "exposed headers shown");
  assert.deepEqual(JSON.parse(codes[1]), { id: "42", verbose: "yes", ok: true });
  assert.ok(await panel.locator(".ep-try-code x-na").count() > 0, "body highlighted");
  // As in the build's samples: punctuation is bare (the block's colour), plain words are `n`
  // in the text colour, so header text does not take the punctuation colour.
  assert.equal(await panel.locator(".ep-try-code x-p, .ep-try-code .p").count(), 0, "punctuation has no element");
  const colours = await panel.locator(".ep-try-code").first().evaluate((pre) => {
    const style = getComputedStyle(pre);
    return { block: style.color, word: getComputedStyle(pre.querySelector("x-n")).color, p: style.getPropertyValue("--t-p").trim(), text: style.getPropertyValue("--t-text").trim() };
  });
  const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
  assert.deepEqual([colours.block, colours.word], [rgb(colours.p), rgb(colours.text)], "block in --t-p, words in --t-text");
  assert.deepEqual(seen.map((r) => [r.method, r.path, r.query, r.auth]), [["GET", "/v1/widgets/42", "?verbose=yes", "Token s3cret"]]);
  // the token lives in sessionStorage only
  const stored = await page.evaluate(() => ({ session: sessionStorage.getItem("ep-try-header"), local: JSON.stringify(localStorage), url: location.href }));
  assert.match(stored.session, /s3cret/);
  assert.ok(!stored.local.includes("s3cret") && !stored.url.includes("s3cret"), "never in localStorage or the URL");
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document.querySelector(".ep-try"), { resultTypes: ["violations"] }));
  assert.deepEqual(res.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id), []);
});

test("try it: an error status is shown as one", async (t) => {
  const page = await open(t);
  const panel = await openPanel(page, "widgetsget_widget");
  await (await field(panel, "id")).fill("404");
  await panel.locator(".ep-try-send").click();
  await panel.locator(".ep-try-line").waitFor();
  assert.match(await panel.locator(".ep-try-status").textContent(), /^404 Not Found in \d+ ms$/);
  assert.equal(await panel.locator(".ep-try-code-badge").getAttribute("data-ok"), "false");
  assert.match(await panel.locator(".ep-try-code").nth(1).textContent(), /no such widget/);
});

test("try it: a CORS failure is explained with the curl command to run instead", async (t) => {
  const page = await open(t);
  const panel = await openPanel(page, "widgetsget_widget");
  await (await field(panel, "Environment")).selectOption({ index: 1 });
  await (await field(panel, "id")).fill("7");
  await panel.locator(".ep-try-send").click();
  await panel.locator(".ep-try-error").waitFor();
  assert.match(await panel.locator(".ep-try-error").textContent(), /CORS header Access-Control-Allow-Origin/);
  assert.equal(await panel.locator(".ep-try-code").textContent(), `curl -X GET '${apiBase}/closed/widgets/7'`);
});

test("try it: the body starts from the request sample, and it is sent", async (t) => {
  const page = await open(t);
  const panel = await openPanel(page, "widgetscreate_widget");
  const body = await field(panel, "Body (JSON)");
  assert.equal(await body.inputValue(), "{\"color\": \"teal\"}");
  seen.length = 0;
  await panel.locator(".ep-try-send").click();
  await panel.locator(".ep-try-line").waitFor();
  assert.deepEqual(seen.map((r) => [r.method, r.path, r.body]), [["POST", "/v1/widgets/", "{\"color\": \"teal\"}"]]);
});

test("per-endpoint pages carry their own title, description, method, path and canonical link", async (t) => {
  const page = await open(t, "widgets/get_widget/");
  assert.equal(await page.title(), "Get a Widget — Widget API");
  const meta = (sel) => page.locator(sel).getAttribute("content");
  assert.equal(await meta("meta[name=description]"), "GET /widgets/{id} — One widget by its id");
  assert.equal(await meta("meta[property='og:title']"), "Get a Widget — Widget API");
  assert.equal(await meta("meta[property='og:type']"), "article");
  assert.equal(await meta("meta[name='twitter:description']"), "GET /widgets/{id} — One widget by its id");
  assert.equal(await meta("meta[name='endpaper:method']"), "GET");
  assert.equal(await meta("meta[name='endpaper:path']"), "/widgets/{id}");
  assert.equal(await page.locator("link[rel=canonical]").getAttribute("href"), `${webBase}/widgets/get_widget/`);
  assert.equal(await page.locator(".ep-doc").count(), 1, "the doc alone");
  // the navigation leads back to the single reading page, where the old anchors still work
  const href = await page.locator(".ep-nav-doc[data-anchor=widgetscreate_widget]").getAttribute("href");
  assert.equal(href, "../../index.html#widgetscreate_widget");
  const index = await open(t, "index.html#widgetsget_widget");
  assert.equal(await index.locator(".ep-doc").count(), 3);
  assert.equal(await index.locator("link[rel=canonical]").getAttribute("href"), `${webBase}/`);
  const sitemap = fs.readFileSync(path.join(site.out, "sitemap.xml"), "utf8");
  assert.ok(sitemap.includes(`<loc>${webBase}/widgets/get_widget/</loc>`), sitemap);
});
