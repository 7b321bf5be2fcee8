//! The service desk's rules, as plain Rust: tickets and their lifecycle, priority from impact and
//! urgency, resolver groups and tiers, who may see and do what, and the events that record every
//! change.
//!
//! Nothing here does I/O, reads a clock or knows about SQL or HTTP: callers pass the current time
//! and the facts a decision needs, and get back the new state plus the events to persist.

pub mod access;
pub mod audit;
pub mod auto_close;
pub mod calendar;
pub mod canned;
pub mod credential;
pub mod document;
pub mod event;
pub mod ids;
pub mod knowledge;
pub mod lifecycle;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod org;
pub mod priority;
pub mod retention;
pub mod sla;
pub mod sop;
pub mod tenant;
pub mod text;
pub mod ticket;
pub mod time;
pub mod user;

pub use ids::DirectoryId;
pub use ids::{
    ArticleId, AttachmentId, CalendarId, CannedResponseId, CategoryId, EventId, GroupId, InboundId,
    MailboxId, NotificationId, OrganizationId, OutboxId, PolicyId, ServiceId, SopId, SopReviewId,
    TicketId, TokenId, UserId,
};
pub use tenant::TenantId;
pub use text::ValidationError;
pub use time::Timestamp;
