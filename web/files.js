// Several files dropped at once: the compute worker guesses each file's role from
// its name and first bytes (core::roles through wasm guessRoles), this module lists
// the files with the guess and its reason, and lets the user correct any of them.
// Every change of role is handed to app.js through `route(entry)` / `unroute(entry)`,
// which feed the file to the part of the page that owns that role.
//
// app.js calls initFiles({ post, route, unroute }) once, forwards the worker's
// { type: 'roles' } answers to onRoles, and split progress to onSplit.

import { $, byTestId, el, formatBytes } from './dom.js';

/** The roles a user can give a file, in the order the menu lists them. */
export const ROLE_LABELS = {
  reference: 'Reference data',
  current: 'Current data',
  split: 'Another split',
  profile: 'Reference profile',
  predictions: 'Predictions',
  training: 'Training data (baselines)',
  answers: 'Rubric answers',
  contract: 'Contract',
  report: 'Saved report',
  unused: 'Not used',
};

/** Roles one file at a time can hold; giving one to a file takes it from the other. */
const SINGLE = new Set(['reference', 'current', 'profile', 'predictions', 'training', 'answers', 'contract', 'report']);
/** A profile stands in for the reference data, so the two share one slot. */
const slotOf = (role) => (role === 'profile' ? 'reference' : role);



export function initFiles({ post, route, unroute }) {
  const panel = byTestId('file-roles');
  const body = $('tbody', panel);
  /** Every listed file: { key, file, role, reason, status, row } */
  const entries = [];
  const pending = new Map(); // seq -> File[]
  let seq = 0;
  let nextKey = 1;

  function add(fileList) {
    const list = [...fileList].filter((f) => f instanceof File);
    if (!list.length) return;
    seq += 1;
    pending.set(seq, list);
    panel.hidden = false;
    byTestId('file-roles-status').textContent = `Looking at ${list.length === 1 ? '1 file' : `${list.length} files`}…`;
    post({ type: 'roles', seq, files: list });
  }

  function onRoles({ seq: answered, guesses }) {
    const list = pending.get(answered);
    if (!list) return;
    pending.delete(answered);
    byTestId('file-roles-status').textContent = '';
    // Predictions before training, so the evaluation sees its training file after the predictions.
    const added = list.map((file, i) => {
      const guess = guesses[i] ?? { role: 'unknown', reason: '', columns: [] };
      const role = guess.role === 'unknown' ? 'unused' : guess.role;
      const entry = { key: `f${nextKey++}`, file, role: 'unused', reason: guess.reason, status: '', row: null };
      entries.push(entry);
      entry.row = renderRow(entry);
      body.append(entry.row);
      return [entry, role];
    });
    const order = ['reference', 'profile', 'current', 'split', 'predictions', 'training', 'contract', 'answers', 'report', 'unused'];
    added.sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1]));
    for (const [entry, role] of added) assign(entry, role);
  }

  function renderRow(entry) {
    const select = el('select', { 'data-testid': 'file-role', 'aria-label': `Role of ${entry.file.name}` });
    for (const [value, label] of Object.entries(ROLE_LABELS)) select.append(el('option', { value, text: label }));
    select.addEventListener('change', () => {
      entry.reason = 'chosen by you';
      assign(entry, select.value);
    });
    return el(
      'tr',
      { 'data-testid': 'file-role-row', 'data-file': entry.file.name },
      el('th', { scope: 'row', class: 'file-role-name', text: entry.file.name }),
      el('td', { class: 'num', text: formatBytes(entry.file.size) }),
      el('td', {}, select),
      el('td', { class: 'file-role-reason', 'data-testid': 'file-role-reason' }),
      el('td', { class: 'file-role-status', 'data-testid': 'file-role-status' }),
    );
  }

  function refresh(entry) {
    $('select', entry.row).value = entry.role;
    entry.row.dataset.role = entry.role;
    $('[data-testid="file-role-reason"]', entry.row).textContent = entry.reason;
    $('[data-testid="file-role-status"]', entry.row).textContent = entry.status;
  }

  /** Gives `entry` the role, taking a one-file role from whichever file held it. */
  function assign(entry, role) {
    if (entry.role === role) {
      refresh(entry);
      return;
    }
    if (entry.role !== 'unused') unroute(entry);
    if (SINGLE.has(role)) {
      for (const other of entries) {
        if (other !== entry && other.role !== 'unused' && slotOf(other.role) === slotOf(role)) {
          // The other file loses the role; its replacement is routed next, so nothing to undo.
          other.role = 'unused';
          other.reason = `${entry.file.name} took its role`;
          other.status = '';
          refresh(other);
        }
      }
    }
    entry.role = role;
    entry.status = '';
    refresh(entry);
    if (role !== 'unused') route(entry);
  }

  /** Progress, rows or an error of a split's load ({ role: 'split:<key>' } worker messages). */
  function onSplit(msg) {
    const entry = entries.find((e) => `split:${e.key}` === msg.role && e.role === 'split');
    if (!entry) return false;
    if (msg.type === 'progress') entry.status = `${formatBytes(msg.bytes)} of ${formatBytes(msg.total)}`;
    else if (msg.type === 'loaded') entry.status = `${Number(msg.rows).toLocaleString('en-US')} rows`;
    else if (msg.type === 'error') entry.status = msg.message;
    entry.row.dataset.state = msg.type;
    refresh(entry);
    return true;
  }

  /** Shows the state of a file that another part of the page reads (the zones, the sections). */
  function setStatus(file, status) {
    const entry = entries.find((e) => e.file === file && e.role !== 'unused');
    if (!entry) return;
    entry.status = status;
    refresh(entry);
  }

  byTestId('file-roles-clear').addEventListener('click', () => {
    for (const entry of entries.splice(0)) {
      if (entry.role !== 'unused') unroute(entry);
      entry.row.remove();
    }
    panel.hidden = true;
  });

  return { add, onRoles, onSplit, setStatus };
}
