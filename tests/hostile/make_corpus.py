#!/usr/bin/env python3
"""Writes the hostile-input corpus: tests/hostile/files/* and tests/hostile/manifest.json.

This script is the source of truth; the files and the manifest it writes are
committed, and the harnesses (core, CLI, wasm, page, worker) read only the
manifest. Run it again after editing an entry:

    python3 tests/hostile/make_corpus.py

Each entry has an id, a kind (csv | contract | answers | profile | payload |
report), what it is, and the expected outcome:

    "expect": {"error": "<code>", "message": "<substring of the message>"}
    "expect": {"accepted": {...what the result holds...}}

Big inputs are not committed: an entry with "generate" instead of a file is
built at test time as  head + repeat * times + tail  (strings, UTF-8), so the
committed corpus stays small. A harness writes it to a temporary file when it
needs one (the CLI does).
"""
import json
import os
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(ROOT, "files")

ENTRIES = []


def entry(id, kind, what, expect, data=None, generate=None, ext=None, **extra):
    e = {"id": id, "kind": kind, "what": what}
    if data is not None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        ext = ext or {"csv": "csv", "answers": "csv"}.get(kind, "json")
        e["file"] = f"files/{id}.{ext}"
        e["_bytes"] = data
    else:
        e["file"] = None
        e["generate"] = generate
        e["generated_name"] = f"{id}.{ext or ('csv' if kind == 'csv' else 'json')}"
    e.update(extra)
    e["expect"] = expect
    ENTRIES.append(e)


def err(code, message):
    return {"error": code, "message": message}


