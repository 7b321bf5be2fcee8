//! Messages of the agent's ticket pages: the ticket, its actions and forms, the composer, e-mail, checklist, canned responses, search, the lead's home, links, reports, logging a call.

use super::catalogue;

catalogue! {
    /// A message of the agent's ticket pages: the ticket, its actions and forms, the composer, e-mail, checklist, canned responses, search, the lead's home, links, reports, logging a call.
    Desk {
    }
}
