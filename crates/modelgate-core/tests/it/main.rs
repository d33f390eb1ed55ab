//! Integration tests of modelgate-core: golden statistics and ingest fixtures.

mod chi2;
mod drift;
mod edge_cases;
mod ingest;
mod ks;
mod profile;
mod psi;
