// Progressive enhancement only: every page works without this file.
import { initAll } from '/lib/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

// Conditional reveals for radios without aria-expanded, which govuk-frontend puts on the radio
// and axe refuses there: a radio with data-reveal="id" shows that block while it is checked.
// Without JavaScript the block is always shown (the hidden class only applies once supported).
for (const radio of document.querySelectorAll('input[type="radio"][data-reveal]')) {
  const block = document.getElementById(radio.dataset.reveal);
  if (!block) continue;
  const sync = () => block.classList.toggle('govuk-radios__conditional--hidden', !radio.checked);
  for (const other of document.querySelectorAll(`input[type="radio"][name="${CSS.escape(radio.name)}"]`)) {
    other.addEventListener('change', sync);
  }
  sync();
}
