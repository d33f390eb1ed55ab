// The readiness-rubric questionnaire: pick a rubric, answer its items one by one, see
// the score per section, the final score and its band update as you go, save the
// answers as JSON or CSV and load them again. The reports the page computed (drift,
// data quality, the evaluation) become evidence through the core's rubricEvidence: it is
// shown beside the items it bears on, and answers it contradicts are flagged.
//
// Scoring, parsing and writing files are the Rust core's (modelgate_core::rubric),
// called through an instance of the wasm module on this thread: a rubric has a few
// dozen items and scoring takes microseconds, so it needs no worker, and the score
// follows every keystroke. The page's state is the answers file itself (its JSON form), so what is
// saved, loaded and scored is one thing.
//
// Hooks: app.js calls initRubric(element, module) when the compute worker is ready
// (the worker hands over the compiled wasm module, so it is downloaded and compiled
// once), setRubricDriftReport(report) with each drift report it renders and
// setRubricSection(name, report) with the other sections ("quality", "evaluation", ...,
// the keys of exportReport's sections object; null removes one).

import init, {
  answersRubric,
  parseAnswers,
  rubric as getRubric,
  rubricEvidence,
  rubrics as listRubrics,
  scoreRubric,
  writeAnswers,
} from '../pkg/modelgate_wasm.js';
import { el } from '../dom.js';

const STATUS_OPTIONS = [
  ['', 'unanswered'],
  ['not_done', null],
  ['manual', null],
  ['automated', null],
  ['not_applicable', null],
];

let root = null;
let wasmReady = null;
let current = null; // the Rubric object shown
const answersByRubric = new Map(); // rubric id -> Map(item id -> { status, reason, evidence, notes })
const sections = {}; // this run's reports by section name, the input of rubricEvidence
let lastScored = null; // the last RubricReport, for the page's exports
let scoreSeq = 0;


const $ = (sel, scope = root) => scope.querySelector(sel);
const tid = (id) => `[data-testid="${id}"]`;

/** A score as the CLI prints it: sums as they are (0.5, 3), shares as a percentage to 0.1. */
function scoreText(aggregate, x) {
  if (aggregate === 'share') return `${Number((Math.round(x * 1000) / 10).toFixed(1))}%`;
  return String(Number(x.toFixed(3)));
}

function answersOf(id) {
  if (!answersByRubric.has(id)) answersByRubric.set(id, new Map());
  return answersByRubric.get(id);
}

/** Splits evidence text into links, as the core does (whitespace separates links). */
const links = (text) => (text ?? '').split(/\s+/).filter(Boolean);

/**
 * The answers as a JSON answers file. `forScoring` leaves out a not-applicable answer
 * that has no reason yet (it scores as unanswered until one is given).
 */
function answersFile(rubricId, { forScoring }) {
  const answers = [];
  for (const [id, a] of answersOf(rubricId)) {
    const status = a.status === 'not_applicable' && !a.reason.trim() && forScoring ? null : a.status || null;
    const entry = { id, status, reason: a.reason.trim() || null, evidence: links(a.evidence), notes: a.notes.trim() || null };
    if (entry.status || entry.reason || entry.evidence.length || entry.notes) answers.push(entry);
  }
  return JSON.stringify({ format: 'modelgate-rubric-answers', version: 1, rubric: rubricId, answers });
}

function missingReasons(rubricId) {
  return [...answersOf(rubricId)].filter(([, a]) => a.status === 'not_applicable' && !a.reason.trim()).map(([id]) => id);
}

function showError(message) {
  const box = $(tid('rubric-error'));
  box.textContent = message ?? '';
  box.hidden = !message;
}

function evidence() {
  return Object.keys(sections).length ? rubricEvidence(sections) : undefined;
}

// ---------------------------------------------------------------- rendering

