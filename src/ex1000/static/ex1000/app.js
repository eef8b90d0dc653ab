// EX1000 — small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";

  // Selects marked data-autosubmit submit their form on change (language switcher).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  // Forms marked data-confirm ask before doing something that cannot be undone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Gallery: a thumbnail shows its photo in the main frame without reloading the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-gallery-thumb]");
    if (!link) return;
    var main = document.getElementById("gallery-main-image");
    if (!main) return;
    event.preventDefault();
    main.src = link.getAttribute("data-full");
    main.alt = link.getAttribute("data-alt") || main.alt;
    document.querySelectorAll("[data-gallery-thumb]").forEach(function (other) {
      other.setAttribute("aria-current", other === link ? "true" : "false");
    });
  });
})();
