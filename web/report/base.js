// Helpers every report module shares: number formatting, element builders and
// the sortable, searchable table. No imports and no globals: the HTML export
// concatenates the report modules into one inline script (report.rs `to_html`
// drops the `import` lines), so top-level names must be unique across
// web/report/*.js.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A number to 4 significant digits, trailing zeros dropped; scientific notation
 * below 1e-4 (tiny p-values) and from 1e6 up. null -> an em dash. The Markdown
 * export in the core (report.rs, `fmt_number`) follows the same rule.
 */
export function formatNumber(x) {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e6) {
    const [mantissa, exponent] = x.toExponential(3).split('e');
    return `${mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa}e${exponent.replace('+', '')}`;
  }
  return String(Number(x.toPrecision(4)));
}

export const formatCount = (n) => Number(n).toLocaleString('en-US');
export const plural = (n, word) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
/** A share as a percentage, one decimal. */
export const percent = (x) => `${formatNumber(Math.round(x * 1000) / 10)}%`;
/** A share as a percentage to 4 significant digits (the evaluation's convention). */
export const percentExact = (x) => `${formatNumber(x * 100)}%`;

/** Returns `el(tag, attrs, ...children)` for `doc`; attrs: class, text, any attribute. */
export function makeEl(doc) {
  return function el(tag, attrs = {}, ...children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs ?? {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  };
}

export function svgEl(doc, tag, attrs = {}, text) {
  const node = doc.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A numeric cell: the formatted value, the raw number in data-value. */
export function numCell(el, field, value, attrs = {}) {
  const cell = el('td', { class: 'mg-num', 'data-field': field, ...attrs }, formatNumber(value));
  if (typeof value === 'number') cell.dataset.value = String(value);
  return cell;
}

/** A section: <section class="mg-section"> with its heading. */
export function sectionEl(el, id, title) {
  return el('section', { class: 'mg-section', 'data-testid': `section-${id}`, 'aria-label': title }, el('h2', { text: title }));
}

/**
 * A table whose header cells sort it (click or Enter/Space on the header
 * button) and, with `search`, a box that hides rows not containing the text.
 * headers: [{ label, num, key }] or strings; a row's sort key per column is the
 * cell's data-value (numbers) or its text. Rows are hidden, never removed, so
 * a reader of `tbody tr` sees every row.
 */
export function dataTable(el, { testId, caption, headers, rows, search, searchLabel }) {
  const tbody = el('tbody', {}, ...rows);
  const heads = headers.map((h) => (typeof h === 'string' ? { label: h } : h));
  const ths = heads.map((h, i) => {
    const th = el('th', { scope: 'col', class: h.num ? 'mg-num' : null });
    if (!h.label) return th;
    const button = el('button', { type: 'button', class: 'mg-sort', 'data-col': i }, h.label);
    button.addEventListener('click', () => sortBy(i, th));
    th.append(button);
    return th;
  });
  const table = el(
    'table',
    { class: 'mg-table', 'data-testid': testId },
    el('caption', { class: 'mg-visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, ...ths)),
    tbody,
  );
  let order = { col: -1, dir: 1 };
  function key(row, col) {
    const cell = row.children[col];
    if (!cell) return '';
    return cell.dataset.value !== undefined ? Number(cell.dataset.value) : cell.textContent;
  }
  function sortBy(col, th) {
    order = { col, dir: order.col === col ? -order.dir : heads[col].num ? -1 : 1 };
    for (const other of ths) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', order.dir > 0 ? 'ascending' : 'descending');
    const sorted = [...tbody.children].sort((a, b) => {
      const x = key(a, col);
      const y = key(b, col);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c * order.dir;
    });
    tbody.append(...sorted);
  }
  const wrap = el('div', { class: 'mg-table-wrap' }, table);
  if (!search) return wrap;
  const box = el('input', { type: 'search', placeholder: searchLabel, 'aria-label': searchLabel, 'data-testid': `${testId}-search` });
  const count = el('span', { class: 'mg-muted', 'aria-live': 'polite' });
  const apply = () => {
    const q = box.value.trim().toLowerCase();
    let shown = 0;
    for (const row of tbody.children) {
      row.hidden = Boolean(q) && !row.textContent.toLowerCase().includes(q);
      if (!row.hidden) shown += 1;
    }
    count.textContent = `${shown} of ${tbody.children.length} rows`;
  };
  box.addEventListener('input', apply);
  apply();
  return el('div', {}, el('div', { class: 'mg-controls' }, box, count), wrap);
}
