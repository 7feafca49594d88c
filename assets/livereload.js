/* endpaper serve: live reload and the build overlay. Injected by `endpaper serve` into HTML
   responses only (never written to the output folder). Listens on the server's event stream:
   - `reload` after a good build: the page reloads (and hears the new build's warnings);
   - `build-error` when the last change broke the build: the last good build stays on screen
     and the error covers it;
   - `build-warnings` on connecting, when the build being shown has warnings: a small panel at
     the bottom, collapsed to its count, that opens to list them.
   The overlay exists only while there is something to say. It closes with its button or
   Escape; a closed set of warnings stays closed across reloads until it changes. It lives in
   a shadow root so the site's CSS cannot restyle it. `error` is not used as an event name:
   EventSource uses it for connection failures. */
(function () {
  "use strict";
  var HOST_ID = "endpaper-overlay";
  var CLOSED_KEY = "endpaper-overlay-closed";
  var es = new EventSource("/__endpaper/events");

  es.addEventListener("reload", function () {
    location.reload();
  });
  es.addEventListener("build-error", function (e) {
    show("error", e.data);
  });
  // Sent last on connecting: what the page must show is shown (tests wait for this mark).
  es.addEventListener("hello", function (e) {
    document.documentElement.setAttribute("data-endpaper-live", e.data);
  });
  es.addEventListener("build-warnings", function (e) {
    var closed = null;
    try {
      closed = sessionStorage.getItem(CLOSED_KEY);
    } catch (_) {}
    if (closed !== e.data) show("warning", e.data);
  });

  function close() {
    var host = document.getElementById(HOST_ID);
    if (!host) return;
    try {
      sessionStorage.setItem(CLOSED_KEY, host.getAttribute("data-text"));
    } catch (_) {}
    host.remove();
    document.removeEventListener("keydown", onKey, true);
  }

  function onKey(e) {
    if (e.key === "Escape") close();
  }

  var CSS =
    ":host{all:initial}" +
    ".panel{position:fixed;z-index:2147483647;box-sizing:border-box;color:#f8f8f2;" +
    "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;background:rgba(20,20,24,.96);" +
    "box-shadow:0 4px 24px rgba(0,0,0,.35)}" +
    ".error{inset:0;padding:1.5em 2em;overflow:auto}" +
    ".warning{left:0;right:0;bottom:0;max-height:50vh;overflow:auto;padding:.6em 1em;" +
    "border-top:3px solid #e6b450}" +
    ".error header{border-bottom:1px solid #f07178;padding-bottom:.5em;margin-bottom:1em}" +
    "header{display:flex;gap:1em;align-items:center}" +
    "h2{font:inherit;font-weight:bold;margin:0;flex:1}" +
    ".error h2{color:#f07178}.warning h2{color:#e6b450}" +
    "button{font:inherit;color:inherit;background:transparent;border:1px solid #666;" +
    "border-radius:4px;padding:.1em .7em;cursor:pointer}" +
    "button:hover,button:focus-visible{border-color:#ccc}" +
    "ul{list-style:none;margin:.5em 0 0;padding:0}" +
    "li{white-space:pre-wrap;word-break:break-word;padding:.3em 0;border-top:1px solid #333}" +
    "li:first-child{border-top:0}" +
    "[hidden]{display:none}";

  function show(kind, text) {
    var old = document.getElementById(HOST_ID);
    if (old) old.remove();
    var items = text.split("\n").filter(function (l) {
      return l.trim() !== "";
    });
    if (kind === "warning" && items.length === 0) return;
    var host = document.createElement("div");
    host.id = HOST_ID;
    host.setAttribute("data-kind", kind);
    host.setAttribute("data-text", text);
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = CSS;
    root.appendChild(style);

    var panel = document.createElement("section");
    panel.className = "panel " + kind;
    panel.setAttribute("role", kind === "error" ? "alertdialog" : "status");
    panel.setAttribute("aria-label", "endpaper build " + (kind === "error" ? "error" : "warnings"));

    var header = document.createElement("header");
    var title = document.createElement("h2");
    title.textContent =
      kind === "error"
        ? "endpaper: the last change broke the build (still showing the last good build)"
        : "endpaper: " + items.length + (items.length === 1 ? " warning" : " warnings");
    header.appendChild(title);

    var list = document.createElement("ul");
    if (kind === "error") {
      // An error's text is one message with its causes and include chain: keep it whole.
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    } else {
      items.forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = line;
        list.appendChild(li);
      });
    }
    // Warnings start collapsed to their count: the page stays readable.
    var collapsed = kind === "warning";
    list.hidden = collapsed;
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "toggle";
    toggle.setAttribute("aria-expanded", String(!collapsed));
    toggle.textContent = collapsed ? "Show" : "Hide";
    toggle.addEventListener("click", function () {
      list.hidden = !list.hidden;
      toggle.setAttribute("aria-expanded", String(!list.hidden));
      toggle.textContent = list.hidden ? "Show" : "Hide";
    });
    header.appendChild(toggle);

    var closer = document.createElement("button");
    closer.type = "button";
    closer.className = "close";
    closer.setAttribute("aria-label", "Close (Escape)");
    closer.title = "Close (Escape)";
    closer.textContent = "\u00d7";
    closer.addEventListener("click", close);
    header.appendChild(closer);

    panel.appendChild(header);
    panel.appendChild(list);
    root.appendChild(panel);
    document.body.appendChild(host);
    document.addEventListener("keydown", onKey, true);
  }
})();