function renderItems() {
  const rubricId = current.id;
  const answers = answersOf(rubricId);
  const container = $(tid('rubric-items'));
  container.replaceChildren();
  const labels = current.scoring.status_labels;
  for (const section of current.sections) {
    const fieldset = el(
      'fieldset',
      { class: 'rubric-section', 'data-section': section.id },
      el('legend', {}, el('span', { class: 'rubric-section-title', text: section.title }), ' ', el('span', { class: 'rubric-section-score', 'data-field': 'legend-score' })),
      section.summary ? el('p', { class: 'rubric-section-summary', text: section.summary }) : null,
    );
    for (const item of section.items) {
      const a = answers.get(item.id) ?? { status: '', reason: '', evidence: '', notes: '' };
      const name = item.ref ? `${item.ref}: ${item.title}` : item.title;
      const idBase = `rubric-${rubricId}-${item.id}`;
      const select = el('select', { id: `${idBase}-status`, 'data-field': 'status', 'data-testid': 'rubric-status' });
      for (const [value, label] of STATUS_OPTIONS) {
        const option = el('option', { value, text: label ?? labels[value] ?? value });
        if (value === a.status) option.selected = true;
        select.append(option);
      }
      const reason = el('input', { id: `${idBase}-reason`, type: 'text', 'data-field': 'reason', value: a.reason, placeholder: 'Why it does not apply' });
      const evidenceInput = el('input', { id: `${idBase}-evidence`, type: 'text', 'data-field': 'evidence', value: a.evidence, placeholder: 'Links, separated by spaces' });
      const notes = el('textarea', { id: `${idBase}-notes`, rows: '1', 'data-field': 'notes' });
      notes.value = a.notes;
      const node = el(
        'div',
        { class: 'rubric-item', 'data-testid': 'rubric-item', 'data-item': item.id, 'data-status': a.status || 'unanswered' },
        el(
          'div',
          { class: 'rubric-item-head' },
          item.ref ? el('span', { class: 'rubric-ref', text: item.ref }) : null,
          el('span', { class: 'rubric-item-title', text: item.title }),
          el('span', { class: 'rubric-points', 'data-field': 'points' }),
        ),
        el('p', { class: 'rubric-desc', text: item.description }),
        el(
          'div',
          { class: 'rubric-answer' },
          el('label', { for: select.id }, 'Answer', el('span', { class: 'visually-hidden', text: ` for ${name}` })),
          select,
          el('label', { for: reason.id, class: 'rubric-reason-label', 'data-field': 'reason-label' }, 'Reason', el('span', { class: 'visually-hidden', text: ` ${name} does not apply` })),
          reason,
          el('label', { for: evidenceInput.id }, 'Evidence', el('span', { class: 'visually-hidden', text: ` for ${name}` })),
          evidenceInput,
          el('label', { for: notes.id }, 'Notes', el('span', { class: 'visually-hidden', text: ` on ${name}` })),
          notes,
        ),
        el('p', { class: 'rubric-hint', 'data-field': 'hint', hidden: true }),
        el('ul', { class: 'rubric-checks', 'data-testid': 'rubric-item-evidence', hidden: true }),
        el('p', { class: 'rubric-flag', role: 'note', 'data-testid': 'rubric-item-flag', hidden: true }),
      );
      const update = () => {
        const entry = { status: select.value, reason: reason.value, evidence: evidenceInput.value, notes: notes.value };
        if (entry.status || entry.reason || entry.evidence || entry.notes) answers.set(item.id, entry);
        else answers.delete(item.id);
        node.dataset.status = entry.status || 'unanswered';
        rescore();
      };
      for (const input of [select, reason, evidenceInput, notes]) input.addEventListener('input', update);
      select.addEventListener('change', update);
      fieldset.append(node);
    }
    container.append(fieldset);
  }
  const sources = $(tid('rubric-sources'));
  sources.replaceChildren(
    el('h3', { text: 'Sources' }),
    el(
      'ul',
      {},
      ...current.sources.map((s) =>
        el('li', {}, `${s.authors}. `, s.url ? el('a', { href: s.url, rel: 'noopener noreferrer', text: s.title }) : el('cite', { text: s.title }), s.published ? `. ${s.published}.` : '.'),
      ),
    ),
    current.notice ? el('p', { text: current.notice }) : null,
    el('h3', { text: 'How this rubric is scored' }),
    el('ul', {}, ...current.scoring.rules.map((r) => el('li', { text: r }))),
  );
  $(tid('rubric-summary-line')).textContent = current.summary;
}

