//! Crash points for the restart tests: `SPOC_FAILPOINT=NAME` makes the process abort at the
//! named point, as a power cut or `kill -9` would, so the tests can prove that nothing
//! acknowledged is lost and nothing is sent twice with different identities. Unset (always, in
//! production) every point is a no-op.

use std::sync::OnceLock;

/// The point named in `SPOC_FAILPOINT`, read once.
fn armed() -> Option<&'static str> {
    static ARMED: OnceLock<Option<String>> = OnceLock::new();
    ARMED
        .get_or_init(|| {
            std::env::var("SPOC_FAILPOINT")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .as_deref()
}

/// Aborts the process if `name` is the armed point.
pub fn hit(name: &str) {
    if armed() == Some(name) {
        tracing::error!(
            failpoint = name,
            "failpoint reached: aborting as a crash would"
        );
        std::process::abort();
    }
}
