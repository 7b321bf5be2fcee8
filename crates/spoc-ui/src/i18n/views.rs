//! Messages of the views shared by pages: the history (timeline), ticket rows, attachments, uploads, live updates.

use super::catalogue;

catalogue! {
    /// A message of the views shared by pages: the history (timeline), ticket rows, attachments, uploads, live updates.
    Views {
    }
}