# ---------------------------------------------------------------- CSV
C = "csv"
entry("csv_empty", C, "a file of zero bytes", err("empty", "the file is empty"), b"")
entry("csv_blank_lines", C, "only blank lines, LF and CRLF", err("empty", "the file is empty"), b"\n\n\r\n\n")
entry(
    "csv_header_only",
    C,
    "a header and no data rows",
    {"accepted": {"rows": 0, "columns": 3, "findings": ["no_rows"]}},
    b"a,b,c\n",
)
entry(
    "csv_header_only_no_newline",
    C,
    "a header without its line break and no rows",
    {"accepted": {"rows": 0, "columns": 3, "findings": ["no_rows"]}},
    b"a,b,c",
)
entry(
    "csv_truncated_mid_quote",
    C,
    "cut inside a quoted field: the quote never closes, so the rest of the file is one field",
    err("ragged_row", "row 2: expected 2 fields as in the header, found 1; a quoted field runs across lines"),
    b'a,b\n1,2\n"unterminated,3\n4,5\n',
)
entry(
    "csv_truncated_mid_row",
    C,
    "cut in the middle of the last row",
    err("ragged_row", "row 2: expected 3 fields as in the header, found 2"),
    b"a,b,c\n1,2,3\n4,5",
)
entry(
    "csv_truncated_mid_utf8",
    C,
    "cut inside a two-byte UTF-8 sequence at the very end",
    err("invalid_utf8", "row 1, column \"b\": invalid UTF-8"),
    b"a,b\n1,caf\xc3",
)
entry(
    "csv_ragged_long",
    C,
    "a row with more fields than the header",
    err("ragged_row", "row 2: expected 2 fields as in the header, found 4"),
    b"a,b\n1,2\n3,4,5,6\n",
)
entry(
    "csv_ragged_short",
    C,
    "a row with fewer fields than the header",
    err("ragged_row", "row 1: expected 3 fields as in the header, found 1"),
    b"a,b,c\nonly\n",
)
entry(
    "csv_invalid_utf8_header",
    C,
    "bytes 0xFF 0xFE in a header name",
    err("invalid_utf8", "header"),
    b"a,\xff\xfeb\n1,2\n",
)
entry(
    "csv_overlong_utf8",
    C,
    "an overlong encoding of '/' (C0 AF), which UTF-8 forbids",
    err("invalid_utf8", "row 1, column \"path\": invalid UTF-8"),
    b"path\n\xc0\xaf\n",
)
entry(
    "csv_utf8_surrogate",
    C,
    "a UTF-16 surrogate encoded as UTF-8 (CESU-8), which UTF-8 forbids",
    err("invalid_utf8", "row 2, column \"s\": invalid UTF-8"),
    b"s\nok\n\xed\xa0\x80\n",
)
entry(
    "csv_latin1",
    C,
    "a Latin-1 file (e-acute as byte E9)",
    err("invalid_utf8", "row 1, column \"city\": invalid UTF-8"),
    b"id,city\n1,Cr\xe9teil\n",
)
entry(
    "csv_nul_in_header",
    C,
    "a NUL byte inside a header name",
    err("binary", "the file contains NUL bytes"),
    b"a\x00,b\n1,2\n",
)
entry(
    "csv_nul_in_field",
    C,
    "a NUL byte in a data field after many clean rows",
    err("binary", "the file contains NUL bytes"),
    b"a,b\n" + b"1,2\n" * 50 + b"3,\x00\n",
)
entry(
    "csv_bom_utf8",
    C,
    "a UTF-8 byte order mark before the header",
    {"accepted": {"rows": 2, "columns": 2, "names": ["a", "b"]}},
    b"\xef\xbb\xbfa,b\n1,2\n3,4\n",
)
entry(
    "csv_bom_utf8_twice",
    C,
    "two UTF-8 byte order marks: both are dropped",
    {"accepted": {"rows": 1, "columns": 2, "names": ["a", "b"]}},
    b"\xef\xbb\xbf\xef\xbb\xbfa,b\n1,2\n",
)
entry(
    "csv_bom_utf16le",
    C,
    "a UTF-16LE file with its byte order mark (NUL bytes between ASCII letters)",
    err("binary", "NUL bytes"),
    "a,b\n1,2\n".encode("utf-16"),
)
entry(
    "csv_bom_utf16be",
    C,
    "a UTF-16BE file with its byte order mark",
    err("binary", "NUL bytes"),
    b"\xfe\xff" + "a,b\n1,2\n".encode("utf-16-be"),
)
entry(
    "csv_bom_utf32le",
    C,
    "a UTF-32LE file with its byte order mark",
    err("binary", "NUL bytes"),
    "a,b\n1,2\n".encode("utf-32"),
)
entry(
    "csv_field_1mb",
    C,
    "a field of exactly 1 MiB, the limit: accepted",
    {"accepted": {"rows": 1, "columns": 2}},
    generate={"head": "id,text\n1,", "repeat": "x", "times": 1 << 20, "tail": "\n"},
)
entry(
    "csv_field_over_limit",
    C,
    "a field one byte over the 1 MiB limit",
    err("field_too_large", "row 1, column \"text\": a field is larger than the 1048576-byte limit"),
    generate={"head": "id,text\n1,", "repeat": "x", "times": (1 << 20) + 1, "tail": "\n"},
)
entry(
    "csv_quoted_field_over_limit",
    C,
    "a quoted field over the limit that never closes (a runaway quote through a big file)",
    err("field_too_large", "a field is larger than the 1048576-byte limit"),
    generate={"head": 'id,text\n1,"', "repeat": "abc,def\n", "times": 140000, "tail": ""},
)
entry(
    "csv_columns_3m",
    C,
    "a header of 3,000,000 columns",
    err("too_many_columns", "header: more than 20000 columns"),
    generate={"head": "", "repeat": "c,", "times": 3000000, "tail": "c\n1\n"},
)
entry(
    "csv_columns_row_3m",
    C,
    "a one-column header and a data row of 3,000,000 fields",
    err("too_many_columns", "row 1: more than 20000 columns"),
    generate={"head": "a\n", "repeat": "1,", "times": 3000000, "tail": "1\n"},
)
entry(
    "csv_delimiters_only",
    C,
    "a header line of nothing but delimiters: the empty names become column_1..column_4",
    {"accepted": {"rows": 1, "columns": 4, "names": ["column_1", "column_2", "column_3", "column_4"]}},
    b",,,\n1,2,3,4\n",
)
entry(
    "csv_duplicate_header",
    C,
    "two columns with one name",
    err("duplicate_column", "column name \"x\" appears twice (columns 1 and 3)"),
    b"x,y,x\n1,2,3\n",
)
entry(
    "csv_extreme_numbers",
    C,
    "1e400, -1e400, 1e-400, -0 and 0x10 in one column",
    {"accepted": {"rows": 5, "columns": 1, "types": {"x": "categorical"}, "findings": ["non_finite"]}},
    b"x\n1e400\n-1e400\n1e-400\n-0\n0x10\n",
)
entry(
    "csv_overflow_numbers",
    C,
    "numbers that overflow to infinity (1e400, -1e400) beside ordinary ones",
    {"accepted": {"rows": 4, "columns": 1, "types": {"x": "numeric"}}},
    b"x\n1.5\n1e400\n-1e400\n2\n",
)
entry(
    "csv_negative_zero",
    C,
    "-0 and -0.0 beside 0",
    {"accepted": {"rows": 3, "columns": 1, "types": {"x": "numeric"}}},
    b"x\n-0\n-0.0\n0\n",
)
entry(
    "csv_hex_numbers",
    C,
    "hexadecimal spellings, which are text, not numbers",
    {"accepted": {"rows": 3, "columns": 1, "types": {"x": "categorical"}}},
    b"x\n0x10\n0xFF\n0x10\n",
)
entry(
    "csv_nan_spellings",
    C,
    "NaN and infinity in every common spelling",
    {"accepted": {"rows": 11, "columns": 1}},
    b"x\nNaN\nnan\nNAN\n-nan\n+NaN\nInf\n-inf\nInfinity\n-Infinity\n1.#IND\n#N/A\n",
)
entry(
    "csv_long_numbers",
    C,
    "numbers 5,000 digits long",
    {"accepted": {"rows": 3, "columns": 1}},
    b"x\n" + b"9" * 5000 + b"\n0." + b"1" * 5000 + b"\n-" + b"7" * 5000 + b"\n",
)
entry(
    "csv_crlf",
    C,
    "CRLF line endings",
    {"accepted": {"rows": 2, "columns": 2, "names": ["a", "b"]}},
    b"a,b\r\n1,2\r\n3,4\r\n",
)
entry(
    "csv_cr_only",
    C,
    "classic Mac line endings (CR only)",
    {"accepted": {"rows": 2, "columns": 2, "names": ["a", "b"]}},
    b"a,b\r1,2\r3,4\r",
)
entry(
    "csv_mixed_line_endings",
    C,
    "LF, CRLF and CR mixed in one file",
    {"accepted": {"rows": 3, "columns": 2}},
    b"a,b\n1,2\r\n3,4\r5,6\n",
)
entry(
    "csv_lone_quote_in_field",
    C,
    "a lone double quote inside an unquoted field",
    {"accepted": {"rows": 2, "columns": 2}},
    b'a,b\n1,ab"c\n2,d\n',
)
entry(
    "csv_lone_quote_field",
    C,
    "a field that is a single double quote: it opens a quoted field that swallows the rest of the file",
    {"accepted": {"rows": 1, "columns": 2}},
    b'a,b\n1,"\n2,3\n',
    note="known gap: csv-core closes a quoted field left open at the end of the file, so the rest of the file "
    "becomes one field; when that leaves the row complete, nothing reports it (see docs/limits.md)",
)
entry(
    "csv_gzip_bytes",
    C,
    "a gzip file given as a CSV",
    err("binary", "the file contains NUL bytes"),
    bytes.fromhex("1f8b0800000000000003cb48cdc9c95728cf2fca49e102003ad3cd4d0c000000"),
)
entry(
    "csv_many_categories",
    C,
    "one text column with 300,000 distinct values (past the 10,000 categories tracked)",
    {"accepted": {"rows": 300000, "columns": 1, "max_tracked_categories": 10000}},
    generate={"head": "user\n", "repeat": "u{i}\n", "times": 300000, "tail": "", "numbered": True},
)

