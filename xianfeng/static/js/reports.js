// The summary preview: mark the figure whose records are shown, so the reader keeps their place.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".xf-fig");
    if (!button) { return; }
    document.querySelectorAll(".xf-fig.xf-active").forEach(function (el) { el.classList.remove("xf-active"); });
    button.classList.add("xf-active");
  });
})();
