/* endpaper "Try it": a request form for one doc, loaded by endpaper.js the first time a
   reader opens a panel. Environments come from <html data-environments>; path parameters
   from the doc's path, query parameters from its parameter lists, the body from its request
   sample. The header (token) field is kept in sessionStorage only, never in localStorage or
   the URL. */
(function () {
  "use strict";
  var doc = document, HEADER_KEY = "ep-try-header", uid = 0;
  var PLACEHOLDER = /<([^<>\/]+)>|\{([^{}\/]+)\}|:([A-Za-z_][\w-]*)/g;

  function el(tag, attrs, text) {
    var x = doc.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] != null) x.setAttribute(k, attrs[k]);
    if (text != null) x.textContent = text;
    return x;
  }
  function session(value) {
    try {
      if (value === undefined) return JSON.parse(sessionStorage.getItem(HEADER_KEY) || "null");
      sessionStorage.setItem(HEADER_KEY, JSON.stringify(value));
    } catch (e) { /* storage off: the field simply is not remembered */ }
    return null;
  }
  function environments() {
    try { return JSON.parse(doc.documentElement.getAttribute("data-environments") || "[]"); } catch (e) { return []; }
  }
  /** [name, ...] of parameter lists under a heading matching `re` (in prose order). */
  function listed(article, re) {
    var names = [], heading = "";
    Array.prototype.forEach.call(article.querySelectorAll(".ep-doc-prose h2, .ep-doc-prose h3, .ep-doc-prose h4, .ep-doc-prose h5, .ep-doc-prose dl"), function (n) {
      if (n.tagName !== "DL") { heading = n.textContent; return; }
      if (!re.test(heading) || /body|response|object/i.test(heading)) return;
      Array.prototype.forEach.call(n.querySelectorAll(":scope > dt"), function (dt) {
        var name = dt.textContent.trim().split(/[\s:(]/)[0];
        if (/^[\w.\[\]-]+$/.test(name) && names.indexOf(name) < 0) names.push(name);
      });
    });
    return names;
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
      if (part) into.appendChild(i % 2 ? doc.createTextNode(part) : el("span", { "class": "n" }, part));
    });
  }
  /** A JSON text as highlighted nodes, with the theme's token classes (punctuation and
   *  whitespace bare). */
  function highlightJson(text, into) {
    var re = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}\[\],:])/g, last = 0, m;
    while ((m = re.exec(text))) {
      plainText(text.slice(last, m.index), into);
      var cls = m[1] ? (m[2] ? "na" : "s") : m[3] ? "m" : m[4] ? "kc" : null;
      into.appendChild(cls ? el("span", { "class": cls }, m[1] || m[0]) : doc.createTextNode(m[0]));
      if (m[2]) into.appendChild(doc.createTextNode(m[2]));
      last = re.lastIndex;
    }
    plainText(text.slice(last), into);
  }

  function build(panel, article) {
    var id = "ep-try-" + (++uid), envs = environments();
    var method = (article.getAttribute("data-method") || "get").toUpperCase();
    var pathEl = article.querySelector(".ep-doc-title .ep-path") || article.querySelector(".ep-doc-name");
    var path = pathEl ? pathEl.textContent.trim() : "/";
    var pathParams = [], m;
    PLACEHOLDER.lastIndex = 0;
    while ((m = PLACEHOLDER.exec(path))) pathParams.push({ raw: m[0], name: m[1] || m[2] || m[3] });
    var queryRe = method === "GET" || method === "DELETE" || method === "HEAD" ? /query|url param|^\s*param/i : /query/i;
    var query = listed(article, queryRe).filter(function (q) { return !pathParams.some(function (p) { return p.name === q; }); });
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
    var env = el("select");
    envs.forEach(function (e, i) { env.appendChild(el("option", { value: String(i) }, e.name + " — " + e.url)); });
    field(form, "Environment", env);
    function group(legend, names, placeholder) {
      if (!names.length) return [];
      var fs = el("fieldset", { "class": "ep-try-group" });
      fs.appendChild(el("legend", null, legend));
      form.appendChild(fs);
      return names.map(function (n) { return { name: n, input: field(fs, n, el("input", { type: "text", autocomplete: "off", spellcheck: "false", placeholder: placeholder })) }; });
    }
    var pathInputs = group("Path parameters", pathParams.map(function (p) { return p.name; }), "required");
    var queryInputs = group("Query parameters", query, "optional");
    var saved = session() || { name: "Authorization", value: "" };
    var auth = el("fieldset", { "class": "ep-try-group" });
    auth.appendChild(el("legend", null, "Header"));
    form.appendChild(auth);
    var hName = field(auth, "Name", el("input", { type: "text", autocomplete: "off", spellcheck: "false", value: saved.name }));
    var hValue = field(auth, "Value", el("input", { type: "password", autocomplete: "off", spellcheck: "false", value: saved.value }),
      "Kept for this browser tab only (sessionStorage), never in the page address.");
    var body = null;
    if (method !== "GET" && method !== "HEAD") {
      body = field(form, "Body (JSON)", el("textarea", { rows: "8", spellcheck: "false", "class": "ep-try-body" }));
      body.value = requestSample(article);
    }
    var send = el("button", { type: "submit", "class": "ep-try-send" }, "Send " + method + " request");
    form.appendChild(send);
    var status = el("p", { "class": "ep-try-status", role: "status", "aria-live": "polite" });
    var result = el("div", { "class": "ep-try-result" });
    form.appendChild(status);
    form.appendChild(result);
    panel.appendChild(form);

    function remember() { session({ name: hName.value, value: hValue.value }); }
    hName.addEventListener("input", remember);
    hValue.addEventListener("input", remember);

    function request() {
      var e = envs[Number(env.value)] || envs[0] || { url: "" };
      var p = path, missing = [];
      pathParams.forEach(function (pp, i) {
        var v = pathInputs[i].input.value.trim();
        if (!v) missing.push(pp.name);
        p = p.replace(pp.raw, encodeURIComponent(v));
      });
      var qs = queryInputs.filter(function (q) { return q.input.value !== ""; }).map(function (q) {
        return encodeURIComponent(q.name) + "=" + encodeURIComponent(q.input.value);
      }).join("&");
      var headers = {};
      if (hName.value.trim() && hValue.value) headers[hName.value.trim()] = hValue.value;
      var text = body && body.value.trim() ? body.value : null;
      if (text != null) headers["Content-Type"] = "application/json";
      return { url: e.url.replace(/\/$/, "") + p + (qs ? "?" + qs : ""), headers: headers, body: text, missing: missing };
    }
    function curl(r) {
      var parts = ["curl", "-X", method, quote(r.url)];
      for (var h in r.headers) parts.push("-H", quote(h + ": " + r.headers[h]));
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
      fetch(r.url, { method: method, headers: r.headers, body: r.body, credentials: "omit", mode: "cors" }).then(function (res) {
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
        show([why, codeBlock(curl(r), false)]);
      }).then(function () { send.disabled = false; });
    });
  }

  window.endpaperTryIt = function (panel, article) {
    if (panel && article && !panel.firstChild) build(panel, article);
    var first = panel && panel.querySelector("select, input, textarea");
    if (first) first.focus();
  };
})();
