// Progress of a spreadsheet import: polls the small JSON status and reloads the page when it ends.
// Without JavaScript the page offers an "Aggiorna la pagina" link instead.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-progress-bar");
  var label = document.getElementById("import-progress-label");
  var format = new Intl.NumberFormat("it-IT");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.max = Math.max(data.total, 1);
        bar.value = data.processed;
        bar.textContent = data.percent + "%";
        label.textContent = data.label + ": " + format.format(data.processed) + " / " + format.format(data.total) + " righe (" + data.percent + "%)";
        if (data.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
