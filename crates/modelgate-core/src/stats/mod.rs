//! Statistics behind the drift checks.
//!
//! Each function takes plain slices or counts and returns plain numbers, so the
//! same code serves the native CLI, the browser and the edge worker. Every
//! function here is checked against scipy, numpy or Evidently through the golden
//! fixtures in `tests/data/golden/`, which `tests/golden/generate.py` and
//! `tests/golden/generate_drift.py` regenerate. `docs/drift-methods.md` states
//! each formula once.

pub mod binning;
pub mod chi2;
pub mod corr;
pub mod distance;
pub mod ks;
pub mod psi;
