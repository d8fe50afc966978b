/* Progress of a long job (a plan document, a spreadsheet import): polls the job's JSON status, shows it, and
   reloads the page when the job ends. Without JavaScript the page offers a link that reloads it.

   The element with data-status-url says what to read and where to show it:
     data-status-url        address of the JSON status
     data-done="1"          the job had already ended when the page was made: nothing to poll
     data-progress-ended    JSON key that is true once the job has ended ("done"); "!running" means "until running is false"
     data-progress-bar      id of the <progress> element
     data-progress-value    JSON key of the bar's value
     data-progress-max      JSON key of the bar's maximum (optional: else the bar keeps its own)
     data-progress-percent  JSON key of the percentage written inside the bar (optional)
     data-progress-label    id of the element whose text follows the status
     data-progress-text     that text, translated on the server, with {key} for each JSON value
   Numbers are written the way the page's language writes them. */
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var FIRST_DELAY = 1000;
  var MAX_DELAY = 15000;
  // "always": 5.000 like the server writes it (Italian would otherwise leave four digits ungrouped).
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: "always" });

  function fill(text, data) {
    return text.replace(/\{(\w+)\}/g, function (placeholder, key) {
      var value = data[key];
      if (value === undefined || value === null) {
        return "";
      }
      return typeof value === "number" ? numbers.format(value) : String(value);
    });
  }

  function hasEnded(key, data) {
    return key.charAt(0) === "!" ? !data[key.slice(1)] : Boolean(data[key]);
  }

  function watch(root) {
    var options = root.dataset;
    if (options.done === "1") {
      return;
    }
    var bar = options.progressBar ? document.getElementById(options.progressBar) : null;
    var label = options.progressLabel ? document.getElementById(options.progressLabel) : null;
    var endedKey = options.progressEnded || "done";
    var delay = FIRST_DELAY;

    function show(data) {
      if (bar) {
        if (options.progressMax) {
          bar.max = Math.max(Number(data[options.progressMax]) || 0, 1);
        }
        bar.value = Number(data[options.progressValue]) || 0;
        if (options.progressPercent) {
          bar.textContent = numbers.format(Number(data[options.progressPercent]) || 0) + "%";
        }
      }
      if (label && options.progressText) {
        label.textContent = fill(options.progressText, data);
      }
    }

    function poll() {
      fetch(options.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          show(data);
          if (hasEnded(endedKey, data)) {
            window.location.reload();
            return;
          }
          delay = FIRST_DELAY;
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          // The server may be restarting, or answer with an error page: try again, more and more slowly.
          delay = Math.min(delay * 2, MAX_DELAY);
          window.setTimeout(poll, delay);
        });
    }

    window.setTimeout(poll, delay);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-status-url]"), watch);
})();
