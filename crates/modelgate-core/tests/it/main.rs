//! Integration tests of modelgate-core: golden statistics, ingest fixtures and rubrics.

mod chi2;
mod contract;
mod drift;
mod edge_cases;
mod eval;
mod eval_cases;
mod hostile;
mod ingest;
mod ks;
mod live;
mod payload;
mod profile;
mod psi;
mod quality;
mod report;
mod rubric;
