// Visual-analogue lines: a line counts as answered only once the citizen has touched it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.vas").forEach(function (line) {
    var target = document.getElementById(line.dataset.target);
    var shown = document.getElementById(line.dataset.output);
    var mark = function () {
      line.classList.add("touched");
      target.value = line.value;
      if (shown) { shown.textContent = line.value; }
    };
    if (target.value) { line.value = target.value; mark(); }
    line.addEventListener("input", mark);
    line.addEventListener("change", mark);
    line.addEventListener("pointerup", mark);  // a tap exactly where the unmarked thumb rests fires no change
  });
});
