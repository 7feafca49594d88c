/* endpaper serve: live reload and the build overlay. Injected by `endpaper serve` into HTML
   responses only (never written to the output folder). Listens on the server's event stream:
   `reload` after a good build; `build-error` when the last change broke the build (the last
   good build stays on screen). `error` is not used as an event name: EventSource uses it for
   connection failures. */
(function () {
  "use strict";
  var es = new EventSource("/__endpaper/events");
  es.addEventListener("reload", function () {
    location.reload();
  });
  es.addEventListener("build-error", function (e) {
    var d = document.getElementById("endpaper-overlay");
    if (!d) {
      d = document.createElement("div");
      d.id = "endpaper-overlay";
      d.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#f8f8f2;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2em;overflow:auto;white-space:pre-wrap";
      document.body.appendChild(d);
    }
    d.textContent =
      "endpaper: the last change broke the build (still showing the last good build)\n\n" + e.data;
  });
})();
