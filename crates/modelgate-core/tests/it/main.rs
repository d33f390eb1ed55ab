//! Integration tests of modelgate-core: golden statistics and ingest fixtures.

mod chi2;
mod eval;
mod eval_cases;
mod ingest;
mod ks;
mod psi;
