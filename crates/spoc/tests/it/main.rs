//! Black-box tests of the whole service: each starts a real server on a fresh database and talks
//! HTTP to it, once on SQLite and once on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod access;
mod admin;
mod auto_close;
mod bad_input;
mod browser;
mod composer;
mod concurrency;
mod credentials;
mod documents;
mod harness;
mod knowledge;
mod knowledge_ui;
mod lifecycle;
mod live;
mod mail;
mod mail_files;
mod mail_hardening;
mod mailservers;
mod openapi;
mod pagination;
mod principals;
mod queue;
mod rate_limits;
mod resilience;
mod restart;
mod search;
mod session;
mod sla;
mod sops;
mod stale_forms;
mod storage;
mod tenants;
mod text_rules;
mod ticket_links;
mod transitions;
mod ui;
mod ui_cards;
mod ui_composer;
mod ui_mail;
mod ui_pages;
mod ui_people;
mod ui_queue;
mod ui_tickets;
mod workers;
