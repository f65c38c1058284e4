/* Small behaviours every page shares. A static file: the Content-Security-Policy allows
   no inline script and no onclick= / onchange= attributes. */
(function () {
  "use strict";
  // <select data-autosubmit> (or <input>): choosing a value submits its form (was onchange=).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();