function renderReport(report) {
  const agg = report.rubric.aggregate;
  const full = Math.max(report.rubric.points.manual, report.rubric.points.automated);
  const finalBox = $(tid('rubric-final'));
  finalBox.textContent = scoreText(agg, report.final_score);
  finalBox.dataset.value = String(report.final_score);
  const band = $(tid('rubric-band'));
  band.textContent = report.band.label;
  band.dataset.label = report.band.label;
  $(tid('rubric-band-meaning')).textContent = `${report.band.title}: ${report.band.meaning}${report.band.note ? ` (${report.band.note})` : ''}`;
  const titles = Object.fromEntries(report.sections.map((s) => [s.id, s.title]));
  $(tid('rubric-rule')).textContent =
    agg === 'minimum'
      ? `the lowest section score; at most ${scoreText(agg, report.max_final_score)} with these answers · weakest: ${report.weakest_sections.map((s) => titles[s]).join(', ')}`
      : `share of applicable items done · weakest: ${report.weakest_sections.map((s) => titles[s]).join(', ')}`;

  const tbody = $('tbody', $(tid('rubric-sections')));
  tbody.replaceChildren(
    ...report.sections.map((s) => {
      const weakest = report.weakest_sections.includes(s.id);
      const of = agg === 'minimum' ? scoreText(agg, s.max_points) : `${s.max_points / full} items`;
      return el(
        'tr',
        { 'data-testid': 'rubric-section-score', 'data-section': s.id, 'data-value': String(s.score), class: weakest ? 'weakest' : null },
        el('th', { scope: 'row', text: s.title }),
        el('td', { class: 'num', 'data-field': 'score', text: scoreText(agg, s.score) }),
        el('td', { class: 'num', text: of }),
        el('td', { class: 'num', text: String(s.counts.automated) }),
        el('td', { class: 'num', text: String(s.counts.manual) }),
        el('td', { class: 'num', text: String(s.counts.not_done + s.counts.unanswered) }),
        el('td', { class: 'num', text: String(s.counts.not_applicable) }),
        el('td', { text: weakest ? 'weakest' : '' }),
      );
    }),
  );
  for (const s of report.sections) {
    const legend = root.querySelector(`fieldset[data-section="${s.id}"] [data-field="legend-score"]`);
    if (legend) legend.textContent = `· ${scoreText(agg, s.score)}${agg === 'minimum' ? ` of ${scoreText(agg, s.max_points)}` : ''}`;
  }

  const steps = $(tid('rubric-next-steps'));
  steps.replaceChildren(
    ...report.next_steps.map((step) =>
      el(
        'li',
        { 'data-item': step.item },
        `${step.to === 'automated' ? 'Automate' : 'Do'} `,
        el('strong', { text: step.item }),
        ` (${step.title}): ${titles[step.section]} → ${scoreText(agg, step.section_score_after)}, score → ${scoreText(agg, step.final_score_after)}, band ${step.band_after}`,
        step.blocked_by ? el('span', { class: 'rubric-blocked', text: ` First: ${step.blocked_by}.` }) : null,
      ),
    ),
  );
  $(tid('rubric-next-steps-box')).hidden = report.next_steps.length === 0;

  const flags = $(tid('rubric-flags'));
  flags.replaceChildren(
    ...report.flags.map((f) => el('li', { class: `flag-${f.severity}`, 'data-item': f.item, 'data-severity': f.severity }, el('strong', { text: `${f.item}: ` }), f.message)),
  );
  flags.hidden = report.flags.length === 0;

  const checks = $(tid('rubric-evidence-summary'));
  checks.replaceChildren(
    report.evidence.length
      ? el('span', { text: `This run's checks: ${report.evidence.map((c) => `${c.title} ${c.passed ? 'passes' : 'fails'}`).join(', ')}. They appear beside the items they bear on.` })
      : el('span', { text: 'Load a reference and a current CSV above (or try the sample), or predictions to evaluate: the drift, schema, NaN, data-quality and baseline checks then appear beside the items they bear on.' }),
  );

  for (const item of report.items) {
    const node = root.querySelector(`[data-testid="rubric-item"][data-item="${CSS.escape(item.id)}"]`);
    if (!node) continue;
    const pts = $('[data-field="points"]', node);
    pts.textContent = item.max_points > 0 ? `${scoreText('minimum', item.points)} of ${scoreText('minimum', item.max_points)}` : 'not counted';
    const a = answersOf(current.id).get(item.id);
    const needsReason = a?.status === 'not_applicable' && !a.reason.trim();
    const hint = $('[data-field="hint"]', node);
    hint.textContent = needsReason ? 'Give a reason: until then the item counts as unanswered.' : '';
    hint.hidden = !needsReason;
    node.classList.toggle('needs-reason', needsReason);
    const list = $(tid('rubric-item-evidence'), node);
    list.replaceChildren(
      ...item.evidence.map((e) =>
        el(
          'li',
          { class: e.passed ? 'check-pass' : 'check-fail', 'data-kind': e.kind, 'data-passed': String(e.passed), 'data-role': e.role },
          el('span', { class: 'badge', text: e.passed ? 'pass' : 'fail' }),
          ` ${e.title}${e.role === 'informs' ? ' (context)' : ''}: ${e.summary}`,
        ),
      ),
    );
    list.hidden = item.evidence.length === 0;
    const flag = $(tid('rubric-item-flag'), node);
    const mine = report.flags.filter((f) => f.item === item.id);
    flag.textContent = mine.map((f) => f.message).join(' ');
    flag.hidden = mine.length === 0;
    node.dataset.flag = item.flag ?? '';
  }
  scoreSeq += 1;
  root.dataset.scoreSeq = String(scoreSeq);
}

