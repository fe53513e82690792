// The filing form (declarations/form.html): keyboard use without inline script (CSP 'self').
// * Enter in a field never files the declaration by accident; in a field with data-enter it presses that button
//   (a line's description: "Suggest HS codes").
// * Choosing a suggested HS code fills the line's code field, re-estimates (a change event) and moves focus there.
// * After a page or partial is shown, focus goes to what the server asked for (data-focus): the first field in
//   error, a new line's first field, the button next to a removed line.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) { return; }
    var field = event.target;
    if (!field.closest || !field.closest("#declaration-form")) { return; }
    var tag = field.tagName;
    if (tag === "TEXTAREA" || tag === "BUTTON" || tag === "A" || (tag === "INPUT" && (field.type === "submit" || field.type === "button"))) { return; }
    event.preventDefault();
    var button = field.getAttribute("data-enter") && document.getElementById(field.getAttribute("data-enter"));
    if (button) { button.click(); }
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest ? event.target.closest("button[data-pick-code]") : null;
    if (!pick) { return; }
    var input = document.getElementById(pick.getAttribute("data-pick-for"));
    if (!input) { return; }
    input.value = pick.getAttribute("data-pick-code");
    input.dispatchEvent(new Event("change", { bubbles: true }));
    var status = document.getElementById(pick.getAttribute("data-status"));
    if (status) { status.textContent = pick.getAttribute("data-picked"); }
    input.focus();
  });

  function focusRequested() {
    var holder = document.querySelector("[data-focus]");
    if (!holder) { return; }
    var target = document.getElementById(holder.getAttribute("data-focus"));
    holder.removeAttribute("data-focus");
    if (target) {
      target.focus();
      if (target.scrollIntoView) { target.scrollIntoView({ block: "center" }); }
    }
  }
  document.addEventListener("DOMContentLoaded", focusRequested);
  document.addEventListener("htmx:afterSettle", focusRequested);
})();
