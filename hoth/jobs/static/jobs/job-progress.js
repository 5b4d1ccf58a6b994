// A job's page, with JavaScript: poll the job's progress and update the bar
// and its text in place, telling screen readers politely now and then.
// Without this file the page refreshes itself (a <noscript> meta refresh).
const panel = document.querySelector("[data-job-progress]");
const POLL_MS = 2000;
// Screen readers hear the progress when the stage changes, and otherwise at
// most this often: every two seconds would drown whatever else they read.
const ANNOUNCE_MS = 15000;

if (panel) {
  const url = panel.dataset.progressUrl;
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-job-progress-text]");
  const stage = panel.querySelector("[data-job-stage]");
  const announcer = panel.querySelector("[data-job-announce]");
  let announcedStage = stage.textContent;
  let announcedAt = Date.now();

  const show = (answer) => {
    if (answer.total) {
      bar.max = answer.total;
      bar.value = answer.done;
    } else {
      bar.removeAttribute("value");
    }
    bar.textContent = answer.text;
    stage.textContent = answer.stage;
    if (answer.total) text.textContent = answer.text;
    const now = Date.now();
    if (answer.stage !== announcedStage || now - announcedAt >= ANNOUNCE_MS) {
      announcer.textContent = answer.total ? `${answer.stage}: ${answer.text}` : answer.stage;
      announcedStage = answer.stage;
      announcedAt = now;
    }
  };

  const poll = async () => {
    let answer;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      if (!response.ok || !json) {
        // Signed out, or the job is gone: the page itself says what happened.
        window.location.reload();
        return;
      }
      answer = await response.json();
    } catch (error) {
      // The network blinked: try again a little later.
      window.setTimeout(poll, POLL_MS * 5);
      return;
    }
    if (answer.finished) {
      // The page, drawn again, shows what the job made or what went wrong.
      window.location.reload();
      return;
    }
    show(answer);
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
}
