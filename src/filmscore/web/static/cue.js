// The cue page: click a sync point's or a note's timecode to put it in the review note's
// timecode field (and the note's text field gets the focus).  No build step, no library.
document.addEventListener("click", (event) => {
  const cell = event.target.closest("[data-tc]");
  const form = document.querySelector("form.note");
  if (!cell || !form) return;
  form.elements.timecode.value = cell.dataset.tc;
  form.elements.text.focus();
});
