// Charts of the national recap, drawn locally with Chart.js (served from node_modules). The data
// come from data-nilai attributes: no inline script under the Content-Security-Policy.
// Counts: the y axis starts at 0 and steps in whole numbers (never "0,5 usulan").
var HITUNGAN = { y: { beginAtZero: true, ticks: { precision: 0 } } };
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas[data-grafik]").forEach(function (canvas) {
    var data = JSON.parse(canvas.dataset.nilai);
    if (canvas.dataset.grafik === "bar") {
      new Chart(canvas, {
        type: "bar",
        data: { labels: data.label, datasets: [{ label: "Usulan", data: data.nilai, backgroundColor: "#1f4e79" }] },
        options: { plugins: { legend: { display: false } }, animation: false, locale: "id-ID", scales: HITUNGAN },
      });
    } else {
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.minggu,
          datasets: [
            { label: "Diajukan", data: data.diajukan, borderColor: "#1f4e79" },
            { label: "Diputuskan", data: data.diputuskan, borderColor: "#c27c0e" },
            { label: "SK terbit", data: data.sk, borderColor: "#2e7d32" },
          ],
        },
        options: { animation: false, locale: "id-ID", scales: HITUNGAN },
      });
    }
  });
});
