// "Try it" with the site's security schemes, in headless Chromium. The test starts its own
// loopback servers: an OAuth2 server (an authorize endpoint that sends the browser back with a
// code, a token endpoint that checks the PKCE verifier against the S256 challenge, and client
// credentials), the API those tokens open (a CORS-less part too), and a CORS proxy; then it
// builds a site whose `security:`, environments and `tryit:` point at them.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const { listen, servedSite, launch, open: openIn, openPanel, field } = require("./tryit-site.js");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let browser, api, proxy, site, apiBase, proxyBase, webBase;
const seen = []; // requests the API received
const proxied = []; // URLs the proxy forwarded
const tokenCalls = []; // what the token endpoint was asked, and what it answered
const codes = new Map(); // authorization code -> what the authorize request said
const PAT = "pat-personal-1"; // a token made outside OAuth2, for the bearer scheme
const issued = new Set([PAT]); // tokens the API accepts: the token endpoint's, and PAT
let nextToken = 0;

const CLIENT = "docs-app", SECRET = "cc-s3cret";

function readBody(req) {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => resolve(body));
  });
}

function json(res, status, value) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(value));
}

function apiServer() {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const cors = !url.pathname.startsWith("/closed");
    if (cors) {
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Api-Key");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST");
    }
    if (req.method === "OPTIONS") { res.writeHead(204).end(); return; }
    const body = await readBody(req);
    if (url.pathname === "/authorize") {
      const p = url.searchParams;
      if (p.get("response_type") !== "code" || p.get("code_challenge_method") !== "S256" || !p.get("code_challenge") || !p.get("state")) {
        res.writeHead(400).end("bad authorize request");
        return;
      }
      const code = "code-" + crypto.randomBytes(8).toString("hex");
      codes.set(code, { challenge: p.get("code_challenge"), client: p.get("client_id"), redirect: p.get("redirect_uri"), scope: p.get("scope") });
      const back = new URL(p.get("redirect_uri"));
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state"));
      res.writeHead(302, { Location: back.href }).end();
      return;
    }
    if (url.pathname === "/token") {
      const form = new URLSearchParams(body);
      const call = { grant: form.get("grant_type"), ok: false };
      tokenCalls.push(call);
      if (call.grant === "authorization_code") {
        const asked = codes.get(form.get("code"));
        codes.delete(form.get("code"));
        const verifier = form.get("code_verifier") || "";
        const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
        call.verified = !!asked && challenge === asked.challenge && form.get("client_id") === asked.client && form.get("redirect_uri") === asked.redirect;
        if (!call.verified) { json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" }); return; }
      } else if (call.grant === "client_credentials") {
        const basic = "Basic " + Buffer.from(`${CLIENT}:${SECRET}`).toString("base64");
        if (req.headers.authorization !== basic) { json(res, 401, { error: "invalid_client" }); return; }
      } else { json(res, 400, { error: "unsupported_grant_type" }); return; }
      call.ok = true;
      call.token = `at-${call.grant}-${++nextToken}`;
      issued.add(call.token);
      json(res, 200, { access_token: call.token, token_type: "Bearer", expires_in: 3600 });
      return;
    }
    const auth = req.headers.authorization || null;
    seen.push({ path: url.pathname, query: url.search, auth, key: req.headers["x-api-key"] || null });
    const bearer = auth && auth.startsWith("Bearer ") ? auth.slice(7) : null;
    if (bearer && !issued.has(bearer)) { json(res, 401, { error: "unknown token" }); return; }
    json(res, 200, { path: url.pathname, ok: true });
  });
}

/** A CORS proxy as Scalar's: `/?url=TARGET`, answering preflights itself and forwarding the rest. */
function proxyServer() {
  return http.createServer(async (req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Api-Key");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST");
      res.writeHead(204).end();
      return;
    }
    const target = new URL(new URL(req.url, "http://x").searchParams.get("url"));
    proxied.push(target.href);
    const body = await readBody(req);
    const headers = {};
    for (const h of ["authorization", "content-type", "x-api-key"]) if (req.headers[h]) headers[h] = req.headers[h];
    const out = http.request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode, { "Content-Type": answer.headers["content-type"] || "text/plain" });
      answer.pipe(res);
    });
    out.end(body);
  });
}

