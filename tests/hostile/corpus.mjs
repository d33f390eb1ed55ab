// The hostile-input corpus for the JavaScript harnesses (worker, wasm under
// node, the page, the soak script): the manifest and each entry's bytes.
// tests/hostile/make_corpus.py writes the manifest; see it for the format.
import { readFileSync } from "node:fs";

const here = new URL("./", import.meta.url);

/** Every entry of tests/hostile/manifest.json. */
export const entries = JSON.parse(readFileSync(new URL("manifest.json", here), "utf8")).entries;

/** The bytes a `generate` recipe stands for: head + repeat x times + tail. */
export function build(generate) {
  const { head, repeat, times, tail, numbered } = generate;
  let body;
  if (numbered) {
    const parts = new Array(times);
    for (let i = 0; i < times; i++) parts[i] = repeat.replaceAll("{i}", String(i));
    body = parts.join("");
  } else {
    body = repeat.repeat(times);
  }
  return new TextEncoder().encode(head + body + tail);
}

/** An entry's bytes: its committed file, or its recipe built now. */
export function bytesOf(entry) {
  if (entry.file) return new Uint8Array(readFileSync(new URL(entry.file, here)));
  return build(entry.generate);
}

/** The file name an entry is known by in messages. */
export function nameOf(entry) {
  return entry.file ? entry.file.split("/").pop() : entry.generated_name;
}
