// Choosing among many (the 108 comuni, the offices, the objectives): a box that suggests as one types, accents
// ignored, and the choices as chips, each with a button that removes it. It enhances a native
// <select data-psm-autocomplete> (psm_portal.lib.forms.AutocompleteSelect[Multiple]), which stays in the form,
// hidden, and is what is sent: without JavaScript the plain select works. The box follows the ARIA combobox
// pattern (a listbox, aria-activedescendant, arrows, Enter, Escape); a status line says what happened.

const MAX_SHOWN = 50;
const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
const say = (template, value) => template.replace('%s', value).replace('%d', value);

function element(tag, props = {}, attrs = {}) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function enhance(select) {
  const msg = select.dataset;
  const id = select.id;
  const label = id ? document.querySelector(`label[for="${id}"]`) : null;
  const chips = element('ul', { className: 'psm-chips' }, { 'aria-label': msg.msgChosen });
  const input = element('input', { type: 'text', id: `${id}-cerca`, className: 'form-control', autocomplete: 'off',
    placeholder: msg.msgSearch }, { role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': `${id}-opzioni` });
  const list = element('ul', { id: `${id}-opzioni`, className: 'psm-listbox', hidden: true }, { role: 'listbox' });
  const status = element('div', { className: 'visually-hidden' }, { role: 'status' });
  for (const name of ['aria-describedby', 'aria-invalid', 'required']) {
    if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
  }
  if (label) {
    label.id = label.id || `${id}-etichetta`;
    label.htmlFor = input.id;
    list.setAttribute('aria-labelledby', label.id);
    chips.setAttribute('aria-label', `${label.textContent.trim()}: ${msg.msgChosen.toLowerCase()}`);
  }
  const box = element('div', { className: 'psm-autocomplete' });
  box.append(chips, input, list, status);
  select.after(box);
  select.hidden = true;
  select.tabIndex = -1;
  select.removeAttribute('required'); // the box says it now; a hidden control cannot show the browser's message

  let shown = [];
  let active = -1;

  function renderChips() {
    chips.replaceChildren(...[...select.selectedOptions].filter((o) => o.value).map((option) => {
      const remove = element('button', { type: 'button', className: 'psm-chip-remove', textContent: '×' },
        { 'aria-label': say(msg.msgRemove, option.text) });
      remove.addEventListener('click', () => {
        option.selected = false;
        changed(say(msg.msgRemoved, option.text));
        input.focus();
      });
      const chip = element('li', { className: 'psm-chip' });
      chip.append(element('span', { textContent: option.text }), remove);
      return chip;
    }));
    chips.hidden = chips.children.length === 0;
  }

  function changed(message) {
    select.dispatchEvent(new Event('change', { bubbles: true }));
    renderChips();
    status.textContent = message;
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function move(to) {
    if (!shown.length) return;
    active = (to + shown.length) % shown.length;
    list.querySelectorAll('[role=option]').forEach((node, index) => {
      node.setAttribute('aria-selected', String(index === active));
      if (index === active) {
        input.setAttribute('aria-activedescendant', node.id);
        node.scrollIntoView({ block: 'nearest' });
      }
    });
  }

  function choose(option) {
    if (!select.multiple) for (const other of select.options) other.selected = false;
    option.selected = true;
    input.value = '';
    close();
    changed(say(msg.msgAdded, option.text));
  }

  function open() {
    const query = fold(input.value);
    shown = [...select.options].filter((o) => o.value && !o.selected && fold(o.text).includes(query));
    list.replaceChildren(...shown.slice(0, MAX_SHOWN).map((option, index) => {
      const node = element('li', { id: `${id}-opzione-${index}`, textContent: option.text },
        { role: 'option', 'aria-selected': 'false' });
      node.addEventListener('mousedown', (event) => event.preventDefault()); // keep the focus in the box
      node.addEventListener('click', () => { choose(option); input.focus(); });
      return node;
    }));
    shown = shown.slice(0, MAX_SHOWN);
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
    input.removeAttribute('aria-activedescendant');
    status.textContent = shown.length ? say(msg.msgResults, shown.length) : msg.msgNone;
  }

  input.addEventListener('input', open);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (list.hidden) open();
      move(active + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (!list.hidden) move(active - 1);
    } else if (event.key === 'Enter' && !list.hidden) {
      event.preventDefault(); // choosing never sends the form
      if (active >= 0) choose(shown[active]);
      else if (shown.length === 1) choose(shown[0]);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
  renderChips();
}

export function enhanceAll(root = document) {
  root.querySelectorAll('select[data-psm-autocomplete][id]').forEach(enhance);
}
