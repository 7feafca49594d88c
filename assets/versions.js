// endpaper: the version switcher (written only for versioned sites, after endpaper.js). Each
// doc lists its counterpart in every version (.ep-version-link, written at build time); the
// switcher sends the reader to the counterpart of the doc they are reading, else to the
// version's page (the option's value).
(function () {
  "use strict";
  var doc = document, select = doc.getElementById("ep-version");
  if (!select) return;
  function docOf(id) {
    var el = id && doc.getElementById(id);
    return el && (el.closest(".ep-doc") || el);
  }
  // The doc read now: the page's anchor while it is on screen (at the end of a page the
  // scroll-spy marks the last doc), else the one the scroll-spy marks in the nav.
  function reading() {
    var header = doc.querySelector(".ep-header"), top = header ? header.getBoundingClientRect().height : 0;
    var d = docOf(decodeURIComponent(location.hash.slice(1))), r = d && d.getBoundingClientRect();
    if (r && r.bottom > top && r.top < window.innerHeight) return d;
    var spied = doc.querySelector(".ep-nav-doc[aria-current]");
    return spied && docOf(spied.getAttribute("data-anchor"));
  }
  select.addEventListener("change", function () {
    var opt = select.options[select.selectedIndex], name = opt.getAttribute("data-version");
    var d = reading(), to = opt.value;
    if (d) {
      d.querySelectorAll(".ep-doc-versions .ep-version-link").forEach(function (a) {
        if (a.getAttribute("data-version") === name) to = a.getAttribute("href");
      });
    }
    if (to.charAt(0) === "#") location.hash = to; else location.href = to;
  });
})();
