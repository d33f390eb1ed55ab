// Writes example/reference.csv: 2,000 seeded rows of a 20-feature credit
// application table, the training data of the worker's example contract and
// live reference. Deterministic (mulberry32), so all three files are reproducible:
//   node worker/example/make-example.mjs
//   cargo run -p modelgate-cli -- contract infer --reference worker/example/reference.csv \
//     --contract-version credit-1 -o worker/contract.json
//   node scripts/worker-reference.mjs worker/example/reference.csv worker/reference.json
import { writeFileSync } from "node:fs";

let seed = 20260426;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const pick = (items, weights) => {
  let u = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((u -= weights[i]) < 0) return items[i];
  return items[items.length - 1];
};
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const round = (v, d) => Number(v.toFixed(d));

const columns = [
  "age", "income", "loan_amount", "loan_term", "interest_rate", "credit_score", "open_accounts",
  "utilization", "delinquencies", "years_employed", "debt_to_income", "home_ownership", "purpose",
  "state", "employment_type", "has_cosigner", "verified_income", "channel", "inquiries_6m",
  "months_since_delinquency",
];
const rows = [columns.join(",")];
for (let i = 0; i < 2000; i++) {
  const age = Math.round(clamp(41 + 12 * normal(), 18, 85));
  const income = round(clamp(Math.exp(10.9 + 0.5 * normal()), 8000, 400000), 2);
  const delinquencies = pick([0, 1, 2, 3, 4], [70, 15, 8, 4, 3]);
  rows.push([
    age,
    income,
    round(clamp(income * (0.1 + 0.3 * random()), 1000, 150000), 2),
    pick([12, 24, 36, 48, 60], [10, 20, 40, 15, 15]),
    round(clamp(11 + 4 * normal(), 2.5, 29.9), 2),
    Math.round(clamp(690 + 60 * normal(), 300, 850)),
    Math.round(clamp(9 + 4 * normal(), 0, 40)),
    round(random() ** 1.5, 3),
    delinquencies,
    round(clamp((age - 18) * random(), 0, 50), 1),
    round(clamp(0.3 + 0.12 * normal(), 0, 1.5), 3),
    pick(["rent", "mortgage", "own", "other"], [40, 40, 17, 3]),
    pick(["debt_consolidation", "credit_card", "home_improvement", "car", "medical", "other"], [45, 20, 12, 10, 5, 8]),
    pick(["CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI"], [12, 9, 7, 7, 4, 4, 4, 3, 3, 3]),
    pick(["salaried", "self_employed", "retired", "unemployed"], [70, 18, 8, 4]),
    pick(["true", "false"], [8, 92]),
    pick(["true", "false"], [60, 40]),
    pick(["web", "mobile", "branch", "partner"], [45, 30, 15, 10]),
    pick([0, 1, 2, 3, 4, 5, 6], [40, 25, 15, 8, 6, 4, 2]),
    delinquencies === 0 ? "" : Math.round(1 + 60 * random()),
  ].join(","));
}
writeFileSync(new URL("reference.csv", import.meta.url), rows.join("\n") + "\n");
console.log(`wrote ${rows.length - 1} rows`);
