//! The background workers (`/admin/workers`): each job of the node serving the page, what it is
//! doing, its last success and failure, when it runs next, and which node holds its lease.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use spoc_app::{JobHealth, JobState};

use super::frame::{page, require_admin};
use crate::i18n::admin::Admin;
use crate::i18n::t;
use crate::page::{empty_state, none};
use crate::session::{UiError, Viewer};
use crate::timefmt::{iso, when};
use spoc_http::AppState;

/// The address of the page.
pub(crate) const PATH: &str = "/admin/workers";

/// A job's state in words, and the badge that shows it.
fn state_badge(state: JobState) -> (&'static str, &'static str) {
    match state {
        JobState::Running => (t(Admin::JobRunning), "badge-status-in_progress"),
        JobState::Idle => (t(Admin::JobWaiting), "badge-status-resolved"),
        JobState::BackingOff => (t(Admin::JobBackingOff), "badge-priority-p1"),
        JobState::Stopped => (t(Admin::JobStopped), "badge-status-cancelled"),
    }
}

/// What a job does, in words.
fn describe(name: &str) -> &'static str {
    match name {
        "sla-timers" => t(Admin::JobSlaTimers),
        "mail-delivery" => t(Admin::JobMailDelivery),
        "mail-intake" => t(Admin::JobMailIntake),
        "sop-reviews" => t(Admin::JobSopReviews),
        "auto-close" => t(Admin::JobAutoClose),
        "statistics" => t(Admin::JobStatistics),
        "retention" => t(Admin::JobRetention),
        _ => "",
    }
}

/// `GET /admin/workers`.
pub(super) async fn workers(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let jobs = state.app.workers(&viewer.actor).await?;
    let content = html! {
        div class="page-head" {
            div {
                h1 { (t(Admin::SecWorkers)) }
                p class="muted" { (t(Admin::WorkersIntro)) }
            }
        }
        (table(&jobs))
    };
    Ok(page(
        &viewer,
        PATH,
        t(Admin::SecWorkers),
        StatusCode::OK,
        content,
    ))
}

fn table(jobs: &[JobHealth]) -> Markup {
    let at = |t: Option<spoc_domain::Timestamp>| {
        html! { @match t { Some(t) => time datetime=(iso(t)) { (when(t)) }, None => (none()) } }
    };
    html! {
        @if jobs.is_empty() {
            (empty_state(t(Admin::NoWorkers), t(Admin::NoWorkersText), None))
        } @else {
            div class="table-wrap" { table class="data workers" {
                caption class="visually-hidden" { (t(Admin::WorkersCaption)) }
                thead { tr {
                    th scope="col" { (t(Admin::Job)) } th scope="col" { (t(Admin::State)) } th scope="col" { (t(Admin::LastSuccess)) }
                    th scope="col" { (t(Admin::LastFailure)) } th scope="col" class="num" { (t(Admin::FailuresInARow)) }
                    th scope="col" { (t(Admin::NextRun)) } th scope="col" { (t(Admin::Lease)) }
                } }
                tbody {
                    @for job in jobs {
                        @let (label, badge) = state_badge(job.state);
                        tr {
                            th scope="row" {
                                code { (job.name) }
                                @let what = describe(&job.name);
                                @if !what.is_empty() { br; span class="small muted" { (what) } }
                            }
                            td { span class={ "badge " (badge) } { (label) } }
                            td class="nowrap small" { (at(job.last_success)) }
                            td class="small" {
                                @match &job.last_failure {
                                    Some(f) => {
                                        time datetime=(iso(f.at)) { (when(f.at)) } br;
                                        span class="field-error break" { (f.error) }
                                    }
                                    None => (none()),
                                }
                            }
                            td class="num" { (job.consecutive_failures) }
                            td class="nowrap small" { (at(job.next_run)) }
                            td class="small break" {
                                @if !job.leased { span class="muted" { (t(Admin::NotLeased)) } }
                                @else if let Some(holder) = &job.lease_holder { (t(Admin::HeldBy)) code { (holder) } }
                                @else { span class="muted" { (t(Admin::Free)) } }
                            }
                        }
                    }
                }
            } }
        }
    }
}

#[cfg(test)]
mod tests {
    use spoc_app::JobFailure;
    use spoc_domain::Timestamp;

    use super::*;

    #[test]
    fn each_job_shows_its_state_failure_and_lease() {
        let at = Timestamp::from_micros(1_800_000_000_000_000);
        let mut failing = JobHealth::new("mail-delivery", false);
        failing.state = JobState::BackingOff;
        failing.consecutive_failures = 3;
        failing.last_failure = Some(JobFailure {
            at,
            error: "the relay <refused>".to_owned(),
        });
        let mut leased = JobHealth::new("statistics", true);
        leased.state = JobState::Idle;
        leased.last_success = Some(at);
        leased.lease_holder = Some("node-7".to_owned());
        let html = table(&[failing, leased, JobHealth::new("sop-reviews", true)]).into_string();
        assert!(html.contains("Backing off after a failure"), "{html}");
        assert!(
            html.contains("the relay &lt;refused&gt;"),
            "escaped: {html}"
        );
        assert!(html.contains("Held by <code>node-7</code>"), "{html}");
        assert!(html.contains(">Free<"), "{html}");
        assert!(html.contains("Sends queued e-mail"), "{html}");
        assert!(table(&[]).into_string().contains("No workers running"));
    }

    #[tokio::test]
    async fn the_workers_table_is_written_in_the_readers_language() {
        let mut job = JobHealth::new("mail-delivery", true);
        job.state = JobState::BackingOff;
        job.lease_holder = Some("node-7".to_owned());
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let html = crate::i18n::with_reader(german, async { table(&[job]).into_string() }).await;
        assert!(html.contains("Pausiert nach einem Fehler"), "{html}");
        assert!(html.contains("Gehalten von <code>node-7</code>"), "{html}");
        assert!(html.contains("Sendet wartende E-Mails"), "{html}");
    }
}