function siteFiles(apiPort, proxyPort, webPort) {
  const a = `http://127.0.0.1:${apiPort}`;
  return {
    "_config.yml": [
      "title: Vault API",
      `url: http://127.0.0.1:${webPort}`,
      "collections:",
      "  items:",
      "    title: Items",
      "endpaper:",
      "  environments:",
      "    - name: Local",
      `      url: ${a}/{version}`,
      "      variables:",
      "        version:",
      "          default: v1",
      "          enum: [v1, v2]",
      "    - name: Closed",
      `      url: ${a}/closed`,
      "  tryit:",
      `    proxy: http://127.0.0.1:${proxyPort}/?url={url}`,
      `    client_id: ${CLIENT}`,
      "  security:",
      "    oauth:",
      "      type: oauth2",
      "      flows:",
      "        authorizationCode:",
      `          authorizationUrl: ${a}/authorize`,
      `          tokenUrl: ${a}/token`,
      "          scopes:",
      "            items:read: Read items",
      "        clientCredentials:",
      `          tokenUrl: ${a}/token`,
      "          scopes:",
      "            items:read: Read items",
      "    key:",
      "      type: apiKey",
      "      in: header",
      "      name: X-Api-Key",
      "    query_key:",
      "      type: apiKey",
      "      in: query",
      "      name: api_key",
      "    basic:",
      "      type: http",
      "      scheme: basic",
      "    pat:",
      "      type: http",
      "      scheme: bearer",
      "",
    ].join("\n"),
    "_items/get_item.md": [
      "---", "title: /items/{id}", "name: Get an Item", "method: get", "---", "Reads one item.", "",
    ].join("\n"),
    "_items/list_items.md": [
      "---", "title: /items/", "name: List Items", "method: get", "security: [basic]", "---", "Lists items.", "",
    ].join("\n"),
  };
}

before(async () => {
  api = apiServer();
  apiBase = `http://127.0.0.1:${await listen(api)}`;
  proxy = proxyServer();
  proxyBase = `http://127.0.0.1:${await listen(proxy)}`;
  site = await servedSite("endpaper-auth-");
  webBase = site.webBase;
  site.build(siteFiles(new URL(apiBase).port, new URL(proxyBase).port, new URL(webBase).port));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (api) api.close();
  if (proxy) proxy.close();
  if (site) site.close();
});

function open(t, rel = "index.html", context = null) {
  return openIn(t, browser, webBase, rel, context);
}

/** The item panel with `scheme` picked and the proxy off (so CORS applies as it is). */
async function itemPanel(page, scheme) {
  const panel = await openPanel(page, "itemsget_item");
  await (await field(panel, "Send through the CORS proxy")).uncheck();
  const pick = await field(panel, "Scheme");
  const label = (await pick.locator("option").allTextContents()).find((o) => o.startsWith(scheme + " — "));
  await pick.selectOption({ label });
  await (await field(panel, "id")).fill("5");
  return panel;
}

async function send(panel) {
  seen.length = 0;
  await panel.getByRole("button", { name: "Send GET request" }).click();
  // The click's handler says "Sending…" at once; the answer replaces it.
  await panel.locator(".ep-try-status", { hasText: /^\d{3} / }).waitFor();
  assert.match(await panel.locator(".ep-try-status").textContent(), /^200 OK/);
  return seen.map((r) => [r.path, r.query, r.auth, r.key]);
}

test("auth: OAuth2 authorization code with PKCE signs in through a popup and the call carries the token", async (t) => {
  const page = await open(t);
  const panel = await itemPanel(page, "oauth");
  assert.equal(await (await field(panel, "Client ID")).inputValue(), CLIENT, "client id from tryit.client_id");
  assert.equal(await (await field(panel, "Scopes")).inputValue(), "items:read");
  assert.equal(await (await field(panel, "Client secret")).isVisible(), false, "a public client: no secret for PKCE");
  tokenCalls.length = 0;
  const [popup] = await Promise.all([page.waitForEvent("popup"), panel.getByRole("button", { name: "Get a token" }).click()]);
  await popup.waitForEvent("close");
  const token = await field(panel, "Access token");
  await page.waitForFunction((el) => el.value !== "", await token.elementHandle());
  assert.deepEqual(tokenCalls.map((c) => [c.grant, c.verified, c.ok]), [["authorization_code", true, true]], "the token endpoint checked the S256 challenge");
  assert.equal(await token.inputValue(), tokenCalls[0].token);
  assert.match(await panel.locator(".ep-try-group p[role=status]").textContent(), /Signed in/);
  assert.deepEqual(await send(panel), [["/v1/items/5", "", `Bearer ${tokenCalls[0].token}`, null]]);
  // the verifier is gone once used, and the token is in this tab's sessionStorage only
  const kept = await page.evaluate(() => ({ pending: sessionStorage.getItem("ep-try-oauth"), session: sessionStorage.getItem("ep-try-auth"), local: localStorage.getItem("ep-try-auth") }));
  assert.equal(kept.pending, null);
  assert.equal(JSON.parse(kept.session).oauth.token, tokenCalls[0].token);
  assert.equal(kept.local, null);
});

