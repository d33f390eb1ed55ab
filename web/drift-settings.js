// The drift settings: the primary method per column type and per column, the
// thresholds, the share of drifted columns that makes the dataset drift, and the
// Bonferroni correction. These are the core's DriftOptions (docs/drift-methods.md),
// the same as `modelgate drift --method-for/--method/--threshold/--column-threshold
// --drift-share --bonferroni`. Each change posts { type: 'options', options } to the
// compute worker, which recomputes the report and the comparison of splits.
//
// app.js calls initDriftSettings({ post }) once and setColumns(columns) with the
// reference's columns once it is loaded.

import { METHOD_LABELS, METHOD_TITLES } from './report/render.js';
import { $, byTestId, el } from './dom.js';

/** Methods that need numbers (the core refuses them for categorical columns). */
const NUMERIC_ONLY = new Set(['ks', 'wasserstein', 'wasserstein_raw', 'psi']);
const TESTED_TYPES = new Set(['numeric', 'integer', 'categorical', 'boolean']);


function methodSelect(testid, label, { categorical }) {
  const select = el('select', { 'data-testid': testid, 'aria-label': label });
  select.append(el('option', { value: '', text: 'default rule' }));
  for (const [method, name] of Object.entries(METHOD_LABELS)) {
    if (categorical && NUMERIC_ONLY.has(method)) continue;
    select.append(el('option', { value: method, text: name, title: METHOD_TITLES[method] ?? '' }));
  }
  return select;
}

/** A number from an input, or null when blank; NaN when it is not a number. */
function numberOf(input) {
  const text = input.value.trim();
  return text === '' ? null : Number(text);
}

