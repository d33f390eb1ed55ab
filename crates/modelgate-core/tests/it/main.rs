//! Integration tests of modelgate-core: golden statistics and ingest fixtures.

mod ingest;