test("auth: with popups blocked, the sign-in takes the tab and comes back to the page with the token", async (t) => {
  const page = await open(t, "index.html#itemsget_item");
  const panel = await itemPanel(page, "oauth");
  await page.evaluate(() => { window.open = () => null; });
  tokenCalls.length = 0;
  const through = [];
  const back = new Promise((resolve) => page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame()) return;
    through.push(new URL(frame.url()).pathname);
    if (through.includes("/oauth2-redirect.html") && frame.url() === `${webBase}/index.html#itemsget_item`) resolve();
  }));
  await panel.getByRole("button", { name: "Get a token" }).click();
  await back;
  await page.waitForLoadState("load");
  assert.deepEqual(through, ["/oauth2-redirect.html", "/index.html"], "the authorize endpoint sent the tab to the redirect page, which went back");
  assert.deepEqual(tokenCalls.map((c) => [c.grant, c.verified]), [["authorization_code", true]]);
  await page.waitForFunction(() => window.endpaper !== undefined);
  const again = await itemPanel(page, "oauth");
  assert.equal(await (await field(again, "Access token")).inputValue(), tokenCalls[0].token);
});

test("auth: the redirect page ignores an answer whose state is not the one the panel sent", async (t) => {
  const page = await open(t);
  await page.evaluate(() => sessionStorage.setItem("ep-try-oauth", JSON.stringify({ scheme: "oauth", state: "expected", verifier: "v", tokenUrl: "http://127.0.0.1:9/token", clientId: "c", redirectUri: "r", proxy: "", back: location.href })));
  tokenCalls.length = 0;
  await page.goto(`${webBase}/oauth2-redirect.html?code=stolen&state=forged`);
  assert.match(await page.locator(".ep-oauth-status").textContent(), /state does not match/);
  assert.deepEqual(tokenCalls, [], "no token was asked for");
  assert.ok(await page.evaluate(() => sessionStorage.getItem("ep-try-oauth") !== null), "the real sign-in may still finish");
});

test("auth: client credentials get a token the call then carries", async (t) => {
  const page = await open(t);
  const panel = await itemPanel(page, "oauth");
  await (await field(panel, "Flow")).selectOption({ label: "Client credentials" });
  await (await field(panel, "Client secret")).fill(SECRET);
  tokenCalls.length = 0;
  await panel.getByRole("button", { name: "Get a token" }).click();
  await panel.locator(".ep-try-group p[role=status]", { hasText: "Got a token" }).waitFor();
  assert.deepEqual(tokenCalls.map((c) => [c.grant, c.ok]), [["client_credentials", true]]);
  assert.deepEqual(await send(panel), [["/v1/items/5", "", `Bearer ${tokenCalls[0].token}`, null]]);
});

test("auth: an API key goes in its header or its query parameter, basic and bearer in Authorization", async (t) => {
  const page = await open(t);
  let panel = await itemPanel(page, "key");
  await (await field(panel, "API key")).fill("k-header");
  assert.deepEqual(await send(panel), [["/v1/items/5", "", null, "k-header"]]);
  const pick = await field(panel, "Scheme");
  await pick.selectOption({ label: "query_key — API key in the query api_key" });
  await (await field(panel, "API key")).fill("k query");
  assert.deepEqual(await send(panel), [["/v1/items/5", "?api_key=k%20query", null, null]]);
  await pick.selectOption({ label: "basic — HTTP basic" });
  await (await field(panel, "Username")).fill("ada");
  await (await field(panel, "Password")).fill("pä55");
  const basic = "Basic " + Buffer.from("ada:pä55", "utf8").toString("base64");
  assert.deepEqual(await send(panel), [["/v1/items/5", "", basic, null]]);
  await pick.selectOption({ label: "pat — bearer token" });
  await (await field(panel, "Token")).fill(PAT);
  assert.deepEqual(await send(panel), [["/v1/items/5", "", `Bearer ${PAT}`, null]]);
  await pick.selectOption({ label: "basic — HTTP basic" });
  // a server variable picks the API version in the environment's URL
  await (await field(panel, "version")).selectOption("v2");
  assert.deepEqual(await send(panel), [["/v2/items/5", "", basic, null]]);
  // a doc naming its schemes offers those alone
  panel = await openPanel(page, "itemslist_items");
  assert.deepEqual(await (await field(panel, "Scheme")).locator("option").allTextContents(), ["basic — HTTP basic"]);
  // after a reload, the tab's panel starts from the reader's last scheme and its credentials
  await page.reload();
  await page.waitForFunction(() => window.endpaper !== undefined);
  panel = await openPanel(page, "itemsget_item");
  const picked = await field(panel, "Scheme");
  assert.equal(await picked.locator("option:checked").textContent(), "basic — HTTP basic");
  assert.equal(await (await field(panel, "Username")).inputValue(), "ada");
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document.querySelector("#ep-try-itemsget_item"), { resultTypes: ["violations"] }));
  assert.deepEqual(res.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id), []);
});

