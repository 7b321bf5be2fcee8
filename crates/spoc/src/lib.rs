//! The `spoc` binary's library: configuration, the admin commands, the server with its mail
//! workers (SMTP delivery, IMAP polling), and the benchmark. `main.rs` only parses the command line and calls in here.

pub mod bench;
pub mod cli;
pub mod config;
pub mod failpoint;
pub mod mail;
pub mod secrets;
pub mod server;
pub mod tenant_cli;