# ---------------------------------------------------------------- contract
K = "contract"
entry("contract_empty", K, "an empty contract file", err("contract", "the contract is empty"), b"")
entry(
    "contract_truncated",
    K,
    "a contract cut in the middle of a field",
    err("contract", "line 1, column 56: invalid JSON: EOF while parsing a string"),
    b'{"format": "modelgate-contract", "format_version": 1, "f',
)
entry(
    "contract_nested_10k",
    K,
    "10,000 nested arrays",
    err("contract", "line 1, column 128: invalid JSON: recursion limit exceeded"),
    generate={"head": "", "repeat": "[", "times": 10000, "tail": "]" * 10000},
)
entry(
    "contract_nested_objects_10k",
    K,
    "10,000 nested objects under a key",
    err("contract", "line 1, column 636: invalid JSON: recursion limit exceeded"),
    generate={"head": "", "repeat": '{"a":', "times": 10000, "tail": "1" + "}" * 10000},
)
entry(
    "contract_unknown_version",
    K,
    "format_version 99, newer than this build reads",
    err("contract", "format_version: format version 99 is newer than this modelgate reads (1)"),
    b'{"format": "modelgate-contract", "format_version": 99, "version": "1", "fields": []}',
)
entry(
    "contract_duplicate_keys",
    K,
    "the same key (\"fields\") twice in the top object: the last one wins",
    {"accepted": {"fields": 1}},
    b'{"format": "modelgate-contract", "format_version": 1, "version": "1", "fields": [], '
    b'"fields": [{"name": "a", "type": "integer"}]}',
)
entry(
    "contract_wrong_types",
    K,
    "fields as a string, not an array",
    err("contract", "fields: expected an array of field objects, found the string \"age\""),
    b'{"format": "modelgate-contract", "format_version": 1, "version": "1", "fields": "age"}',
)
entry(
    "contract_number_1e400",
    K,
    "a minimum of 1e400, beyond f64",
    err("contract", "line 1, column 129: invalid JSON: number out of range"),
    b'{"format": "modelgate-contract", "format_version": 1, "version": "1", "fields": '
    b'[{"name": "a", "type": "number", "minimum": 1e400}]}',
)
entry(
    "contract_nan",
    K,
    "a bare NaN as a maximum, which is not JSON",
    err("contract", "line 1, column 125: invalid JSON: expected value"),
    b'{"format": "modelgate-contract", "format_version": 1, "version": "1", "fields": '
    b'[{"name": "a", "type": "number", "maximum": NaN}]}',
)
entry(
    "contract_invalid_utf8",
    K,
    "a Latin-1 byte in a field name",
    err("invalid_utf8", "line 1, byte 95: not UTF-8 text; save the contract as UTF-8"),
    b'{"format": "modelgate-contract", "format_version": 1, "version": "1", "fields": '
    b'[{"name": "caf\xe9", "type": "string"}]}',
)
entry(
    "contract_huge_array",
    K,
    "100,001 fields in 3.7 MB: a huge array, within the size limit",
    {"accepted": {"fields": 100001}},
    generate={
        "head": '{"format": "modelgate-contract", "format_version": 1, "version": "1", "fields": [',
        "repeat": '{"name": "f{i}", "type": "number"},',
        "times": 100000,
        "tail": '{"name": "last", "type": "number"}]}',
        "numbered": True,
    },
)
entry(
    "contract_oversized",
    K,
    "a contract file over the 16 MiB limit (a 17 MiB description)",
    err("too_large", "17825894 bytes is more than the 16777216-byte limit for a contract file"),
    generate={
        "head": '{"format": "modelgate-contract", "format_version": 1, "version": "1", "description": "',
        "repeat": "x",
        "times": 17 * 1024 * 1024,
        "tail": '", "fields": []}',
    },
)

