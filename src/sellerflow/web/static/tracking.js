// Checks the tracking ID against the chosen carrier's format as it is typed, and asks for the
// carrier's name when the carrier is Other (the server checks both again). Without JavaScript
// the form works the same, less the hint.
(function () {
  var form = document.querySelector("form[data-tracking-formats]");
  if (!form) return;
  var formats = JSON.parse(form.getAttribute("data-tracking-formats"));
  var carrier = form.querySelector("#carrier"), tracking = form.querySelector("#tracking");
  var hint = form.querySelector("#tracking-hint");
  var messages = document.getElementById("tracking-messages").content;
  function check() {
    var pattern = formats[carrier.value], value = tracking.value.replace(/\s/g, "").toUpperCase();
    if (!pattern || !value) { hint.textContent = ""; hint.className = "hint"; return; }
    var ok = new RegExp("^(?:" + pattern + ")$").test(value);
    hint.textContent = messages.querySelector(ok ? "[data-ok]" : "[data-bad]").textContent;
    hint.className = "hint " + (ok ? "good" : "bad");
  }
  var name = form.querySelector("#carrier_name");
  function other() { name.required = carrier.value === "Other"; }
  carrier.addEventListener("change", check);
  carrier.addEventListener("change", other);
  tracking.addEventListener("input", check);
  other();
})();
