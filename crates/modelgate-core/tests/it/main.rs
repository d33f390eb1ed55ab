//! Integration tests of modelgate-core: golden statistics, ingest fixtures and rubrics.

mod chi2;
mod eval;
mod eval_cases;
mod ingest;
mod ks;
mod psi;
mod rubric;
