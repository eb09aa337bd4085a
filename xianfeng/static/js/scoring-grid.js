/* Keyboard entry in the evaluator's grid. A cell is saved by its native change event (htmx, on the
   cell's form), which the browser fires once when a changed cell loses focus; so Enter and the arrow
   keys only move the focus and never send a second save of the same value (that would come back as a
   version conflict). */
(function () {
  "use strict";
  var table = document.getElementById("xf-grid");
  if (!table) {
    return;
  }
  function inputs() {
    return Array.prototype.slice.call(table.querySelectorAll("input.xf-grid-input:not([disabled])"));
  }
  function columns() {
    var first = table.querySelector("tbody tr");
    return first ? first.querySelectorAll("input.xf-grid-input:not([disabled])").length || 1 : 1;
  }
  table.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("xf-grid-input")) {
      return;
    }
    var step = 0;
    if (event.key === "Enter" || event.key === "ArrowDown") {
      step = columns();
    } else if (event.key === "ArrowUp") {
      step = -columns();
    } else {
      return;
    }
    event.preventDefault();
    var all = inputs();
    var next = all[all.indexOf(target) + step];
    if (next) {
      next.focus();
      next.select();
    } else {
      target.blur();
    }
  });
})();

/* A refused save answers with the cell showing the reason and the value now stored (400 bad value,
   403 not your dimension, 409 changed by someone else): swap it in like a success. */
document.body.addEventListener("htmx:beforeSwap", function (event) {
  var code = event.detail.xhr.status;
  if (code === 400 || code === 403 || code === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
