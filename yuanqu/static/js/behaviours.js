/* Small behaviours declared in the markup with data-* attributes, instead of inline on…="…"
 * handlers, which the Content-Security-Policy (script-src 'self') blocks.
 *
 *   <select data-autosubmit>              submits its form when changed
 *   <form data-confirm="确认写入？…">       asks before submitting; cancelled when refused
 *                                         (not when the button pressed has data-no-confirm)
 *   <form data-busy>                      on submit, disables its button and shows its .busy
 *
 * Listeners sit on the document, so content swapped in by htmx behaves the same.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof Element && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    var submitter = event.submitter;
    var skip = submitter instanceof Element && submitter.hasAttribute("data-no-confirm");
    if (question && !skip && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-busy")) {
      var button = form.querySelector("button");
      var busy = form.querySelector(".busy");
      if (button) button.disabled = true;
      if (busy) busy.hidden = false;
    }
  });
})();
