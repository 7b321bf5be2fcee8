//! Messages of the knowledge base (desk and editor).

use super::catalogue;

catalogue! {
    /// A message of the knowledge base (desk and editor).
    Knowledge {
    }
}