# ---------------------------------------------------------------- answers
A = "answers"
entry("answers_empty", A, "an empty answers file", err("empty", "the file is empty"), b"")
entry(
    "answers_unknown_id",
    A,
    "an answer for an item the rubric does not have",
    err("unknown_item", "line 3, column \"id\": unknown item id \"data-99\""),
    b"id,status,notes\ndata-1,manual,\ndata-99,automated,\n",
)
entry(
    "answers_duplicate_id",
    A,
    "the same item answered twice",
    err("duplicate_item", "line 4, column \"id\": item \"data-2\" is answered twice (first on line 2)"),
    b"id,status,notes\ndata-2,manual,\ndata-3,manual,\ndata-2,automated,\n",
)
entry(
    "answers_truncated_quote",
    A,
    "cut inside a quoted note: the open quote runs to the end of the file",
    {"accepted": {"answers": 1}},
    b'id,status,notes\ndata-1,manual,"a note that never\ndata-2,automated,\n',
    note="known gap: the open quote swallows the next line into the note, so the row is complete and data-2 is lost",
)
entry(
    "answers_ragged",
    A,
    "a row with more fields than the header",
    err("too_many_fields", "line 2: expected at most 3 fields as in the header, found 5"),
    b"id,status,notes\ndata-1,manual,a,b,c\n",
)
entry(
    "answers_invalid_utf8",
    A,
    "a Latin-1 note",
    err("invalid_utf8", "line 2, byte 18: not UTF-8 text; save the answers as UTF-8"),
    b"id,status,notes\ndata-1,manual,caf\xe9\n",
)
entry(
    "answers_nul",
    A,
    "a NUL byte in a note",
    err("bad_status", "line 2, column \"status\": unknown status"),
    b"id,status,notes\ndata-1,\x00manual,\n",
)
entry(
    "answers_json_deep",
    A,
    "10,000 nested arrays as a JSON answers file",
    err("syntax", "line 1, column 128: not valid JSON: recursion limit exceeded"),
    generate={"head": "", "repeat": "[", "times": 10000, "tail": "]" * 10000},
)
entry(
    "answers_json_wrong_types",
    A,
    "answers as a number and status as an array",
    err("wrong_type", "answers: expected an array of answers"),
    b'{"format": "modelgate-rubric-answers", "version": 1, "rubric": "ml-test-score-2017", "answers": 7}',
    ext="json",
)
entry(
    "answers_json_duplicate_keys",
    A,
    "the same key twice in one answer: the last one wins",
    {"accepted": {"answers": 1}},
    b'{"format": "modelgate-rubric-answers", "version": 1, "rubric": "ml-test-score-2017", '
    b'"answers": [{"id": "data-1", "status": "manual", "status": "automated"}]}',
    ext="json",
)
entry(
    "answers_json_unknown_version",
    A,
    "answers format version 7",
    err("unsupported_format", "version: unsupported answers format version 7"),
    b'{"format": "modelgate-rubric-answers", "version": 7, "rubric": "ml-test-score-2017", "answers": []}',
    ext="json",
)
entry(
    "answers_oversized",
    A,
    "an answers file over the 4 MiB limit (a 5 MiB note)",
    err("too_large", "5242911 bytes is more than the 4194304-byte limit for an answers file"),
    generate={"head": "id,status,notes\ndata-1,manual,", "repeat": "x", "times": 5 * 1024 * 1024, "tail": "\n"},
    ext="csv",
)

