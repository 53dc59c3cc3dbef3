// A page that started a background job (the mixing page's render, the delivery): follow
// the batch (its JSON status, as the jobs page polls it) and reload the page when it has
// ended, to show what it made.
(function () {
  const box = document.getElementById("batch");
  if (!box || box.dataset.finished === "yes") return;
  const batch = box.dataset.batch;
  async function poll() {
    let st;
    try {
      const response = await fetch("/jobs/batch/" + batch, {headers: {accept: "application/json"}});
      if (!response.ok) { setTimeout(poll, 2000); return; }
      st = await response.json();
    } catch (err) { setTimeout(poll, 2000); return; }
    document.getElementById("batch-bar").value = st.fraction;
    document.getElementById("batch-state").textContent = st.jobs.map((j) =>
      `${j.kind} ${j.cue}: ${j.state}` + (j.total && j.state === "running" ? ` (${j.done}/${j.total})` : "") +
      (j.error ? `: ${j.error.split("\n")[0]}` : "")).join("; ");
    if (st.finished) { window.location.reload(); return; }
    setTimeout(poll, 700);
  }
  setTimeout(poll, 500);
})();
