// The data-quality section: findings of the current CSV against the data contract
// (inferred from the reference, or a contract file the user picks), with downloads
// of the contract and of its JSON Schema. The compute worker does the work; this
// module renders what it sends and tells it which contract to use.
//
// Worker -> page (handled by onMessage):
//   { type: 'contract', ids, origin: 'inferred' | 'file', name, version, hash, json, schema }
//   { type: 'quality', ids, report }
//   { type: 'quality-error', ids, message }
//   { type: 'contract-error', name, message }          a picked contract file was refused
// Page -> worker:
//   { type: 'contract', name, text }                    check against this contract file
//   { type: 'contract', name: null, text: null }        back to the inferred contract

const SEVERITY_LABELS = { error: 'error', warning: 'warning', info: 'info' };
const KIND_LABELS = {
  missing_column: 'missing column',
  new_column: 'new column',
  type_change: 'type change',
  null_not_allowed: 'null not allowed',
  null_share_jump: 'null share jump',
  nan_present: 'NaN present',
  inf_present: '±inf present',
  out_of_range: 'out of range',
  unseen_category: 'unseen category',
  vanished_category: 'vanished category',
  length_out_of_range: 'length out of range',
  duplicate_values: 'duplicate values',
  constant_column: 'constant column',
  duplicated_rows: 'duplicated rows',
  mixed_types: 'mixed types',
  identifier_like: 'identifier-like',
  mostly_null_rows: 'mostly-null rows',
};

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const plural = (n, word) => `${Number(n).toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function percent(share) {
  const p = share * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p.toFixed(1)}%`;
}

/** Sets a download link's content, releasing the previous object URL. */
function setDownload(link, text, filename, type) {
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = filename;
  link.hidden = false;
}

/**
 * Sets up the section. `post` sends a message to the compute worker; `currentIds`
 * returns the load ids of the files on screen, so stale results are dropped.
 */
export function initQuality({ post, currentIds }) {
  const section = byTestId('quality');
  const status = byTestId('quality-status');
  const errorBox = byTestId('quality-error');
  const reportBox = byTestId('quality-report');
  const contractInfo = byTestId('contract-info');
  const contractError = byTestId('contract-error');
  const input = byTestId('contract-input');
  const reset = byTestId('contract-reset');
  let seq = 0;
  let picked = null; // { name, text } of the contract file in use, sent again to a restarted worker

  const sameIds = (ids) => {
    const now = currentIds();
    return ids && ids.reference === now.reference && ids.current === now.current;
  };

  function setState(state, text) {
    section.dataset.state = state;
    status.textContent = text ?? '';
    status.hidden = !text;
    reportBox.hidden = state !== 'ready';
    if (state !== 'error') {
      errorBox.hidden = true;
      errorBox.textContent = '';
    }
  }

  function renderContract(msg) {
    const origin = msg.origin === 'file' ? `the contract file ${msg.name}` : `inferred from ${msg.name}`;
    contractInfo.textContent = `Contract: ${origin} · version ${msg.version} · hash ${msg.hash.slice(0, 16)}…`;
    contractInfo.dataset.hash = msg.hash;
    contractInfo.dataset.origin = msg.origin;
    contractInfo.title = msg.hash;
    setDownload(byTestId('contract-download'), msg.json, 'contract.json', 'application/json');
    setDownload(byTestId('schema-download'), msg.schema, 'contract.schema.json', 'application/schema+json');
    reset.hidden = msg.origin !== 'file';
  }

  function renderReport(report) {
    const tbody = byTestId('quality-table').querySelector('tbody');
    tbody.replaceChildren();
    for (const f of report.findings) {
      tbody.append(
        el(
          'tr',
          { 'data-testid': 'finding-row', 'data-kind': f.kind, 'data-severity': f.severity, 'data-column': f.column ?? '', class: `severity-${f.severity}` },
          el('td', { 'data-field': 'severity' }, el('span', { class: `badge badge-${f.severity}` }, SEVERITY_LABELS[f.severity] ?? f.severity)),
          el('th', { scope: 'row', 'data-field': 'kind', title: f.kind }, KIND_LABELS[f.kind] ?? f.kind),
          el('td', { 'data-field': 'column' }, f.column ?? 'all rows'),
          el('td', { class: 'num', 'data-field': 'count', 'data-value': f.count }, Number(f.count).toLocaleString('en-US')),
          el('td', { class: 'num', 'data-field': 'share', 'data-value': f.share }, percent(f.share)),
          el('td', { 'data-field': 'examples' }, f.examples.length ? f.examples.join(', ') : '—'),
          el('td', { 'data-field': 'message', class: 'message' }, f.message),
        ),
      );
    }
    byTestId('quality-empty').hidden = report.findings.length > 0;
    byTestId('quality-table').hidden = report.findings.length === 0;
    const summary = byTestId('quality-summary');
    summary.dataset.passed = String(report.passed);
    summary.className = `summary ${report.passed ? 'summary-ok' : 'summary-drift'}`;
    summary.textContent = `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${plural(report.infos, 'info')} — contract ${report.passed ? 'met' : 'broken'}`;
    seq += 1;
    section.dataset.reportSeq = String(seq);
    setState('ready', null);
  }

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    contractError.hidden = true;
    const candidate = { name: file.name, text: await file.text() };
    post({ type: 'contract', ...candidate });
    pending = candidate;
  });
  reset.addEventListener('click', () => {
    contractError.hidden = true;
    picked = null;
    pending = null;
    post({ type: 'contract', name: null, text: null });
  });
  let pending = null; // a picked file the worker has not accepted yet

  return {
    /** Sends the contract file in use to a new worker (after the old one crashed). */
    resend() {
      if (picked) post({ type: 'contract', ...picked });
    },
    /** Called when both files are loaded and the drift report is being computed. */
    computing() {
      setState('loading', 'Checking every row of the current file against the contract…');
    },
    /** Called when a file is replaced or fails, so old findings do not linger. */
    waiting(text) {
      setState('waiting', text);
    },
    onMessage(msg) {
      if (msg.type === 'contract-error') {
        contractError.textContent = `${msg.name}: ${msg.message}`;
        contractError.hidden = false;
        pending = null;
        return;
      }
      if (!sameIds(msg.ids)) return;
      if (msg.type === 'contract') {
        if (msg.origin === 'file' && pending?.name === msg.name) {
          picked = pending;
          pending = null;
        }
        renderContract(msg);
      }
      else if (msg.type === 'quality') renderReport(msg.report);
      else if (msg.type === 'quality-error') {
        setState('error', null);
        errorBox.textContent = msg.message;
        errorBox.hidden = false;
      }
    },
  };
}
