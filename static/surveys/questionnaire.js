/* Conditional questions: shown only when the controlling answer is chosen. Without this
   script every question stays visible with a note saying when to skip it. */
(function () {
  "use strict";
  function chosen(form, name, value) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.tagName === "SELECT" && input.value === value) return true;
      if ((input.type === "radio" || input.type === "checkbox") && input.checked && input.value === value) return true;
    }
    return false;
  }
  function refresh(form) {
    var items = form.querySelectorAll("[data-condition-field]");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var field = item.getAttribute("data-condition-field");
      // A controlling question of an earlier section is not on this page: the server already decided.
      if (!form.querySelector('[name="' + field + '"]')) continue;
      item.hidden = !chosen(form, field, item.getAttribute("data-condition-value"));
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form.psm-questionnaire");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        refresh(form);
        form.addEventListener("change", function () { refresh(form); });
      })(forms[i]);
    }
  });
})();