test("auth: credentials stay in the tab unless remembered on this device, and forget clears them", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  t.after(() => context.close());
  const page = await open(t, "index.html", context);
  const panel = await itemPanel(page, "key");
  await (await field(panel, "API key")).fill("tab-only");
  const stores = (p) => p.evaluate(() => [sessionStorage.getItem("ep-try-auth"), localStorage.getItem("ep-try-auth")]);
  let [session, local] = await stores(page);
  assert.equal(JSON.parse(session).key.value, "tab-only");
  assert.equal(local, null, "not in localStorage by default");
  const other = await open(t, "index.html", context);
  const fresh = await itemPanel(other, "key");
  assert.equal(await (await field(fresh, "API key")).inputValue(), "", "another tab does not see it");
  assert.equal(await (await field(fresh, "Remember on this device")).isChecked(), false);

  await (await field(panel, "Remember on this device")).check();
  [session, local] = await stores(page);
  assert.equal(session, null);
  assert.equal(JSON.parse(local).key.value, "tab-only");
  const third = await open(t, "index.html", context);
  const remembered = await itemPanel(third, "key");
  assert.equal(await (await field(remembered, "API key")).inputValue(), "tab-only", "remembered on this device");
  assert.equal(await (await field(remembered, "Remember on this device")).isChecked(), true);

  await page.evaluate(() => sessionStorage.setItem("ep-try-oauth", "{\"state\":\"s\"}"));
  await panel.getByRole("button", { name: "Forget credentials" }).click();
  assert.deepEqual(await stores(page), [null, null]);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("ep-try-oauth")), null, "a sign-in under way is forgotten too");
  assert.equal(await (await field(panel, "API key")).inputValue(), "");
  assert.equal(await (await field(panel, "Remember on this device")).isChecked(), false);
});

test("auth: the CORS proxy reaches an API that does not allow the site", async (t) => {
  const page = await open(t);
  const panel = await openPanel(page, "itemsget_item");
  assert.equal(await (await field(panel, "Send through the CORS proxy")).isChecked(), true, "on when the site sets one");
  await (await field(panel, "Environment")).selectOption({ index: 1 });
  await (await field(panel, "id")).fill("9");
  proxied.length = 0;
  assert.deepEqual(await send(panel), [["/closed/items/9", "", null, null]]);
  assert.deepEqual(proxied, [`${apiBase}/closed/items/9`]);
});

test("auth: a blocked request offers Copy as curl, with the credentials applied", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: webBase });
  t.after(() => context.close());
  const page = await open(t, "index.html", context);
  const panel = await itemPanel(page, "basic");
  await (await field(panel, "Environment")).selectOption({ index: 1 });
  await (await field(panel, "Username")).fill("ada");
  await (await field(panel, "Password")).fill("it's");
  await panel.getByRole("button", { name: "Send GET request" }).click();
  await panel.locator(".ep-try-error").waitFor();
  await panel.getByRole("button", { name: "Copy as curl" }).click();
  await panel.locator(".ep-try-status", { hasText: "Copied" }).waitFor();
  const basic = Buffer.from("ada:it's").toString("base64");
  const expected = `curl -X GET '${apiBase}/closed/items/5' -H 'Authorization: Basic ${basic}'`;
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  assert.equal(await panel.locator(".ep-try-code").textContent(), expected);
});

test("auth: the build writes the redirect page and the export says which schemes each operation takes", async () => {
  assert.ok(fs.existsSync(path.join(site.out, "oauth2-redirect.html")));
  const spec = JSON.parse(fs.readFileSync(path.join(site.out, "openapi.json"), "utf8"));
  assert.deepEqual(spec.paths["/items/"].get.security, [{ basic: [] }]);
  assert.equal(spec.paths["/items/{id}"].get.security, undefined, "the site's schemes, from the top level");
  assert.deepEqual(spec.servers[0].variables, { version: { default: "v1", enum: ["v1", "v2"] } });
});
