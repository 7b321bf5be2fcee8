//! Messages of the admin pages (people, groups, organisations, categories and services, settings, SLA, workers) outside mail.

use super::catalogue;

catalogue! {
    /// A message of the admin pages (people, groups, organisations, categories and services, settings, SLA, workers) outside mail.
    Admin {
    }
}
