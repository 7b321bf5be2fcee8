//! Messages of the customer portal (requests, getting help, help articles, mail links).

use super::catalogue;

catalogue! {
    /// A message of the customer portal (requests, getting help, help articles, mail links).
    Portal {
    }
}
