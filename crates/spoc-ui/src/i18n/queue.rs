//! Messages of the queues: filters, views, columns, bulk actions.

use super::catalogue;

catalogue! {
    /// A message of the queues: filters, views, columns, bulk actions.
    Queue {
    }
}
