/* endpaper "Try it": a request form for one doc, loaded by endpaper.js the first time a
   reader opens a panel. Environments (and their server variables) come from
   <html data-environments>, security schemes from <html data-security> (the site's
   `security:`, narrowed by a doc's data-security), the proxy and OAuth2 client from
   <html data-tryit>; path parameters from the doc's path, query parameters from its
   parameter lists and parameter tables (a site layout's), the body from its request sample. Credentials are kept in sessionStorage,
   in localStorage only once the reader asks to be remembered, never in the URL. The site's
   oauth2-redirect.html loads this file too, to finish an OAuth2 sign-in
   (window.endpaperOAuth2Redirect). */
(function () {
  "use strict";
  var doc = document, HEADER_KEY = "ep-try-header", AUTH_KEY = "ep-try-auth", OAUTH_KEY = "ep-try-oauth", SCHEME_KEY = "ep-try-scheme", uid = 0;
  var PLACEHOLDER = /<([^<>\/]+)>|\{([^{}\/]+)\}|:([A-Za-z_][\w-]*)/g;
  var signedIn = []; // panels to tell when a sign-in in another window has stored a token

  function el(tag, attrs, text) {
    var x = doc.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] != null) x.setAttribute(k, attrs[k]);
    if (text != null) x.textContent = text;
    return x;
  }
  /** A storage of `win` ("session" or "local"), or null when the browser keeps none. */
  function storage(win, kind) {
    try { return kind === "local" ? win.localStorage : win.sessionStorage; } catch (e) { return null; }
  }
  function readJson(store, key) {
    try { return store ? JSON.parse(store.getItem(key) || "null") : null; } catch (e) { return null; }
  }
  function writeJson(store, key, value) {
    try {
      if (!store) return;
      if (value == null) store.removeItem(key); else store.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage full or off: the value simply is not remembered */ }
  }
  function session(value) {
    if (value === undefined) return readJson(storage(window, "session"), HEADER_KEY);
    writeJson(storage(window, "session"), HEADER_KEY, value);
    return null;
  }
  function htmlJson(name, fallback) {
    try { return JSON.parse(doc.documentElement.getAttribute(name) || "null") || fallback; } catch (e) { return fallback; }
  }
  function environments() { return htmlJson("data-environments", []); }

  /** The reader's credentials, {scheme name: {field: value}}: in the tab's sessionStorage,
   *  or in localStorage once remembered on this device (then in that one alone). */
  function vault(win) {
    var session = storage(win, "session"), local = storage(win, "local");
    var v = {
      remembered: function () { return readJson(local, AUTH_KEY) != null; },
      all: function () { return readJson(local, AUTH_KEY) || readJson(session, AUTH_KEY) || {}; },
      get: function (scheme) { return v.all()[scheme] || {}; },
      set: function (scheme, values, remember) {
        var all = v.all();
        all[scheme] = values;
        writeJson(remember ? local : session, AUTH_KEY, all);
        writeJson(remember ? session : local, AUTH_KEY, null);
      },
      forget: function () { [AUTH_KEY, OAUTH_KEY, SCHEME_KEY].forEach(function (k) { writeJson(session, k, null); }); writeJson(local, AUTH_KEY, null); }
    };
    return v;
  }

  /** `url` as sent through the CORS proxy `proxy` (none: as it is): the proxy's `{url}`
   *  takes the URL encoded, else the URL is appended to the proxy's, as cors-anywhere reads it. */
  function viaProxy(url, proxy) {
    if (!proxy) return url;
    return proxy.indexOf("{url}") >= 0 ? proxy.replace("{url}", encodeURIComponent(url)) : proxy.replace(/\/?$/, "/") + url;
  }
  function base64Utf8(text) {
    var bytes = new TextEncoder().encode(text), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function base64Url(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function randomToken() {
    var a = new Uint8Array(32);
    crypto.getRandomValues(a);
    return base64Url(a);
  }
  /** PKCE's S256 code challenge of `verifier` (RFC 7636). */
  function s256(verifier) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)).then(function (d) { return base64Url(new Uint8Array(d)); });
  }
  /** POSTs an OAuth2 token request (a form) and resolves to the token response. */
  function tokenRequest(url, form, headers, proxy) {
    var h = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
    for (var k in headers || {}) h[k] = headers[k];
    var body = Object.keys(form).filter(function (k) { return form[k]; }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(form[k]);
    }).join("&");
    return fetch(viaProxy(url, proxy), { method: "POST", headers: h, body: body, credentials: "omit", mode: "cors" }).then(function (res) {
      return res.text().then(function (text) {
        var answer = null;
        try { answer = JSON.parse(text); } catch (e) { /* not JSON: said below */ }
        if (!res.ok || !answer || !answer.access_token) {
          throw new Error((answer && (answer.error_description || answer.error)) || "the token endpoint answered " + res.status);
        }
        return answer;
      });
    });
  }
  function redirectUri(tryit) {
    return tryit.redirect_url || new URL((doc.documentElement.getAttribute("data-root") || "") + "oauth2-redirect.html", location.href).href;
  }
  window.addEventListener("message", function (e) {
    if (e.origin !== location.origin || !e.data || e.data.type !== "endpaper-oauth2") return;
    signedIn.forEach(function (f) { f(e.data.scheme); });
  });

  /** What a scheme asks the reader for, as [{key, label, secret}], and how it is named. */
  function kindOf(spec) {
    var type = spec.type, scheme = String(spec.scheme || "").toLowerCase();
    if (type === "apiKey") return { kind: "apiKey", what: "API key in the " + spec["in"] + " " + spec.name, fields: [{ key: "value", label: "API key", secret: true }] };
    if (type === "http" && scheme === "basic") return { kind: "basic", what: "HTTP basic", fields: [{ key: "username", label: "Username" }, { key: "password", label: "Password", secret: true }] };
    if (type === "http") return { kind: "bearer", what: scheme === "bearer" ? "bearer token" : "HTTP " + spec.scheme, fields: [{ key: "token", label: "Token", secret: true }] };
    if (type === "oauth2") return { kind: "oauth2", what: "OAuth2", fields: [] };
    if (type === "openIdConnect") return { kind: "bearer", what: "OpenID Connect", fields: [{ key: "token", label: "Access token", secret: true }] };
    return { kind: "none", what: "mutual TLS (the browser presents its certificate)", fields: [] };
  }
  /** The flows of an OAuth2 scheme the panel can run. */
  function oauthFlows(spec) {
    return ["authorizationCode", "clientCredentials"].filter(function (f) { return spec.flows && spec.flows[f]; });
  }
  /** Adds scheme `s`'s credentials `values` to request `r` ({headers, query, cookies}). */
  function applyAuth(s, values, r) {
    var k = kindOf(s.spec).kind, spec = s.spec;
    if (k === "apiKey" && values.value) {
      if (spec["in"] === "header") r.headers[spec.name] = values.value;
      else if (spec["in"] === "query") r.query.push([spec.name, values.value]);
      else r.cookies.push(spec.name + "=" + values.value);
    } else if (k === "basic" && (values.username || values.password)) {
      r.headers.Authorization = "Basic " + base64Utf8((values.username || "") + ":" + (values.password || ""));
    } else if (k === "bearer" && values.token) {
      r.headers.Authorization = (String(spec.scheme || "bearer").toLowerCase() === "bearer" || spec.type !== "http" ? "Bearer " : spec.scheme + " ") + values.token;
    } else if (k === "oauth2" && values.token) {
      r.headers.Authorization = "Bearer " + values.token;
    }
  }

  /** [{name, required}] of the parameter lists under a heading matching `re` and of the
   *  rows of parameter tables (a site layout's: first heading cell `Name` or `Parameter`)
   *  that go in the query: by their `In` cell, else by the heading above (one that says
   *  body, response or header keeps them out), as the OpenAPI export places them
   *  (src/openapi/lists.rs). In prose order. */
  function listed(article, re) {
    var found = [], heading = "";
    function add(name, required) {
      if (/^[\w.\[\]-]+$/.test(name) && !found.some(function (f) { return f.name === name; })) found.push({ name: name, required: required });
    }
    var cellText = function (c) { return c ? c.textContent.trim() : ""; };
    Array.prototype.forEach.call(article.querySelectorAll(".ep-doc-prose h2, .ep-doc-prose h3, .ep-doc-prose h4, .ep-doc-prose h5, .ep-doc-prose h6, .ep-doc-prose dl, .ep-doc-prose table"), function (n) {
      if (n.tagName === "TABLE") {
        if (/body|response|object|header|error/i.test(heading)) return;
        var rows = Array.prototype.slice.call(n.rows), head = rows[0];
        if (!head || head.querySelector("td")) return;
        var cols = Array.prototype.map.call(head.cells, function (c) { return cellText(c).replace(/:$/, "").toLowerCase(); });
        if (!/^(name|parameter|parameters|param|field|parameter name)$/.test(cols[0])) return;
        var at = function (re) { for (var i = 0; i < cols.length; i++) if (re.test(cols[i])) return i; return -1; };
        var inCol = at(/^(in|location|where|sent in)$/), reqCol = at(/^(required|mandatory|req)\??$/);
        rows.slice(1).forEach(function (r) {
          var where = inCol >= 0 ? cellText(r.cells[inCol]).toLowerCase() : "";
          if (where && !/query/.test(where)) return;
          add(cellText(r.cells[0]).split(/[\s:(]/)[0], reqCol >= 0 && /^(yes|y|true|required|mandatory|x|✓|✔)$/i.test(cellText(r.cells[reqCol])));
        });
        return;
      }
      if (n.tagName !== "DL") { heading = n.textContent; return; }
      if (!re.test(heading) || /body|response|object/i.test(heading)) return;
      Array.prototype.forEach.call(n.querySelectorAll(":scope > dt"), function (dt) {
        add(dt.textContent.trim().split(/[\s:(]/)[0], false);
      });
    });
    return found;
  }
  function requestSample(article) {
    var samples = Array.prototype.slice.call(article.querySelectorAll(".ep-sample[data-lang=json]"));
    var title = function (s) { return s.getAttribute("data-title") || ""; };
    var pick = samples.filter(function (s) { return /request|body|payload/i.test(title(s)); })[0] ||
      samples.filter(function (s) { return title(s) && !/response|error|event/i.test(title(s)); })[0];
    return pick ? pick.querySelector("code").textContent.replace(/\n$/, "") : "";
  }
  function quote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }

  /** Unhighlighted text as plain words (`n`): bare text in a code block takes the
   *  punctuation colour, as in the build's highlighting (src/highlight). */
  function plainText(text, into) {
    text.split(/(\s+)/).forEach(function (part, i) {
      if (part) into.appendChild(i % 2 ? doc.createTextNode(part) : el("x-n", null, part));
    });
  }
  /** A JSON text as highlighted nodes, each token the element of its class as the build
   *  writes it (`x-s`; punctuation and whitespace bare). */
  function highlightJson(text, into) {
    var re = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}\[\],:])/g, last = 0, m;
    while ((m = re.exec(text))) {
      plainText(text.slice(last, m.index), into);
      var cls = m[1] ? (m[2] ? "na" : "s") : m[3] ? "m" : m[4] ? "kc" : null;
      into.appendChild(cls ? el("x-" + cls, null, m[1] || m[0]) : doc.createTextNode(m[0]));
      if (m[2]) into.appendChild(doc.createTextNode(m[2]));
      last = re.lastIndex;
    }
    plainText(text.slice(last), into);
  }
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("no clipboard"));
  }

  function build(panel, article) {
    var id = "ep-try-" + (++uid), envs = environments(), tryit = htmlJson("data-tryit", {});
    var allSchemes = htmlJson("data-security", {});
    var method = (article.getAttribute("data-method") || "get").toUpperCase();
    var pathEl = article.querySelector(".ep-doc-title .ep-path") || article.querySelector(".ep-doc-name");
    var path = pathEl ? pathEl.textContent.trim() : "/";
    var pathParams = [], m;
    PLACEHOLDER.lastIndex = 0;
    while ((m = PLACEHOLDER.exec(path))) pathParams.push({ raw: m[0], name: m[1] || m[2] || m[3] });
    var queryRe = method === "GET" || method === "DELETE" || method === "HEAD" ? /query|url param|^\s*param/i : /query/i;
    var query = listed(article, queryRe).filter(function (q) { return !pathParams.some(function (p) { return p.name === q.name; }); });
    var form = el("form", { "class": "ep-try-form", "aria-label": "Try " + method + " " + path, novalidate: "" });
    function field(parent, label, input, hint) {
      var row = el("div", { "class": "ep-try-field" });
      input.id = id + "-" + (++uid);
      row.appendChild(el("label", { "for": input.id }, label));
      row.appendChild(input);
      if (hint) { var h = el("span", { "class": "ep-try-hint", id: input.id + "-hint" }, hint); input.setAttribute("aria-describedby", h.id); row.appendChild(h); }
      parent.appendChild(row);
      return input;
    }
    function checkbox(parent, label, checked, hint) {
      var box = field(parent, label, el("input", { type: "checkbox", style: "width:auto;justify-self:start" }), hint);
      box.checked = checked;
      return box;
    }
    function textInput(attrs) {
      var a = { type: "text", autocomplete: "off", spellcheck: "false" };
      for (var k in attrs) a[k] = attrs[k];
      return el("input", a);
    }
    function button(text) { return el("button", { type: "button", "class": "ep-try-send ep-try-action" }, text); }
    function group(legend) {
      var fs = el("fieldset", { "class": "ep-try-group" });
      fs.appendChild(el("legend", null, legend));
      form.appendChild(fs);
      return fs;
    }
    var env = el("select");
    envs.forEach(function (e, i) { env.appendChild(el("option", { value: String(i) }, e.name + " — " + e.url)); });
    field(form, "Environment", env);

    // The chosen environment's server variables, rebuilt when the reader picks another.
    var serverBox = el("div"), serverInputs = [];
    form.appendChild(serverBox);
    function showServerVariables() {
      serverBox.textContent = "";
      var e = envs[Number(env.value)] || {};
      serverInputs = (e.variables || []).map(function (v) { return v; });
      if (!serverInputs.length) return;
      var fs = el("fieldset", { "class": "ep-try-group" });
      fs.appendChild(el("legend", null, "Server variables"));
      serverBox.appendChild(fs);
      serverInputs = serverInputs.map(function (v) {
        var input;
        if (v["enum"] && v["enum"].length) {
          input = el("select");
          v["enum"].forEach(function (x) { input.appendChild(el("option", { value: x }, x)); });
        } else input = textInput({ placeholder: v["default"] });
        input.value = v["default"];
        return { name: v.name, input: field(fs, v.name, input, v.description || null) };
      });
    }
    env.addEventListener("change", showServerVariables);
    showServerVariables();

    function inputs(legend, params) {
      if (!params.length) return [];
      var fs = group(legend);
      return params.map(function (p) { return { name: p.name, input: field(fs, p.name, textInput({ placeholder: p.required ? "required" : "optional" })) }; });
    }
    var pathInputs = inputs("Path parameters", pathParams.map(function (p) { return { name: p.name, required: true }; }));
    var queryInputs = inputs("Query parameters", query);

    // Authentication: the site's schemes (or the doc's own), else a free header.
    var asked = article.getAttribute("data-security");
    var schemes = Object.keys(allSchemes).filter(function (n) {
      return asked == null || asked.split(/\s+/).indexOf(n) >= 0;
    }).map(function (n) { return { name: n, spec: allSchemes[n] }; });
    var auth = null, hName = null, hValue = null;
    if (!Object.keys(allSchemes).length) {
      var saved = session() || { name: "Authorization", value: "" };
      var header = group("Header");
      hName = field(header, "Name", textInput({ value: saved.name }));
      hValue = field(header, "Value", textInput({ type: "password", value: saved.value }),
        "Kept for this browser tab only (sessionStorage), never in the page address.");
      var rememberHeader = function () { session({ name: hName.value, value: hValue.value }); };
      hName.addEventListener("input", rememberHeader);
      hValue.addEventListener("input", rememberHeader);
    } else {
      auth = authentication(group("Authentication"), schemes);
    }

    var body = null;
    if (method !== "GET" && method !== "HEAD") {
      body = field(form, "Body (JSON)", el("textarea", { rows: "8", spellcheck: "false", "class": "ep-try-body" }));
      body.value = requestSample(article);
    }
    var useProxy = tryit.proxy ? checkbox(form, "Send through the CORS proxy", true, "Via " + tryit.proxy.replace(/^https?:\/\//, "").split(/[/?]/)[0] + ", for an API that does not allow this site's origin.") : null;
    var send = el("button", { type: "submit", "class": "ep-try-send" }, "Send " + method + " request");
    form.appendChild(send);
    var status = el("p", { "class": "ep-try-status", role: "status", "aria-live": "polite" });
    var result = el("div", { "class": "ep-try-result" });
    form.appendChild(status);
    form.appendChild(result);
    panel.appendChild(form);
    function proxy() { return useProxy && useProxy.checked ? tryit.proxy : ""; }

    /** The scheme picker, each scheme's fields, remember/forget; returns what a request needs. */
    function authentication(fs, list) {
      var store = vault(window);
      if (!list.length) {
        fs.appendChild(el("p", { "class": "ep-try-hint" }, "This endpoint needs no authentication."));
        return { apply: function () {} };
      }
      var pick = el("select"), picked = readJson(storage(window, "session"), SCHEME_KEY);
      list.forEach(function (s, i) { pick.appendChild(el("option", { value: String(i) }, s.name + " — " + kindOf(s.spec).what)); });
      list.forEach(function (s, i) { if (s.name === picked) pick.value = String(i); });
      field(fs, "Scheme", pick);
      var box = el("div"), current = {}, note = el("p", { "class": "ep-try-hint", role: "status", "aria-live": "polite" });
      fs.appendChild(box);
      var remember = checkbox(fs, "Remember on this device", store.remembered());
      var keep = el("span", { "class": "ep-try-hint", id: remember.id + "-hint" });
      remember.parentNode.appendChild(keep);
      remember.setAttribute("aria-describedby", keep.id);
      var forget = button("Forget credentials");
      fs.appendChild(forget);
      fs.appendChild(note);
      function sayKept() {
        keep.textContent = remember.checked ? "Kept in this browser (localStorage) until you forget them."
          : "Kept for this browser tab only (sessionStorage), never in the page address.";
      }
      function scheme() { return list[Number(pick.value)] || list[0]; }
      function save() {
        var values = {};
        for (var k in current) values[k] = current[k].value;
        store.set(scheme().name, values, remember.checked);
      }
      function show() {
        box.textContent = "";
        current = {};
        var s = scheme(), kind = kindOf(s.spec), values = store.get(s.name);
        if (s.spec.description) box.appendChild(el("p", { "class": "ep-try-hint" }, s.spec.description));
        function add(key, label, input, hint) {
          current[key] = field(box, label, input, hint);
          current[key].value = values[key] != null ? values[key] : input.value;
          current[key].addEventListener("input", save);
          return current[key];
        }
        kind.fields.forEach(function (f) {
          add(f.key, f.label, textInput({ type: f.secret ? "password" : "text" }),
            kind.kind === "apiKey" && s.spec["in"] === "cookie" ? "A page cannot set a cookie for another site: the browser's request goes without it, and Copy as curl carries it." : null);
        });
        if (kind.kind === "oauth2") oauthFields(s, add);
      }
      function oauthFields(s, add) {
        var flows = oauthFlows(s.spec), flowPick = null;
        if (!flows.length) {
          box.appendChild(el("p", { "class": "ep-try-hint" }, "The panel cannot run this scheme's flows: paste an access token."));
        } else if (flows.length > 1) {
          flowPick = add("flow", "Flow", el("select"));
          flows.forEach(function (f) { flowPick.appendChild(el("option", { value: f }, f === "authorizationCode" ? "Authorization code (PKCE)" : "Client credentials")); });
          flowPick.value = store.get(s.name).flow || flows[0];
          flowPick.addEventListener("change", save);
        }
        var flow = function () { return flowPick ? flowPick.value : flows[0]; };
        var client = add("client_id", "Client ID", textInput({ value: tryit.client_id || "" }));
        var secret = flows.indexOf("clientCredentials") >= 0 ? add("client_secret", "Client secret", textInput({ type: "password" })) : null;
        var showSecret = function () { if (secret) secret.parentNode.style.display = flow() === "clientCredentials" ? "" : "none"; };
        if (flowPick) flowPick.addEventListener("change", showSecret);
        showSecret();
        var all = {};
        flows.forEach(function (f) { for (var sc in s.spec.flows[f].scopes || {}) all[sc] = true; });
        var scopes = add("scopes", "Scopes", textInput({ value: Object.keys(all).join(" ") }), "Separated by spaces.");
        var token = add("token", "Access token", textInput({ type: "password" }));
        if (!flows.length) return;
        var go = button("Get a token");
        box.appendChild(go);
        go.addEventListener("click", function () {
          var f = flow(), spec = s.spec.flows[f];
          if (f === "clientCredentials") {
            note.textContent = "Asking " + spec.tokenUrl + " for a token…";
            var basic = "Basic " + btoa(encodeURIComponent(client.value) + ":" + encodeURIComponent(secret.value));
            tokenRequest(spec.tokenUrl, { grant_type: "client_credentials", scope: scopes.value.trim() }, { Authorization: basic }, proxy()).then(function (t) {
              token.value = t.access_token;
              save();
              note.textContent = "Got a token (client credentials).";
            }, function (err) { note.textContent = "No token: " + err.message; });
            return;
          }
          var state = randomToken(), verifier = randomToken(), uri = redirectUri(tryit);
          s256(verifier).then(function (challenge) {
            writeJson(storage(window, "session"), OAUTH_KEY, {
              scheme: s.name, state: state, verifier: verifier, tokenUrl: spec.tokenUrl, clientId: client.value,
              redirectUri: uri, proxy: proxy(), back: location.href
            });
            var u = new URL(spec.authorizationUrl), p = u.searchParams;
            p.set("response_type", "code");
            p.set("client_id", client.value);
            p.set("redirect_uri", uri);
            if (scopes.value.trim()) p.set("scope", scopes.value.trim());
            p.set("state", state);
            p.set("code_challenge", challenge);
            p.set("code_challenge_method", "S256");
            note.textContent = "Signing in with " + u.host + " in a new window…";
            // A blocked popup signs in in this tab; the redirect page comes back here.
            if (!window.open(u.href, "endpaper-oauth2", "popup,width=520,height=680")) location.assign(u.href);
          }, function () { note.textContent = "This browser cannot make a PKCE challenge here (it needs https or localhost)."; });
        });
      }
      signedIn.push(function (name) {
        if (name !== scheme().name || !current.token) return;
        current.token.value = store.get(name).token || "";
        note.textContent = "Signed in: the access token is filled in.";
      });
      remember.addEventListener("change", function () { save(); sayKept(); });
      forget.addEventListener("click", function () {
        store.forget();
        remember.checked = false;
        sayKept();
        show();
        note.textContent = "Forgotten: no credentials are kept in this browser.";
      });
      pick.addEventListener("change", function () { writeJson(storage(window, "session"), SCHEME_KEY, scheme().name); show(); });
      sayKept();
      show();
      return {
        apply: function (r) {
          var values = {};
          for (var k in current) values[k] = current[k].value;
          applyAuth(scheme(), values, r);
        }
      };
    }

    function request() {
      var e = envs[Number(env.value)] || envs[0] || { url: "" }, base = e.url;
      serverInputs.forEach(function (v) { base = base.split("{" + v.name + "}").join(v.input.value); });
      var p = path, missing = [];
      pathParams.forEach(function (pp, i) {
        var v = pathInputs[i].input.value.trim();
        if (!v) missing.push(pp.name);
        p = p.replace(pp.raw, encodeURIComponent(v));
      });
      var r = { headers: {}, query: [], cookies: [], missing: missing };
      queryInputs.forEach(function (q) { if (q.input.value !== "") r.query.push([q.name, q.input.value]); });
      if (hName && hName.value.trim() && hValue.value) r.headers[hName.value.trim()] = hValue.value;
      if (auth) auth.apply(r);
      var text = body && body.value.trim() ? body.value : null;
      if (text != null) r.headers["Content-Type"] = "application/json";
      var qs = r.query.map(function (q) { return encodeURIComponent(q[0]) + "=" + encodeURIComponent(q[1]); }).join("&");
      r.url = base.replace(/\/$/, "") + p + (qs ? "?" + qs : "");
      r.body = text;
      return r;
    }
    function curl(r) {
      var parts = ["curl", "-X", method, quote(r.url)];
      for (var h in r.headers) parts.push("-H", quote(h + ": " + r.headers[h]));
      if (r.cookies.length) parts.push("-b", quote(r.cookies.join("; ")));
      if (r.body != null) parts.push("--data", quote(r.body));
      return parts.join(" ");
    }
    function show(nodes) { result.textContent = ""; nodes.forEach(function (n) { result.appendChild(n); }); }
    function codeBlock(text, json) {
      var pre = el("pre", { "class": "ep-code ep-try-code", tabindex: "0" }), code = el("code");
      if (json) highlightJson(text, code); else plainText(text, code);
      pre.appendChild(code);
      return pre;
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var r = request();
      if (r.missing.length) {
        status.textContent = "Fill in " + r.missing.join(", ") + " first.";
        pathInputs.filter(function (x) { return !x.input.value.trim(); })[0].input.focus();
        return;
      }
      send.disabled = true;
      status.textContent = "Sending " + method + " " + r.url + "…";
      var started = performance.now();
      fetch(viaProxy(r.url, proxy()), { method: method, headers: r.headers, body: r.body, credentials: "omit", mode: "cors" }).then(function (res) {
        return res.text().then(function (text) {
          var ms = Math.round(performance.now() - started);
          var type = res.headers.get("content-type") || "", json = /json/i.test(type), shown = text;
          if (json) { try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { json = false; } }
          var heads = [];
          res.headers.forEach(function (v, k) { heads.push(k + ": " + v); });
          status.textContent = res.status + " " + res.statusText + " in " + ms + " ms";
          var line = el("p", { "class": "ep-try-line" });
          line.appendChild(el("span", { "class": "ep-try-code-badge", "data-ok": res.ok ? "true" : "false" }, String(res.status)));
          line.appendChild(doc.createTextNode(" " + (res.statusText || (res.ok ? "OK" : "Error")) + " · " + ms + " ms"));
          show([line, el("h4", null, "Headers"), codeBlock(heads.join("\n") || "(none the server lets the page read)", false),
            el("h4", null, "Body"), codeBlock(shown || "(empty)", json)]);
        });
      }, function () {
        var ms = Math.round(performance.now() - started);
        status.textContent = "The request failed after " + ms + " ms.";
        var why = el("p", { "class": "ep-try-error" },
          "The browser got no response it may show. Either the server did not allow this page to call it " +
          "(its answer lacks the CORS header Access-Control-Allow-Origin for this site), or it could not be reached " +
          "(wrong address, offline, or a blocked certificate). The same request from a terminal is not limited by CORS:");
        var command = curl(r), copy = button("Copy as curl");
        copy.addEventListener("click", function () {
          copyText(command).then(function () { status.textContent = "Copied the curl command."; },
            function () { status.textContent = "Select the command below and copy it."; });
        });
        show([why, codeBlock(command, false), copy]);
      }).then(function () { send.disabled = false; });
    });
  }

  window.endpaperTryIt = function (panel, article) {
    if (panel && article && !panel.firstChild) build(panel, article);
    var first = panel && panel.querySelector("select, input, textarea");
    if (first) first.focus();
  };

  /** Finishes an OAuth2 authorization-code sign-in on the site's oauth2-redirect.html: checks
   *  the state against the one the panel stored, trades the code and the PKCE verifier for a
   *  token, keeps it as the panel keeps credentials, and hands over to the page that started
   *  it (its window, when the sign-in ran in a popup; else goes back to it). */
  window.endpaperOAuth2Redirect = function (status) {
    var opener = null;
    try { if (window.opener && window.opener !== window && window.opener.location.origin === location.origin) opener = window.opener; } catch (e) { opener = null; }
    var host = opener || window, say = function (t) { status.textContent = t; };
    var params = new URLSearchParams(location.search.length > 1 ? location.search.slice(1) : location.hash.slice(1));
    var pending = readJson(storage(host, "session"), OAUTH_KEY);
    if (!pending) return say("No sign-in was started from this site, so there is nothing to finish.");
    if (!params.get("state") || params.get("state") !== pending.state) {
      return say("The answer's state does not match the sign-in this site started, so it was ignored.");
    }
    writeJson(storage(host, "session"), OAUTH_KEY, null);
    if (params.get("error")) return say("The sign-in failed: " + params.get("error") + (params.get("error_description") ? " — " + params.get("error_description") : ""));
    if (!params.get("code")) return say("The authorization server sent no code.");
    say("Asking for a token…");
    tokenRequest(pending.tokenUrl, {
      grant_type: "authorization_code", code: params.get("code"), redirect_uri: pending.redirectUri,
      client_id: pending.clientId, code_verifier: pending.verifier
    }, {}, pending.proxy).then(function (t) {
      var store = vault(host), values = store.get(pending.scheme);
      values.token = t.access_token;
      store.set(pending.scheme, values, store.remembered());
      say("Signed in. You can close this window.");
      if (opener) {
        opener.postMessage({ type: "endpaper-oauth2", scheme: pending.scheme }, location.origin);
        window.close();
      } else location.replace(pending.back);
    }, function (err) { say("The token request failed: " + err.message); });
  };
})();
