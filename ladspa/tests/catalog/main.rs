//! The isolated scan and the catalog, through real worker processes (this test binary, started
//! again as a worker by the crate's own hook) and real plugin files, lethal ones included.

#[path = "../common/mod.rs"]
mod common;

mod cache;
mod equality;
mod lethal;
mod resolve;
mod scratch;
mod worker_command;
