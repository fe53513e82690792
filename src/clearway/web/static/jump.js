// A field error's link selects the line of the pasted declaration it is about (no inline script: CSP 'self').
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.jump[data-line]") : null;
  if (!link) { return; }
  var area = document.getElementById("document");
  if (!area) { return; }
  event.preventDefault();
  var wanted = parseInt(link.getAttribute("data-line"), 10) || 1;
  var text = area.value, start = 0;
  for (var line = 1; line < wanted && start !== -1; line++) { start = text.indexOf("\n", start) + 1 || -1; }
  if (start < 0) { start = 0; }
  var end = text.indexOf("\n", start);
  area.focus();
  area.setSelectionRange(start, end < 0 ? text.length : end);
  var lineHeight = area.scrollHeight / Math.max(text.split("\n").length, 1);
  area.scrollTop = Math.max((wanted - 3) * lineHeight, 0);
});
