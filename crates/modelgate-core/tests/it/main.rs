//! Integration tests of modelgate-core: golden statistics and ingest fixtures.

mod chi2;
mod contract;
mod ingest;
mod ks;
mod live;
mod payload;
mod psi;
mod quality;
