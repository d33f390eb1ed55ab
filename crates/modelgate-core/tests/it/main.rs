//! Integration tests of modelgate-core: golden statistics, ingest fixtures and rubrics.

mod chi2;
mod contract;
mod eval;
mod eval_cases;
mod ingest;
mod ks;
mod live;
mod payload;
mod psi;
mod quality;
mod rubric;
