// The portal's one script, an ES module (deferred by nature) loaded by every page. Every page works without it:
// it adds Bootstrap Italia's phone menu and small enhancements.
import '../../plugins/navbar-collapsible.js';
import { enhanceAll as autocomplete } from './autocomplete.js';

// Filter panels (<details data-open-wide>) are folded so that on a phone the results come first; a wide screen
// has room for them open.
if (window.matchMedia('(min-width: 992px)').matches) {
  for (const panel of document.querySelectorAll('details[data-open-wide]')) panel.open = true;
}

autocomplete();

// A table wider than the screen scrolls inside its region: one without links or buttons must take the keyboard
// focus to be scrolled (named by the table's caption).
for (const region of document.querySelectorAll('.table-responsive:not([tabindex])')) {
  if (region.scrollWidth > region.clientWidth) {
    const caption = region.querySelector('caption');
    region.tabIndex = 0;
    region.setAttribute('role', 'region');
    if (caption) region.setAttribute('aria-label', caption.textContent.trim());
  }
}