# ---------------------------------------------------------------- profile
P = "profile"
entry("profile_empty", P, "an empty profile file", err("profile", "not a JSON profile"), b"")
entry(
    "profile_not_profile",
    P,
    "a JSON object that is not a profile",
    err("profile", "not a modelgate profile"),
    b'{"hello": "world"}',
)
entry(
    "profile_unknown_version",
    P,
    "a profile of version 99",
    err("profile", "unsupported profile version 99"),
    b'{"format": "modelgate-profile", "version": 99}',
)
entry(
    "profile_nested_10k",
    P,
    "10,000 nested objects",
    err("profile", "not a modelgate profile"),
    generate={"head": "", "repeat": '{"a":', "times": 10000, "tail": "1" + "}" * 10000},
)
PROFILE_HEAD = (
    '{"format": "modelgate-profile", "version": 1, "source": "x.csv", "rows": %d, "delimiter": ",", '
    '"options": {"exact_values": 1000000, "exact_budget": 8000000, "sample_rows": 10000}, "columns": ['
)
SAMPLE_EMPTY = '], "sample": {"cap": 10000, "truncated": false, "counts": [], "rows": []}}'


def column(name, rows, extra):
    counts = {
        "rows": rows, "nulls": 0, "nan": 0, "pos_inf": 0, "neg_inf": 0, "numbers": rows,
        "booleans": 0, "datetimes": 0, "text": 0,
    }
    c = {"name": name, "type": "numeric", "counts": counts, "integral": rows}
    c.update(extra)
    return json.dumps(c)


entry(
    "profile_counts_mismatch",
    P,
    "cell counts that do not add up to the rows",
    err("profile", "column \"x\": cell counts do not add up to the rows"),
    (PROFILE_HEAD % 5
     + column("x", 3, {"exact_cap": 1000000, "exact": True, "values": [1, 2, 3], "value_counts": [1, 1, 1],
                       "moments": {"n": 3, "mean": 2, "m2": 2, "min": 1, "max": 3}})
     + SAMPLE_EMPTY),
)
entry(
    "profile_exact_bomb",
    P,
    "a 500-byte profile claiming 2^40 exact copies of one value (would expand to 8 TiB)",
    err("profile", "column \"x\": more exact values than a profile may hold"),
    (PROFILE_HEAD % (1 << 40)
     + column("x", 1 << 40, {"exact_cap": 1 << 50, "exact": True, "values": [1.5], "value_counts": [1 << 40],
                             "moments": {"n": 1 << 40, "mean": 1.5, "m2": 0, "min": 1.5, "max": 1.5}})
     + SAMPLE_EMPTY),
)
entry(
    "profile_exact_bomb_small",
    P,
    "a profile claiming 600 million exact copies of one value (would expand to 4.8 GB)",
    err("profile", "column \"x\": more exact values than a profile may hold"),
    (PROFILE_HEAD % 600_000_000
     + column("x", 600_000_000, {"exact_cap": 1 << 40, "exact": True, "values": [1.5],
                                 "value_counts": [600_000_000],
                                 "moments": {"n": 600_000_000, "mean": 1.5, "m2": 0, "min": 1.5, "max": 1.5}})
     + SAMPLE_EMPTY),
)
entry(
    "profile_bad_sketch",
    P,
    "a quantile sketch with an impossible bucket index",
    err("profile", "malformed profile: invalid sketch bucket at line 1 column 427"),
    (PROFILE_HEAD % 3
     + column("x", 3, {"exact_cap": 2, "exact": False, "sketch": [[4294967295, 3]],
                       "moments": {"n": 3, "mean": 2, "m2": 2, "min": 1, "max": 3}})
     + SAMPLE_EMPTY),
)
entry(
    "profile_bad_hll",
    P,
    "a distinct-count sketch that is not 8192 hex digits",
    err("profile", "distinct_sketch is not 8192 hex digits"),
    (PROFILE_HEAD % 3
     + column("x", 3, {"exact_cap": 10, "exact": True, "values": [1, 2, 3], "value_counts": [1, 1, 1],
                       "moments": {"n": 3, "mean": 2, "m2": 2, "min": 1, "max": 3}, "distinct_sketch": "zz"})
     + SAMPLE_EMPTY),
)
entry(
    "profile_wrong_types",
    P,
    "rows as a string",
    err("profile", "malformed profile: invalid type: string \"many\", expected u64 at line 1 column 79"),
    (PROFILE_HEAD.replace("%d", '"many"') + SAMPLE_EMPTY),
)
entry(
    "profile_oversized",
    P,
    "a profile file over the size limit",
    err("too_large", "300000059 bytes is more than the 268435456-byte limit for a profile file"),
    generate={
        "head": '{"format": "modelgate-profile", "version": 1, "source": "',
        "repeat": "x",
        "times": 300 * 1000 * 1000,
        "tail": '"}',
    },
    slow=True,
)

