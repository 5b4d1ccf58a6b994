// Conditional reveal on the screening questions: the follow-up questions under
// "Present" (and the judged level under "Yes") show only when that radio is
// chosen. GOV.UK Frontend's radios do the same but also put aria-expanded on
// the radio input, which ARIA does not allow there (axe: aria-allowed-attr).
// So these radios are not a GOV.UK Frontend module (no data-module) and this
// file reveals them instead. Without JavaScript every follow-up question is
// shown, and the server checks the answers either way.

document.querySelectorAll("input[type=radio][data-reveals]").forEach((input) => {
  const target = document.getElementById(input.dataset.reveals);
  if (!target) return;
  input.setAttribute("aria-controls", target.id);
  const sync = () => target.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
  const group = input.form.querySelectorAll(`input[type=radio][name="${CSS.escape(input.name)}"]`);
  group.forEach((radio) => radio.addEventListener("change", sync));
  sync();
});
