// Small DOM and formatting helpers shared by the page's modules (not by web/report/,
// which the HTML export inlines and which therefore imports nothing).

export const $ = (selector, root = document) => root.querySelector(selector);
export const byTestId = (id, root = document) => $(`[data-testid="${id}"]`, root);

/**
 * An element with attributes and children. `class` sets the class name, `text` the
 * text content; null, undefined and false attributes and children are left out,
 * and `true` makes an empty (boolean) attribute.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export const formatCount = (n) => Number(n).toLocaleString('en-US');
export const plural = (n, word) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * `fn` at most once every `ms` milliseconds: the first call runs at once, and calls
 * within the interval fold into one later call with the latest arguments; `cancel()`
 * drops that pending call. For progress: every redraw costs the page's main thread a
 * frame (style, layout, paint), taken from the workers reading the file on the same
 * cores. Drawn once per MiB read, the two zones' bars took the main thread 280-420 ms
 * of work while the benchmark pair was read (in 0.75 s); drawn every 200 ms, 180-240 ms.
 */
function throttle(fn, ms) {
  let last = -Infinity;
  let timer = null;
  let pending = null;
  const run = () => {
    timer = null;
    last = performance.now();
    const args = pending;
    pending = null;
    fn(...args);
  };
  const call = (...args) => {
    pending = args;
    if (timer !== null) return;
    const wait = last + ms - performance.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  call.cancel = () => {
    clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return call;
}

/**
 * Per role of `files` (role -> the file object a zone shows), a progress drawer
 * throttled to every `ms`: `draw(role, file, msg)` runs only while `file` is still
 * that role's file and loading, since it may have loaded, failed, been cancelled or
 * been replaced before a deferred draw comes due. Each drawer has `cancel()`.
 */
export function progressDrawers(files, draw, ms = 200) {
  return Object.fromEntries(
    Object.keys(files).map((role) => [
      role,
      throttle((file, msg) => {
        if (files[role] === file && file.status === 'loading') draw(role, file, msg);
      }, ms),
    ]),
  );
}
