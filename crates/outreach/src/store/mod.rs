//! The outreach slice's tables, one module per concept.

pub mod campaigns;
pub mod enrollments;
pub mod inboxes;
pub mod mailboxes;
pub mod messages;
pub mod replies;
pub mod settings;
pub mod suppressions;