function rescore() {
  if (!current) return;
  try {
    const report = scoreRubric(current.id, 'page', answersFile(current.id, { forScoring: true }), evidence());
    lastScored = report;
    renderReport(report);
  } catch (e) {
    showError(e?.message ?? String(e));
  }
}

function selectRubric(id) {
  current = getRubric(id);
  $(tid('rubric-select')).value = id;
  root.dataset.rubric = id;
  renderItems();
  rescore();
}

// ---------------------------------------------------------------- files

function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function save(format) {
  const missing = missingReasons(current.id);
  if (missing.length) {
    showError(`Give a reason for each item marked not applicable before saving: ${missing.join(', ')}.`);
    return;
  }
  try {
    const text = writeAnswers(current.id, 'page', answersFile(current.id, { forScoring: false }), format);
    download(text, `modelgate-answers-${current.id}.${format}`, format === 'json' ? 'application/json' : 'text/csv');
    showError(null);
  } catch (e) {
    showError(e?.message ?? String(e));
  }
}

async function load(file) {
  if (!file) return;
  let text;
  try {
    text = await file.text();
  } catch (e) {
    showError(`${file.name}: cannot read the file (${e?.message ?? e})`);
    return;
  }
  const named = answersRubric(text);
  const known = listRubrics().map((r) => r.id);
  const id = named && known.includes(named) ? named : current.id;
  let parsed;
  try {
    parsed = parseAnswers(id, file.name, text);
  } catch (e) {
    showError(e?.message ?? String(e));
    root.dataset.loadError = e?.details?.problems?.[0]?.code ?? 'error';
    return;
  }
  delete root.dataset.loadError;
  const answers = new Map();
  for (const a of parsed.answers) {
    answers.set(a.id, { status: a.status ?? '', reason: a.reason ?? '', evidence: a.evidence.join(' '), notes: a.notes ?? '' });
  }
  answersByRubric.set(id, answers);
  showError(null);
  $(tid('rubric-loaded')).textContent = `Loaded ${file.name}: ${parsed.answers.length} answer${parsed.answers.length === 1 ? '' : 's'}.`;
  selectRubric(id);
}

// ---------------------------------------------------------------- setup

