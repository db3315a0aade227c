/* The API 令牌 page: <button data-copy="#selector"> copies that field's value.
 *
 * The clipboard API needs a secure context (https or localhost); a park's intranet served over
 * plain http has none, so the field is then selected and copied the old way (execCommand), and
 * if even that is refused it stays selected for Ctrl+C.
 */
(function () {
  "use strict";

  function done(button) {
    var status = button.parentNode && button.parentNode.querySelector("[data-copy-status]");
    if (status) status.hidden = false;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    field.focus();
    field.select();
    function legacy() {
      try {
        if (document.execCommand("copy")) done(button);
      } catch (e) {
        /* left selected: the user presses Ctrl+C */
      }
    }
    if (navigator.clipboard && window.isSecureContext) {
      // Refused (no permission, a browser policy): the old way, the field still selected. A
      // promise left pending (a permission prompt nobody answers, a headless browser) gets the
      // old way after a second too, so the button never does nothing.
      var settled = false;
      var once = function (fn) {
        return function () {
          if (settled) return;
          settled = true;
          fn();
        };
      };
      var fallback = once(legacy);
      navigator.clipboard.writeText(field.value).then(once(function () { done(button); }), fallback);
      window.setTimeout(fallback, 1000);
      return;
    }
    legacy();
  });
})();
