// Branching in a citizen survey: show a question only when the earlier answer it depends on is chosen.
(function () {
  function update(form) {
    form.querySelectorAll("[data-show-question]").forEach(function (box) {
      var name = box.getAttribute("data-show-question");
      var wanted = box.getAttribute("data-show-includes");
      var chosen = Array.prototype.some.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (input) {
        return input.value === wanted;
      });
      box.hidden = !chosen;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.survey").forEach(function (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
