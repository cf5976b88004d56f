// siaks: small behaviours, no inline scripts (CSP-friendly).
// A form submits once. Its submit buttons are disabled on the next tick: disabling during the
// submit event would drop the clicked button's name/value from the submitted data.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.disabled = true;
      if (b.dataset.sending) { b.textContent = b.dataset.sending; }
    });
  }, 0);
}, true);
// Confirm destructive actions marked with data-confirm.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) { event.preventDefault(); event.stopPropagation(); }
}, true);
// A form that comes back with errors: move focus to its error summary (GOV.UK pattern), whose
// links lead to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".ringkasan-galat");
  if (summary) { summary.focus(); }
});
// The signer of a letter chosen among the issuer's registered officials (apps/ttd/pilihan.py):
// copy the chosen one's name, jabatan and NIP into the fields data-isi-penanda names.
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-isi-penanda]");
  if (!select || !select.form) { return; }
  var option = select.options[select.selectedIndex];
  var names = select.dataset.isiPenanda.split(",");
  ["nama", "jabatan", "nip"].forEach(function (key, i) {
    var field = select.form.elements[names[i]];
    if (field && option && option.dataset[key] !== undefined) { field.value = option.dataset[key]; }
  });
});
