//! The `spoc` binary's library: configuration, the admin commands, the server and the
//! benchmark. `main.rs` only parses the command line and calls in here.

pub mod bench;
pub mod cli;
pub mod config;
pub mod server;
