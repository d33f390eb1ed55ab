// <modelgate-report>: renders a saved modelgate report inside any page.
//
//   <script type="module" src="/modelgate/widget/modelgate-report.js"></script>
//   <modelgate-report src="report.json"></modelgate-report>
//
// With `src`, the element fetches that report (same origin, or any origin the host
// page's CSP allows). Without it, the element is a drop zone: drop or pick a report
// JSON exported by the page or by `modelgate report --format json`. The report is
// drawn inside a shadow root, so the host page's styles and the report's never mix.
// Nothing is sent anywhere: a dropped file is read in the browser.

import { renderReport } from '../report/render.js';

// Linked, not inlined: host pages with a strict CSP (no 'unsafe-inline' styles) still work.
const STYLE_URLS = [new URL('../report/report.css', import.meta.url), new URL('./widget.css', import.meta.url)];


class ModelgateReport extends HTMLElement {
  static observedAttributes = ['src'];

  #root;
  #body;
  #loadSeq = 0;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const links = STYLE_URLS.map((url) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = url.href;
      return link;
    });
    this.#body = document.createElement('div');
    this.#body.setAttribute('part', 'body');
    this.#root.append(...links, this.#body);
  }

  connectedCallback() {
    if (!this.hasAttribute('src')) this.#showDropZone();
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'src') {
      if (value) this.#load(value);
      else if (this.isConnected) this.#showDropZone();
    }
  }

  /** Renders a report object directly (for hosts that already hold one). */
  set report(report) {
    this.#render(report);
  }

  async #load(src) {
    const seq = ++this.#loadSeq;
    this.#status('Loading the report…');
    try {
      const response = await fetch(new URL(src, document.baseURI));
      if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
      const report = await response.json();
      if (seq === this.#loadSeq) this.#render(report);
    } catch (e) {
      if (seq === this.#loadSeq) this.#error(`Could not load the report ${src}: ${e.message}`);
    }
  }

  #render(report) {
    try {
      renderReport(this.#body, report);
      this.dataset.state = 'ready';
      this.dispatchEvent(new CustomEvent('modelgate-rendered', { bubbles: true }));
    } catch (e) {
      this.#error(`This does not look like a modelgate report: ${e.message}`);
    }
  }

  #status(text) {
    const p = document.createElement('p');
    p.textContent = text;
    this.#body.replaceChildren(p);
    this.dataset.state = 'loading';
  }

  #error(text) {
    const p = document.createElement('p');
    p.className = 'mg-error';
    p.setAttribute('role', 'alert');
    p.dataset.testid = 'widget-error';
    p.textContent = text;
    this.#body.replaceChildren(p);
    this.dataset.state = 'error';
  }

  #showDropZone() {
    const zone = document.createElement('div');
    zone.className = 'mg-drop';
    zone.dataset.testid = 'widget-drop';
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.hidden = true;
    input.dataset.testid = 'widget-file';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Choose a modelgate report (JSON)…';
    button.addEventListener('click', () => input.click());
    const hint = document.createElement('p');
    hint.textContent = 'or drop it here. The file is read in your browser and sent nowhere.';
    const problem = document.createElement('p');
    problem.className = 'mg-error';
    problem.setAttribute('role', 'alert');
    problem.dataset.testid = 'widget-error';
    problem.hidden = true;
    zone.append(button, input, hint, problem);
    // A bad file leaves the drop zone in place with the reason, ready for the next file.
    const open = async (file) => {
      let report;
      try {
        report = JSON.parse(await file.text());
        renderReport(document.createElement('div'), report);
      } catch (e) {
        problem.textContent = `${file.name}: ${e.message}`;
        problem.hidden = false;
        input.value = '';
        return;
      }
      this.#render(report);
    };
    input.addEventListener('change', () => input.files[0] && open(input.files[0]));
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.dataset.over = '';
    });
    zone.addEventListener('dragleave', () => delete zone.dataset.over);
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      delete zone.dataset.over;
      const file = e.dataTransfer?.files?.[0];
      if (file) open(file);
    });
    this.#body.replaceChildren(zone);
    this.dataset.state = 'empty';
  }
}

if (!customElements.get('modelgate-report')) customElements.define('modelgate-report', ModelgateReport);
