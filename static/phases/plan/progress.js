/* Progress page of a plan document: polls the JSON status and reloads the page when the document is done. */
(function () {
  "use strict";
  var root = document.getElementById("plan-progress");
  if (!root || root.dataset.done === "1" || !window.fetch) {
    return;
  }
  var url = root.dataset.statusUrl;
  var bar = document.getElementById("plan-progress-bar");
  var label = document.getElementById("plan-progress-label");
  var delay = 1500;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (bar) {
          bar.value = data.progress;
          bar.textContent = data.progress + "%";
        }
        if (label) {
          label.textContent = data.status_label + (data.done ? "" : " (" + data.progress + "%)");
        }
        if (data.done) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // The server may be restarting: try again, more slowly.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