function build() {
  const fileInput = el('input', {
    type: 'file',
    id: 'rubric-file',
    class: 'visually-hidden',
    accept: '.csv,.json,text/csv,application/json,text/plain',
    'data-testid': 'rubric-file-input',
  });
  root.replaceChildren(
    el('h2', { id: 'rubric-title', text: 'Readiness rubric' }),
    el('p', { class: 'rubric-intro' }, 'Answer each item for your model, with links to the evidence. ', el('span', { 'data-testid': 'rubric-summary-line' }), ' Answers stay in this tab until you save them.'),
    el(
      'div',
      { class: 'rubric-controls' },
      el('label', { for: 'rubric-select' }, 'Rubric '),
      el('select', { id: 'rubric-select', 'data-testid': 'rubric-select' }),
      el('button', { type: 'button', class: 'button secondary', 'data-testid': 'rubric-save-json' }, 'Save answers (JSON)'),
      el('button', { type: 'button', class: 'button secondary', 'data-testid': 'rubric-save-csv' }, 'Save answers (CSV)'),
      fileInput,
      el('label', { class: 'button secondary', for: 'rubric-file' }, 'Load answers…'),
      el('span', { class: 'rubric-or', text: 'or drop an answers file on this section' }),
    ),
    el('p', { class: 'rubric-loaded', 'data-testid': 'rubric-loaded', 'aria-live': 'polite' }),
    el('p', { class: 'error', role: 'alert', 'data-testid': 'rubric-error', hidden: true }),
    el(
      'div',
      { class: 'rubric-score', 'aria-live': 'polite' },
      el('p', { class: 'rubric-final-line' }, 'Score ', el('strong', { 'data-testid': 'rubric-final', text: '–' }), ' · band ', el('strong', { 'data-testid': 'rubric-band', text: '–' }), ' (', el('span', { 'data-testid': 'rubric-rule' }), ')'),
      el('p', { class: 'rubric-band-meaning', 'data-testid': 'rubric-band-meaning' }),
    ),
    el(
      'table',
      { class: 'rubric-sections', 'data-testid': 'rubric-sections' },
      el('caption', { class: 'visually-hidden', text: 'Score per section' }),
      el(
        'thead',
        {},
        el('tr', {}, ...['Section', 'Score', 'Of', 'Automated', 'Manual', 'Not done', 'N/A', ''].map((h) => el('th', { scope: 'col', text: h }))),
      ),
      el('tbody'),
    ),
    el('div', { class: 'rubric-next', 'data-testid': 'rubric-next-steps-box' }, el('h3', { text: 'Next steps that raise the score most' }), el('ol', { 'data-testid': 'rubric-next-steps' })),
    el('ul', { class: 'rubric-flags', 'data-testid': 'rubric-flags', hidden: true }),
    el('p', { class: 'rubric-evidence-summary', 'data-testid': 'rubric-evidence-summary' }),
    el('div', { class: 'rubric-items', 'data-testid': 'rubric-items' }),
    el('div', { class: 'rubric-sources', 'data-testid': 'rubric-sources' }),
  );
  const select = $(tid('rubric-select'));
  for (const r of listRubrics()) select.append(el('option', { value: r.id, text: `${r.title} (${r.items} items)` }));
  select.addEventListener('change', () => selectRubric(select.value));
  $(tid('rubric-save-json')).addEventListener('click', () => save('json'));
  $(tid('rubric-save-csv')).addEventListener('click', () => save('csv'));
  fileInput.addEventListener('change', () => {
    load(fileInput.files?.[0]);
    fileInput.value = ''; // so picking the same file again reloads it
  });
  // A drop here is an answers file, not a CSV for the drift check: keep it from the page's handler.
  root.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.stopPropagation();
    root.classList.add('dragover');
  });
  root.addEventListener('dragleave', (e) => {
    if (!root.contains(e.relatedTarget)) root.classList.remove('dragover');
  });
  root.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    root.classList.remove('dragover');
    load(e.dataTransfer?.files?.[0]);
  });
}

/**
 * Builds the questionnaire into `element`, once (later calls, such as after a worker
 * restart, do nothing). `module` is the compiled WebAssembly.Module the compute worker
 * hands over; without it the module is fetched.
 */
export function initRubric(element, module) {
  if (wasmReady) return wasmReady;
  root = element;
  root.dataset.state = 'loading';
  wasmReady = (async () => {
    await init({ module_or_path: module ?? new URL('../pkg/modelgate_wasm_bg.wasm', import.meta.url) });
    build();
    selectRubric(listRubrics()[0].id);
    root.dataset.state = 'ready';
  })().catch((e) => {
    root.dataset.state = 'error';
    root.replaceChildren(el('h2', { text: 'Readiness rubric' }), el('p', { class: 'error', role: 'alert', 'data-testid': 'rubric-error', text: `The rubric could not start: ${e?.message ?? e}` }));
  });
  return wasmReady;
}

/** The rubric as last scored, once at least one item is answered (for the page's exports); else null. */
export function rubricReportForExport() {
  return lastScored && lastScored.counts.unanswered < lastScored.counts.items ? lastScored : null;
}

/** Shows this drift report's checks beside the items they bear on. */
export function setRubricDriftReport(report) {
  setRubricSection('drift', report);
}

/** Adds (or, with null, removes) one section of this run's report as evidence. */
export function setRubricSection(name, report) {
  if (report) sections[name] = report;
  else delete sections[name];
  if (wasmReady) wasmReady.then(() => current && rescore());
}
