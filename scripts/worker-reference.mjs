#!/usr/bin/env node
// Builds the edge worker's live drift reference from training data: quantile
// bins of each numeric column and the categories of each categorical one, the
// counts that live traffic is compared with (see docs/worker.md).
//   node scripts/worker-reference.mjs train.csv [out.json] [--bins 10] [--max-categories 50]
// Writes to stdout without out.json. Needs worker/pkg (bash scripts/build-wasm.sh worker).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const options = {};
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--bins") options.bins = Number(args[++i]);
  else if (args[i] === "--max-categories") options.max_categories = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length < 1 || files.length > 2) {
  console.error("usage: node scripts/worker-reference.mjs train.csv [out.json] [--bins 10] [--max-categories 50]");
  process.exit(2);
}
const pkg = new URL("../worker/pkg/", import.meta.url);
const mg = await import(new URL("modelgate_wasm.js", pkg));
mg.initSync({ module: readFileSync(fileURLToPath(new URL("modelgate_wasm_bg.wasm", pkg))) });

try {
  const [input, output] = files;
  const ingest = new mg.CsvIngest(input.split("/").pop());
  ingest.push(readFileSync(input));
  const reference = mg.liveReference(ingest.finish(), options);
  if (output) writeFileSync(output, reference + "\n");
  else process.stdout.write(reference + "\n");
} catch (e) {
  console.error(`worker-reference: ${e.message}`);
  process.exit(2);
}
