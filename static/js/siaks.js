// siaks: small behaviours, no inline scripts (CSP-friendly).
// A form submits once: its submit buttons are disabled after the first submit.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (b) {
    b.disabled = true;
    if (b.dataset.sending) { b.textContent = b.dataset.sending; }
  });
}, true);
// Confirm destructive actions marked with data-confirm.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) { event.preventDefault(); event.stopPropagation(); }
}, true);
