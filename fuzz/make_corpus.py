#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from tests/data/.

Each seed is small: the fuzzer mutates from them, it does not need whole files.
Targets that read leading control bytes (chunk size, rubric choice, options)
get them prepended here. Profiles are written by the CLI
(MODELGATE=path/to/modelgate, default target/release/modelgate).

Run from the repository root: python3 fuzz/make_corpus.py
"""
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_SEED = 4096


def data(pattern):
    return sorted(glob.glob(os.path.join(ROOT, "tests", "data", pattern), recursive=True))


def head(path, limit=MAX_SEED):
    """The file, or its first lines up to about `limit` bytes."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) <= limit:
        return raw
    cut = raw.rfind(b"\n", 0, limit)
    return raw[: cut + 1 if cut > 0 else limit]


def write(target, seeds):
    out = os.path.join(CORPUS, target)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for seed in seeds:
        name = hashlib.sha1(seed).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed)


csvs = data("ingest/*.csv") + data("quality/*/*.csv") + data("contract/infer/*.csv")
# csv_ingest: chunk-size byte, split byte, then the file.
write("csv_ingest", [bytes([i % 7 * 37, 128]) + head(p) for i, p in enumerate(csvs)])

# eval_table: chunk-size byte, then the head of a prediction file.
write("eval_table", [bytes([i * 41 % 256]) + head(p) for i, p in enumerate(data("eval/*.csv"))])

contracts = data("contract/*.contract.json") + data("contract/infer/*.json") + data("contract/invalid/*.json")
write("contract_parse", [head(p) for p in contracts if not p.endswith("errors.expected.json")])

# rubric_answers: the rubric byte (0: ml-test-score-2017, 1: ml-test-score-2016), then the file.
answers = [p for p in data("rubric/answers/*") if not p.endswith(".expected.json")]
write("rubric_answers", [bytes([1 if "2016" in p else 0]) + head(p) for p in answers])

payloads = [p for p in data("payload/*.json") if not p.endswith((".expected.json", ".options.json"))]
# payload: the options byte (0: default, 1: the contract's names, 2: small limits), then the body.
write("payload", [bytes([i % 3]) + head(p) for i, p in enumerate(payloads)])

# validate: records from the contract cases (one each, and all of them as an array), and payload bodies.
import json

records = []
for path in data("contract/*.cases.json"):
    with open(path) as f:
        cases = json.load(f)
    records += [json.dumps(c["record"], ensure_ascii=False).encode() for c in cases if "record" in c]
    records.append(json.dumps([c["record"] for c in cases if "record" in c], ensure_ascii=False).encode())
write("validate", records + [head(p) for p in payloads[:20]])

# profile_file: profiles of small CSVs written by the CLI, exact and sketched.
cli = os.environ.get("MODELGATE", os.path.join(ROOT, "target", "release", "modelgate"))
profiles = []
with tempfile.TemporaryDirectory() as tmp:
    for i, p in enumerate(data("quality/*/reference.csv")[:6] + data("ingest/basic_comma.csv") + data("ingest/nulls_nan_inf.csv")):
        for exact in ("1000", "3"):
            out = os.path.join(tmp, f"{i}-{exact}.json")
            r = subprocess.run([cli, "profile", "-i", p, "-o", out, "--exact-values", exact, "--sample-rows", "5"],
                               capture_output=True)
            if r.returncode == 0:
                profiles.append(head(out, 16384))
write("profile_file", profiles)
