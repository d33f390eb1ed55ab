// The model-evaluation section: a drop zone for a predictions CSV, an optional
// training CSV and sensitive column, and the report: the model against simple
// baselines, every metric, findings, slices, fairness and time. The numbers are
// computed in the compute worker (sections/evaluation-worker.js) by the same
// Rust core as `modelgate evaluate` and drawn by web/report/evaluation.js, the
// report's renderer, so the page, the widget and the exports look alike; this
// module holds the inputs and controls.
//
// app.js calls setUpEvaluation({ post }) once, forwards every worker message
// whose type starts with "eval:" to the returned onMessage, and calls reload()
// after it replaced a crashed worker.

import { evaluationParts } from '../report/evaluation.js';
import { $, byTestId, el, formatBytes, plural, progressDrawers } from '../dom.js';

// ---------------------------------------------------------------- state and wiring

export function setUpEvaluation({ post, onReport = () => {} }) {
  const section = byTestId('evaluation');
  if (!section) return { onMessage() {}, reload() {}, report: () => null };
  const files = {
    predictions: { id: null, status: 'empty', name: null },
    training: { id: null, status: 'empty', name: null },
  };
  // Progress drawn at most every 200 ms per zone, as the page's own zones.
  const showProgress = progressDrawers(files, (role, f, msg) =>
    setZone(role, { status: 'loading', name: f.name, progress: msg, info: `${formatBytes(msg.bytes)} of ${formatBytes(msg.total)} · ${plural(msg.rows, 'row')}` }),
  );
  let nextId = 1;
  let reportSeq = 0;
  let shown = null; // the report on screen, for the page's exports
  const status = byTestId('eval-status');
  const errorBox = byTestId('eval-error');
  const reportBox = byTestId('eval-report');
  const sensitive = byTestId('eval-sensitive');

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

  function setZone(role, { status: st, name, progress, info, error, details }) {
    const zone = byTestId(`dropzone-${role}`);
    if (zone) zone.dataset.state = st;
    const nameBox = byTestId(`file-name-${role}`);
    if (nameBox) nameBox.textContent = name ?? '';
    const bar = byTestId(`progress-${role}`);
    if (bar) {
      bar.hidden = !progress;
      if (progress && progress.total > 0) {
        bar.max = progress.total;
        bar.value = progress.bytes;
      }
    }
    const infoBox = byTestId(`info-${role}`);
    if (infoBox) infoBox.textContent = info ?? '';
    const box = byTestId(`error-${role}`);
    if (box) {
      box.textContent = error ?? '';
      box.hidden = !error;
      for (const key of ['code', 'row', 'line', 'column']) {
        const value = details?.[key];
        if (error && value !== null && value !== undefined) box.dataset[key] = String(value);
        else delete box.dataset[key];
      }
    }
  }

  function refresh() {
    const p = files.predictions;
    if (p.status === 'loading' || files.training.status === 'loading') setState('loading', 'Reading…');
    else if (p.status === 'error') setState('waiting', `Fix or replace ${p.name} to see the evaluation.`);
    else if (p.status === 'empty') setState('waiting', 'Choose or drop a predictions CSV: a label column, the model’s prediction and, for a classifier, its score or class probabilities.');
    else setState('loading', 'Evaluating…');
  }

  function load(role, file, reloading = false) {
    if (role === 'predictions' && sensitive.value && !reloading) {
      // The sensitive column belongs to the old file.
      sensitive.value = '';
      post({ type: 'eval:options', options: options() });
    }
    const id = nextId++;
    files[role] = { id, status: 'loading', name: file.name || `${role}.csv`, file };
    setZone(role, { status: 'loading', name: files[role].name, progress: { bytes: 0, total: file.size }, info: `0 B of ${formatBytes(file.size)}` });
    refresh();
    post({ type: 'eval:load', role, id, file });
  }

  function setSensitiveChoices(columns) {
    const keep = sensitive.value;
    sensitive.replaceChildren(el('option', { value: '' }, 'none'), ...columns.map((c) => el('option', { value: c.name }, c.name)));
    sensitive.value = columns.some((c) => c.name === keep) ? keep : '';
    sensitive.disabled = false;
  }

  function options() {
    return sensitive.value ? { sensitive: sensitive.value } : {};
  }

  function render(report) {
    onReport(report);
    const root = el('div', { class: 'mg-report mg-embedded mg-evaluation' });
    root.append(...evaluationParts(document, report));
    reportBox.replaceChildren(root);
    shown = report;
    reportSeq += 1;
    section.dataset.reportSeq = String(reportSeq);
    setState('ready', null);
  }

  function onMessage(msg) {
    if (msg.type === 'eval:report') {
      const p = files.predictions;
      const t = files.training;
      const trainingMatches = t.status === 'loaded' ? msg.ids.training === t.id : msg.ids.training === null;
      if (p.status === 'loaded' && msg.ids.predictions === p.id && trainingMatches) render(msg.report);
      return;
    }
    if (msg.type === 'eval:error' && msg.role === 'report') {
      if (msg.ids?.predictions !== files.predictions.id) return;
      setState('error', null);
      errorBox.textContent = msg.message;
      errorBox.hidden = false;
      if (msg.details?.code) errorBox.dataset.code = msg.details.code;
      return;
    }
    const role = msg.role;
    if (!files[role] || files[role].id !== msg.id) return;
    const f = files[role];
    if (msg.type === 'eval:progress') {
      showProgress[role](f, msg);
      return;
    }
    showProgress[role].cancel();
    if (msg.type === 'eval:loaded') {
      f.status = 'loaded';
      setZone(role, { status: 'loaded', name: f.name, info: `${plural(msg.rows, 'row')} · ${plural(msg.columns.length, 'column')}: ${msg.columns.map((c) => c.name).join(', ')}` });
      if (role === 'predictions') setSensitiveChoices(msg.columns);
      refresh();
    } else if (msg.type === 'eval:error') {
      f.status = 'error';
      setZone(role, { status: 'error', name: f.name, error: msg.message, details: msg.details });
      refresh();
    }
  }

  // Picking and dropping.
  const input = byTestId('file-input-predictions');
  input?.addEventListener('change', () => {
    if (input.files?.[0]) load('predictions', input.files[0]);
    input.value = '';
  });
  const zone = byTestId('dropzone-predictions');
  if (zone) {
    let depth = 0;
    zone.addEventListener('dragenter', (e) => {
      e.preventDefault();
      depth += 1;
      zone.classList.add('dragover');
    });
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    zone.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) zone.classList.remove('dragover');
    });
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation(); // not a drift file
      depth = 0;
      zone.classList.remove('dragover');
      const file = [...(e.dataTransfer?.files ?? [])][0];
      if (file) load('predictions', file);
    });
  }
  const training = byTestId('file-input-training');
  training?.addEventListener('change', () => {
    if (training.files?.[0]) load('training', training.files[0]);
    training.value = '';
  });
  byTestId('eval-training-clear')?.addEventListener('click', () => {
    files.training = { id: null, status: 'empty', name: null };
    setZone('training', { status: 'empty' });
    post({ type: 'eval:clear', role: 'training' });
    refresh();
  });
  sensitive?.addEventListener('change', () => {
    if (files.predictions.status === 'loaded') setState('loading', 'Evaluating…');
    post({ type: 'eval:options', options: options() });
  });
  byTestId('eval-sample-button')?.addEventListener('click', async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const base = new URL('sample/', document.baseURI);
      const [predictions, trainingFile] = await Promise.all(
        ['predictions.csv', 'training.csv'].map(async (name) => {
          const response = await fetch(new URL(name, base));
          if (!response.ok) throw new Error(`sample/${name}: HTTP ${response.status}`);
          return new File([await response.blob()], name, { type: 'text/csv' });
        }),
      );
      load('training', trainingFile);
      load('predictions', predictions);
    } catch (e) {
      setState('error', null);
      errorBox.textContent = `Could not load the sample: ${e.message}`;
      errorBox.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  /** Sends the options and the files again to a fresh worker. */
  function reload() {
    post({ type: 'eval:options', options: options() });
    for (const role of ['training', 'predictions']) {
      if (files[role].file && files[role].status !== 'error') load(role, files[role].file, true);
    }
  }

  refresh();
  return { onMessage, reload, report: () => shown };
}
