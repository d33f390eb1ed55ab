//! Statistics behind the drift checks.
//!
//! Each function takes plain slices or counts and returns plain numbers, so the
//! same code serves the native CLI, the browser and the edge worker. Every
//! function here is checked against scipy or numpy through the golden fixtures
//! in `tests/data/golden/`, which `tests/golden/generate.py` regenerates.

pub mod chi2;
pub mod ks;
pub mod psi;
