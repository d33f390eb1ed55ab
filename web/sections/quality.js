// The data-quality section: findings of the current CSV against the data contract
// (inferred from the reference, or a contract file the user picks), with downloads
// of the contract and of its JSON Schema. The compute worker does the work; the
// findings are drawn by web/report/quality.js (the report's renderer); this module
// holds the contract controls and tells the worker which contract to use.
//
// Worker -> page (handled by onMessage):
//   { type: 'contract', ids, origin: 'inferred' | 'file', name, version, hash, json, schema }
//   { type: 'quality', ids, report }
//   { type: 'quality-error', ids, message }
//   { type: 'contract-error', name, message }          a picked contract file was refused
// Page -> worker:
//   { type: 'contract', name, text }                    check against this contract file
//   { type: 'contract', name: null, text: null }        back to the inferred contract

import { qualityParts } from '../report/quality.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

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
  let shown = null; // the report on screen, for the page's exports
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
    if (state !== 'ready') shown = null;
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

  // The findings are drawn by the report's renderer, so the page, the widget and
  // the exports show them alike.
  function renderReport(report) {
    const root = document.createElement('div');
    root.className = 'mg-report mg-embedded';
    root.append(...qualityParts(document, report));
    byTestId('quality-render').replaceChildren(root);
    shown = report;
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
    /** The quality report on screen, or null (for the page's exports). */
    report: () => shown,
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
