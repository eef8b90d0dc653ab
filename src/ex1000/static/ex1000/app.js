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

  // Search on a phone: "Apply filters" folds the filter panel, so the cars it found are
  // what the screen shows (htmx swaps them in; without JavaScript the new page opens folded).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var panel = form.querySelector && form.querySelector("details.filter-panel[open]");
    if (!panel || window.matchMedia("(min-width: 901px)").matches) return;
    panel.open = false;
    var results = document.getElementById("results");
    if (results && results.getBoundingClientRect().top < 0) results.scrollIntoView();
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

  // Message threads (htmx): a message that polling and sending both bring is shown once;
  // a refused message shows its errors in the form; a sent one clears the form.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var fragment = event.detail.fragment;
    if (!fragment || !fragment.querySelectorAll) return;
    fragment.querySelectorAll("[data-message-id]").forEach(function (item) {
      if (document.getElementById(item.id)) item.remove();
    });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.hasAttribute("data-reset-on-success") && status >= 400 && status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var status = event.detail.xhr && event.detail.xhr.status;
    if (form && form.hasAttribute && form.hasAttribute("data-reset-on-success") && status < 300) {
      form.reset();
    }
  });
  // A thread opens at its newest message.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".thread-messages").forEach(function (list) {
      list.scrollTop = list.scrollHeight;
    });
  });
  // New messages: keep the newest in view.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var list = event.detail.target;
    if (list && list.classList && list.classList.contains("thread-messages")) {
      var empty = list.parentNode.querySelector(".thread-empty");
      if (empty) empty.remove();
      list.scrollTop = list.scrollHeight;
    }
  });
})();