# ---------------------------------------------------------------- report (evidence JSON)
R = "report"
entry("report_empty", R, "an empty evidence file", err("evidence", "EOF while parsing a value at line 1 column 0"), b"")
entry(
    "report_nested_10k",
    R,
    "10,000 nested arrays as evidence",
    err("evidence", "invalid type: sequence"),
    generate={"head": "", "repeat": "[", "times": 10000, "tail": "]" * 10000},
)
entry(
    "report_wrong_types",
    R,
    "a drift entry that is a number",
    err("evidence", "invalid type: integer `5`, expected struct DriftEvidence at line 1 column 11"),
    b'{"drift": 5}',
)
entry(
    "report_unknown_key",
    R,
    "a key evidence does not have",
    err("evidence", "unknown field `drfit`, expected one of"),
    b'{"drfit": {}}',
)
entry(
    "report_number_1e400",
    R,
    "a baseline score of 1e400",
    err("evidence", "number out of range at line 1 column 71"),
    b'{"baseline": {"metric": "auc", "higher_is_better": true, "model": 1e400, "baseline": 0.7}}',
)
entry(
    "report_duplicate_keys",
    R,
    "the baseline entry twice",
    err("evidence", "duplicate field `baseline` at line 1 column 99"),
    b'{"baseline": {"metric": "auc", "higher_is_better": true, "model": 0.9, "baseline": 0.7}, '
    b'"baseline": {"metric": "auc", "higher_is_better": true, "model": 0.1, "baseline": 0.7}}',
)

# ---------------------------------------------------------------- payload
L = "payload"
REC = {
    "age": 30, "income": 50000.0, "loan_amount": 10000.0, "loan_term": 36, "interest_rate": 7.5,
    "credit_score": 700, "open_accounts": 5, "utilization": 0.3, "delinquencies": 0, "years_employed": 4.0,
    "debt_to_income": 0.2, "home_ownership": "rent", "purpose": "credit_card", "state": "NY",
    "employment_type": "salaried", "has_cosigner": False, "verified_income": True, "channel": "branch",
    "inquiries_6m": 1,
}
ONE = json.dumps(REC)