export function initDriftSettings({ post }) {
  const root = byTestId('drift-settings');
  const body = $('.drift-settings-body', root);
  const error = byTestId('drift-settings-error');
  let columns = [];
  /** column name -> { method, threshold } */
  const perColumn = new Map();

  const numeric = methodSelect('setting-method-numeric', 'Method for numeric columns', { categorical: false });
  const categorical = methodSelect('setting-method-categorical', 'Method for categorical columns', { categorical: true });
  const thresholdMethod = methodSelect('setting-threshold-method', 'Method whose threshold to set', { categorical: false });
  thresholdMethod.firstElementChild.remove();
  const thresholdValue = el('input', { type: 'number', step: 'any', min: '0', 'data-testid': 'setting-threshold', 'aria-label': 'Threshold', placeholder: 'default' });
  const thresholds = new Map(); // method -> value
  const thresholdList = el('ul', { class: 'chips', 'data-testid': 'setting-threshold-list' });
  const share = el('input', { type: 'number', step: 'any', min: '0', max: '1', 'data-testid': 'setting-drift-share', 'aria-label': 'Share of drifted columns for dataset drift', placeholder: '0.5' });
  const bonferroni = el('input', { type: 'checkbox', 'data-testid': 'setting-bonferroni', id: 'setting-bonferroni' });
  const columnSelect = el('select', { 'data-testid': 'setting-column', 'aria-label': 'Column' });
  const columnMethod = methodSelect('setting-column-method', 'Method for this column', { categorical: false });
  const columnThreshold = el('input', { type: 'number', step: 'any', min: '0', 'data-testid': 'setting-column-threshold', 'aria-label': 'Threshold for this column', placeholder: 'default' });
  const addColumn = el('button', { type: 'button', class: 'button secondary small', 'data-testid': 'setting-column-add', text: 'Set' });
  const columnList = el('ul', { class: 'chips', 'data-testid': 'setting-column-list' });
  const reset = el('button', { type: 'button', class: 'button secondary small', 'data-testid': 'setting-reset', text: 'Back to the defaults' });

  body.append(
    el('div', { class: 'setting-row' }, el('label', {}, 'Numeric columns ', numeric), el('label', {}, 'Categorical columns ', categorical)),
    el(
      'div',
      { class: 'setting-row' },
      el('label', {}, 'Threshold of ', thresholdMethod),
      thresholdValue,
      el('span', { class: 'legend', text: 'a p-value level for KS, χ² and z; a bound on the distance otherwise' }),
    ),
    thresholdList,
    el(
      'div',
      { class: 'setting-row' },
      el('label', {}, 'Dataset drift when at least this share of columns drifts ', share),
      el('label', { for: 'setting-bonferroni' }, bonferroni, ' Bonferroni correction of p-value tests'),
    ),
    el('div', { class: 'setting-row' }, el('label', {}, 'Column ', columnSelect), el('label', {}, 'method ', columnMethod), el('label', {}, 'threshold ', columnThreshold), addColumn),
    columnList,
    el('p', {}, reset),
  );

  function options() {
    const o = {};
    const methodForType = {};
    if (numeric.value) methodForType.numeric = numeric.value;
    if (categorical.value) methodForType.categorical = categorical.value;
    if (Object.keys(methodForType).length) o.method_for_type = methodForType;
    if (thresholds.size) o.thresholds = Object.fromEntries(thresholds);
    const s = numberOf(share);
    if (s !== null) o.drift_share = s;
    if (bonferroni.checked) o.bonferroni = true;
    const methods = {};
    const columnThresholds = {};
    for (const [name, { method, threshold }] of perColumn) {
      if (method) methods[name] = method;
      if (threshold !== null) columnThresholds[name] = threshold;
    }
    if (Object.keys(methods).length) o.method_for_column = methods;
    if (Object.keys(columnThresholds).length) o.column_thresholds = columnThresholds;
    return o;
  }

  function validate() {
    const s = numberOf(share);
    if (s !== null && !(s > 0 && s <= 1)) return 'The share of drifted columns must be above 0 and at most 1.';
    return null;
  }

  function apply() {
    const problem = validate();
    error.textContent = problem ?? '';
    error.hidden = !problem;
    if (problem) return;
    const o = options();
    root.dataset.changed = String(Object.keys(o).length);
    const summary = $('summary', root);
    summary.textContent = Object.keys(o).length ? 'Drift settings (changed)' : 'Drift settings';
    post({ type: 'options', options: Object.keys(o).length ? o : null });
  }

  function chip(list, text, onRemove, testid) {
    const remove = el('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${text}`, text: '×' });
    remove.addEventListener('click', onRemove);
    list.append(el('li', { class: 'chip', 'data-testid': testid }, el('span', { text }), remove));
  }

  function renderLists() {
    thresholdList.replaceChildren();
    for (const [method, value] of thresholds) {
      chip(thresholdList, `${METHOD_LABELS[method]}: ${value}`, () => {
        thresholds.delete(method);
        renderLists();
        apply();
      }, 'setting-threshold-chip');
    }
    columnList.replaceChildren();
    for (const [name, { method, threshold }] of perColumn) {
      const parts = [method ? METHOD_LABELS[method] : 'default method', threshold !== null ? `threshold ${threshold}` : null];
      chip(columnList, `${name}: ${parts.filter(Boolean).join(', ')}`, () => {
        perColumn.delete(name);
        renderLists();
        apply();
      }, 'setting-column-chip');
    }
  }

  for (const input of [numeric, categorical, share, bonferroni]) input.addEventListener('change', apply);
  thresholdValue.addEventListener('change', () => {
    const value = numberOf(thresholdValue);
    if (value === null) thresholds.delete(thresholdMethod.value);
    else if (Number.isFinite(value) && value >= 0) thresholds.set(thresholdMethod.value, value);
    else {
      error.textContent = 'A threshold is a number from 0 up.';
      error.hidden = false;
      return;
    }
    thresholdValue.value = '';
    renderLists();
    apply();
  });
  columnSelect.addEventListener('change', () => {
    const type = columns.find((c) => c.name === columnSelect.value)?.type;
    const categoricalColumn = type === 'categorical' || type === 'boolean';
    for (const option of columnMethod.options) option.disabled = categoricalColumn && NUMERIC_ONLY.has(option.value);
    if (columnMethod.selectedOptions[0]?.disabled) columnMethod.value = '';
  });
  addColumn.addEventListener('click', () => {
    const name = columnSelect.value;
    if (!name) return;
    const threshold = numberOf(columnThreshold);
    if (threshold !== null && !(Number.isFinite(threshold) && threshold >= 0)) {
      error.textContent = 'A threshold is a number from 0 up.';
      error.hidden = false;
      return;
    }
    if (!columnMethod.value && threshold === null) perColumn.delete(name);
    else perColumn.set(name, { method: columnMethod.value || null, threshold });
    columnThreshold.value = '';
    renderLists();
    apply();
  });
  reset.addEventListener('click', () => {
    numeric.value = '';
    categorical.value = '';
    share.value = '';
    bonferroni.checked = false;
    thresholds.clear();
    perColumn.clear();
    renderLists();
    apply();
  });

  return {
    /** Sends the options again (to a compute worker that replaced a crashed one). */
    resend() {
      if (Object.keys(options()).length) apply();
    },
    /** The reference's columns ({ name, type }): the tested ones can take a method of their own. */
    setColumns(list) {
      columns = list.filter((c) => TESTED_TYPES.has(c.type));
      columnSelect.replaceChildren(...columns.map((c) => el('option', { value: c.name, text: `${c.name} (${c.type})` })));
      columnSelect.dispatchEvent(new Event('change'));
      for (const name of [...perColumn.keys()]) if (!columns.some((c) => c.name === name)) perColumn.delete(name);
      renderLists();
    },
  };
}
