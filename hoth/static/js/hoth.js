// Progressive enhancement only: every page works without this file.
import * as govuk from "../vendor/govuk/govuk-frontend.min.js";
import * as moj from "../vendor/moj/moj-frontend.min.js";

govuk.initAll();
moj.initAll();

// Idle timeout warning. The server ends idle sessions whatever happens here;
// this only warns SESSION_IDLE_WARNING seconds before and lets the user carry on.
(function idleWarning() {
  const body = document.body;
  const timeout = Number(body.dataset.idleTimeout || 0);
  const warning = Number(body.dataset.idleWarning || 0);
  const dialog = document.getElementById("idle-warning");
  if (!timeout || !dialog || typeof dialog.showModal !== "function") return;
  let warnTimer;
  let endTimer;
  const signOut = () => {
    const form = document.querySelector("form[action='" + body.dataset.signOutUrl + "']");
    if (form) form.submit();
  };
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(0, timeout - warning) * 1000);
    endTimer = setTimeout(signOut, timeout * 1000);
  };
  dialog.querySelector("[data-idle-continue]").addEventListener("click", async () => {
    // Any request to the server counts as activity and extends the session.
    await fetch(window.location.href, { method: "HEAD", credentials: "same-origin" });
    dialog.close();
    schedule();
  });
  dialog.querySelector("[data-idle-sign-out]").addEventListener("click", signOut);
  schedule();
})();
