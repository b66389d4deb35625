// The staff page that builds a partner's <iframe> (templates/staff/embed_builder.html): when a choice changes, this
// page is fetched for the new choices and its snippet and preview are swapped in, so both always come from the
// server. Without JavaScript the "Show the code and preview" button does the same with a page load.
(function () {
  "use strict";
  const form = document.getElementById("embed-builder");
  if (!form) {
    return;
  }
  let pending = null;
  form.addEventListener("change", function () {
    const address = form.getAttribute("action") + "?" + new URLSearchParams(new FormData(form)).toString();
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(address, { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("embed-result");
        if (fresh) {
          document.getElementById("embed-result").replaceWith(fresh);
          window.history.replaceState(null, "", address);
        }
      })
      .catch(function () {
        // A newer change aborted this one; its answer is on the way.
      });
  });
})();
