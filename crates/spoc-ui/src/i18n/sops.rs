//! Messages of the SOP pages (list, editor, text, settings, reports).

use super::catalogue;

catalogue! {
    /// A message of the SOP pages (list, editor, text, settings, reports).
    Sops {
    }
}