entry("payload_empty", L, "an empty body", err("empty_body", "body: the body is empty"), b"")
entry("payload_whitespace", L, "a body of spaces and newlines", err("empty_body", "the body is empty"), b"  \n\t\r\n ")
entry(
    "payload_valid_object",
    L,
    "one valid record (the control case)",
    {"accepted": {"format": "json_object", "records": 1, "violations": 0}},
    ONE,
)
entry(
    "payload_nested_10k",
    L,
    "10,000 nested arrays",
    err("too_deep", "body: line 1, column 33: arrays and objects are nested deeper than the limit of 32"),
    generate={"head": "", "repeat": "[", "times": 10000, "tail": "]" * 10000},
)
entry(
    "payload_nested_objects_10k",
    L,
    "10,000 nested objects",
    err("too_deep", "body: line 1, column 161: arrays and objects are nested deeper than the limit of 32"),
    generate={"head": "", "repeat": '{"a":', "times": 10000, "tail": "1" + "}" * 10000},
)
entry(
    "payload_nested_33",
    L,
    "a record nested 33 deep inside one feature, one past the limit",
    err("too_deep", "body: line 1, column 40: arrays and objects are nested deeper than the limit of 32"),
    generate={"head": '{"age": ', "repeat": "[", "times": 32, "tail": "]" * 32 + "}"},
)
entry(
    "payload_deep_in_string",
    L,
    "10,000 brackets inside a string (not nesting)",
    {"accepted": {"format": "json_object", "records": 1, "violations": 19}},
    generate={"head": '{"age": 30, "note": "', "repeat": "[{", "times": 10000, "tail": '"}'},
)
entry(
    "payload_duplicate_keys",
    L,
    "the same feature twice in one record (gate and model could each read a different one)",
    err("malformed_json", "line 1, column 412: malformed JSON: the key \"age\" appears twice in one object"),
    ONE[:-1] + ', "age": 99}',
)
entry(
    "payload_duplicate_envelope_keys",
    L,
    "\"instances\" twice",
    err("malformed_json", "the key \"instances\" appears twice in one object"),
    '{"instances": [%s], "instances": []}' % ONE,
)
entry(
    "payload_huge_array",
    L,
    "20,000 records, past the 10,000-record limit",
    err("too_many_records", "body: 20000 records is more than the limit of 10000"),
    generate={"head": "[", "repeat": "{},", "times": 19999, "tail": "{}]"},
)
entry(
    "payload_huge_instances",
    L,
    "20,000 instances, past the 10,000-record limit",
    err("too_many_records", "body: 20000 records is more than the limit of 10000"),
    generate={"head": '{"instances": [', "repeat": "1,", "times": 19999, "tail": "1]}"},
)
entry(
    "payload_oversized",
    L,
    "a body of 2 MB, past the 1 MiB limit",
    err("body_too_large", "more than the 1048576-byte limit"),
    generate={"head": '{"age": 30, "note": "', "repeat": "x", "times": 2000000, "tail": '"}'},
)
entry(
    "payload_1e400",
    L,
    "a number beyond f64 (1e400)",
    err("malformed_json", "body: line 1, column 27: malformed JSON: number out of range"),
    '{"age": 30, "income": 1e400}',
)
entry(
    "payload_neg_1e400",
    L,
    "-1e400",
    err("malformed_json", "body: line 1, column 28: malformed JSON: number out of range"),
    '{"age": 30, "income": -1e400}',
)
entry(
    "payload_negative_zero",
    L,
    "-0 as a feature",
    {"accepted": {"format": "json_object", "records": 1, "violations": 1}},
    ONE.replace('"delinquencies": 0', '"delinquencies": -0').replace('"age": 30', '"age": -0'),
)
entry(
    "payload_hex_number",
    L,
    "0x10, which JSON does not have",
    err("malformed_json", "body: line 1, column 10: malformed JSON: expected `,` or `}`"),
    '{"age": 0x10}',
)
entry("payload_nan", L, "a bare NaN", err("malformed_json", "body: line 1, column 9: malformed JSON: expected value; NaN is not JSON"), '{"age": NaN}')
entry("payload_infinity", L, "a bare -Infinity", err("malformed_json", "body: line 1, column 10: malformed JSON: invalid number; Infinity is not JSON"), '{"age": -Infinity}')
entry(
    "payload_long_number",
    L,
    "a 5,000-digit integer",
    err("malformed_json", "body: line 1, column 5008: malformed JSON: number out of range"),
    '{"age": ' + "9" * 5000 + "}",
)
entry(
    "payload_long_fraction",
    L,
    "a 5,000-digit fraction, which rounds to a float",
    {"accepted": {"format": "json_object", "records": 1, "violations": 19}},
    '{"age": 0.' + "3" * 5000 + "}",
)
entry(
    "payload_invalid_utf8",
    L,
    "a Latin-1 byte in a string",
    err("malformed_json", "line 1, column 15: malformed JSON: invalid unicode code point"),
    b'{"state": "caf\xe9"}',
)
entry(
    "payload_truncated_utf8",
    L,
    "cut inside a multi-byte character",
    err("malformed_json", "body: line 1, column 13: malformed JSON: EOF while parsing a string"),
    b'{"state": "\xe2\x82',
)
entry(
    "payload_lone_surrogate",
    L,
    "an escaped lone surrogate in a string",
    err("malformed_json", "line 1, column 18: malformed JSON"),
    '{"state": "\\ud800"}',
)
entry(
    "payload_raw_nul",
    L,
    "a raw NUL byte inside a string",
    err("malformed_json", "body: line 1, column 13: malformed JSON: control character"),
    b'{"state": "N\x00Y"}',
)
entry(
    "payload_escaped_nul",
    L,
    "an escaped NUL (\\u0000) inside a string: valid JSON",
    {"accepted": {"format": "json_object", "records": 1, "violations": 1}},
    ONE.replace('"NY"', '"N\\u0000Y"'),
)
entry(
    "payload_bom",
    L,
    "a UTF-8 byte order mark before the JSON",
    err("malformed_json", "body: line 1, column 1: malformed JSON: expected value"),
    b"\xef\xbb\xbf" + ONE.encode(),
)
entry(
    "payload_truncated",
    L,
    "a body cut in the middle of a record",
    err("malformed_json", "body: line 1, column 40: malformed JSON: EOF while parsing a string"),
    ONE[:40],
)
entry(
    "payload_trailing_garbage",
    L,
    "a valid record followed by more bytes",
    err("malformed_json", "body: line 1, column 408: malformed JSON: trailing characters"),
    ONE + " {}",
)
entry(
    "payload_scalar",
    L,
    "a bare number",
    err("unknown_shape", "body: a number is not an accepted shape"),
    "42",
)
entry(
    "payload_null",
    L,
    "null",
    err("unknown_shape", "body: null is not an accepted shape"),
    "null",
)
entry(
    "payload_wrong_types",
    L,
    "instances as a string",
    err("invalid_payload", "instances: expected an array of instances, found the string \"all of them\""),
    '{"instances": "all of them"}',
)
entry(
    "payload_instances_mixed",
    L,
    "instances mixing objects and arrays",
    err("invalid_payload", "instances[1]: is an array but instances[0] is an object"),
    '{"instances": [%s, [1, 2]]}' % ONE,
)
entry(
    "payload_open_inference_shape_overflow",
    L,
    "an Open Inference tensor whose shape multiplies past 2^64",
    err("too_many_records", "4294967296 records is more than the limit of 10000"),
    '{"inputs": [{"name": "age", "shape": [4294967296, 4294967296, 4294967296], "datatype": "INT64", "data": [1]}]}',
)
entry(
    "payload_open_inference_huge_shape",
    L,
    "an Open Inference tensor declaring a billion elements with one given",
    err("too_many_records", "1000000000 records is more than the limit of 10000"),
    '{"inputs": [{"name": "age", "shape": [1000000000], "datatype": "INT64", "data": [1]}]}',
)
entry(
    "payload_open_inference_bad_datatype",
    L,
    "an Open Inference tensor with a datatype it does not hold",
    err("invalid_payload", "inputs[0].data: element 0 is the string \"yes\" but the datatype is BOOL"),
    '{"inputs": [{"name": "age", "shape": [1], "datatype": "BOOL", "data": ["yes"]}]}',
)
entry(
    "payload_dataframe_split_ragged",
    L,
    "a dataframe_split row of the wrong width",
    err("invalid_payload", "dataframe_split.data[1]: holds 1 value but there are 2 columns"),
    '{"dataframe_split": {"columns": ["age", "income"], "data": [[30, 1.0], [31]]}}',
)
entry(
    "payload_dataframe_split_many_columns",
    L,
    "a dataframe_split of 100,000 columns and no data",
    {"accepted": {"format": "dataframe_split", "records": 0, "violations": 0}},
    generate={"head": '{"dataframe_split": {"columns": [', "repeat": '"c{i}",', "times": 99999,
              "tail": '"last"], "data": []}}', "numbered": True},
)
entry(
    "payload_inputs_columnar_ragged",
    L,
    "a columnar inputs object whose columns differ in length",
    err("invalid_payload", "inputs.income: has 1 value but inputs.age has 2"),
    '{"inputs": {"age": [30, 31], "income": [1.0]}}',
)
entry(
    "payload_two_envelopes",
    L,
    "instances and inputs in one body",
    err("invalid_payload", "body: has both \"instances\" and \"inputs\""),
    '{"instances": [%s], "inputs": {"age": [1]}}' % ONE,
)
entry(
    "payload_dataframe_records_not_objects",
    L,
    "dataframe_records holding a number among the rows",
    err("invalid_payload", "dataframe_records[1]: is a number but dataframe_records[0] is an object"),
    '{"dataframe_records": [%s, 7]}' % ONE,
)
entry(
    "payload_positional_wrong_width",
    L,
    "a JSON array of rows of values, one row too short for the contract's 20 features",
    err("invalid_payload", "body[0]: holds 3 values but the feature order has 20 names"),
    "[[30, 50000.0, 10000.0]]",
)
entry(
    "payload_inputs_rows_ragged",
    L,
    "inputs as rows of values of different widths (the first already too narrow for the contract)",
    err("invalid_payload", "inputs[0]: holds 2 values but the feature order has 20 names"),
    '{"inputs": [[1, 2], [1, 2, 3]]}',
)
entry(
    "payload_open_inference_missing_datatype",
    L,
    "an Open Inference tensor without its datatype",
    err("invalid_payload", "inputs[0]: has no \"datatype\""),
    '{"inputs": [{"name": "age", "shape": [1], "data": [30]}]}',
)
entry(
    "payload_open_inference_negative_dim",
    L,
    "an Open Inference tensor with a negative dimension",
    err("invalid_payload", "inputs[0].shape[0]: expected a whole number of zero or more, found the number -1"),
    '{"inputs": [{"name": "age", "shape": [-1], "datatype": "INT64", "data": [30]}]}',
)
entry(
    "payload_open_inference_nested_mismatch",
    L,
    "nested Open Inference data that does not follow its shape",
    err("invalid_payload", "inputs[0].data[1]: holds 1 entry where the shape needs 2"),
    '{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2], [3]]}]}',
)
entry(
    "payload_open_inference_int_overflow",
    L,
    "an INT8 tensor holding 300",
    err("invalid_payload", "inputs[0].data: element 0 is the number 300 but the datatype is INT8"),
    '{"inputs": [{"name": "age", "shape": [1], "datatype": "INT8", "data": [300]}]}',
)
entry(
    "payload_dataframe_split_no_columns",
    L,
    "a dataframe_split without columns",
    err("invalid_payload", "dataframe_split: has no \"columns\""),
    '{"dataframe_split": {"data": [[1]]}}',
)
entry(
    "payload_many_keys",
    L,
    "one record of 50,000 unknown features",
    {"accepted": {"format": "json_object", "records": 1, "violations": 50019}},
    generate={"head": "{", "repeat": '"k{i}": 1,', "times": 49999, "tail": '"last": 1}', "numbered": True},
)


def build(e):
    g = e["generate"]
    if g.get("numbered"):
        body = "".join(g["repeat"].replace("{i}", str(i)) for i in range(g["times"]))
    else:
        body = g["repeat"] * g["times"]
    return (g["head"] + body + g["tail"]).encode("utf-8")


def main():
    shutil.rmtree(FILES, ignore_errors=True)
    os.makedirs(FILES)
    manifest = []
    seen = set()
    for e in ENTRIES:
        assert e["id"] not in seen, e["id"]
        seen.add(e["id"])
        data = e.pop("_bytes", None)
        if data is not None:
            with open(os.path.join(ROOT, e["file"]), "wb") as f:
                f.write(data)
        manifest.append(e)
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(
            {
                "about": "hostile inputs for every level; written by tests/hostile/make_corpus.py (see it for the format)",
                "entries": manifest,
            },
            f,
            indent=1,
            ensure_ascii=True,
        )
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(FILES, n)) for n in os.listdir(FILES))
    kinds = {}
    for e in manifest:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    print(f"{len(manifest)} entries {kinds}; committed files {total} bytes")


if __name__ == "__main__":
    main()
