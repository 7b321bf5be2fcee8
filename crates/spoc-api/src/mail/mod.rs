//! The e-mail channel over HTTP: mailboxes, delivery of one raw message (for an MTA), the inbound
//! log with held and quarantined messages, the outbox and its dead letters, organisation domain
//! rules, each person's notification preferences, and ticket attachments.

pub mod dto;
pub mod relay;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing;
use spoc_app::{ImapSecurity, ImapSettings, InboundOutcome, MailboxInput, OutboxState, Release};
use spoc_domain::mail::{NonParticipants, UnknownSenders};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{
    AttachmentId, InboundId, MailboxId, OrganizationId, OutboxId, TicketId, ValidationError,
};
use spoc_http::AppState;
use spoc_http::download::{download, serve_attachment};
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{
    Administrator, ApiBytes, ApiJson, ApiPath, ApiQuery, Authenticated, parse_json,
};

use self::dto::*;

/// The largest message `POST /api/v1/mail/inbound` takes.
pub use spoc_http::MAX_MESSAGE_BYTES;

/// The routes of this feature under `/api/v1`: mailboxes, delivery, the inbound log, the outbox, domains, preferences and attachments.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/mailboxes",
            routing::get(list_mailboxes).post(create_mailbox),
        )
        .route(
            "/mailboxes/{id}",
            routing::get(get_mailbox).put(update_mailbox),
        )
        .route(
            "/mail/inbound",
            routing::post(deliver).layer(axum::extract::DefaultBodyLimit::max(MAX_MESSAGE_BYTES)),
        )
        .route("/inbound-messages", routing::get(list_inbound))
        .route("/inbound-messages/{id}", routing::get(get_inbound))
        .route("/inbound-messages/{id}/raw", routing::get(inbound_raw))
        .route(
            "/inbound-messages/{id}/actions/{action}",
            routing::post(release_inbound),
        )
        .route(
            "/settings/mail-authentication",
            routing::get(get_mail_authentication).put(put_mail_authentication),
        )
        .route("/outbox", routing::get(list_outbox))
        .route("/outbox/{id}/actions/retry", routing::post(retry_outbox))
        .route(
            "/organizations/{id}/email-domains",
            routing::get(get_domains).put(put_domains),
        )
        .route(
            "/me/notification-preferences",
            routing::get(get_preferences).put(put_preferences),
        )
        .route("/tickets/{id}/attachments", routing::get(list_attachments))
        .route("/attachments/{id}", routing::get(get_attachment))
        .merge(relay::routes())
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_mailboxes,
    create_mailbox,
    get_mailbox,
    update_mailbox,
    deliver,
    list_inbound,
    get_inbound,
    inbound_raw,
    release_inbound,
    list_outbox,
    retry_outbox,
    get_domains,
    put_domains,
    get_mail_authentication,
    put_mail_authentication,
    get_preferences,
    put_preferences,
    list_attachments,
    get_attachment
))]
pub struct Operations;

impl MailboxInputDto {
    fn into_input(self) -> Result<MailboxInput, ValidationError> {
        let imap = match self.imap_host {
            Some(host) if !host.trim().is_empty() => {
                let security = match self.imap_security.as_deref() {
                    None => ImapSecurity::Tls,
                    Some(s) => ImapSecurity::parse(s).ok_or_else(|| {
                        ValidationError::new("imap_security", "must be one of: tls, starttls")
                    })?,
                };
                Some(ImapSettings {
                    host: host.trim().to_owned(),
                    port: self.imap_port.unwrap_or(match security {
                        ImapSecurity::Tls => 993,
                        ImapSecurity::StartTls => 143,
                    }),
                    security,
                    username: self.imap_username.unwrap_or_default(),
                    password: self.imap_password.unwrap_or_default(),
                    ca_certificate: self.ca_certificate.filter(|c| !c.trim().is_empty()),
                })
            }
            _ => None,
        };
        Ok(MailboxInput {
            name: self.name.trim().to_owned(),
            address: self.address.trim().to_lowercase(),
            enabled: self.enabled,
            imap,
            folder: self.folder.unwrap_or_else(|| "INBOX".to_owned()),
            processed_folder: self.processed_folder.filter(|f| !f.trim().is_empty()),
            unknown_senders: match self.unknown_senders.as_deref() {
                None => UnknownSenders::Create,
                Some(v) => UnknownSenders::parse(v)?,
            },
            non_participants: match self.non_participants.as_deref() {
                None => NonParticipants::NewTicket,
                Some(v) => NonParticipants::parse(v)?,
            },
            ticket_kind: match self.ticket_kind.as_deref() {
                None => TicketKind::Incident,
                Some(v) => TicketKind::parse(v)?,
            },
            poll_seconds: self.poll_seconds.unwrap_or(60),
        })
    }
}

/// Every mailbox (admins).
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "mail",
    responses((status = 200, body = [MailboxDto]), (status = 403, body = Problem)))]
pub async fn list_mailboxes(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<MailboxDto>>> {
    let list = state.app.list_mailboxes(&actor).await?;
    Ok(Json(list.into_iter().map(MailboxDto::from).collect()))
}

/// Add a mailbox (admins).
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "mail", request_body = MailboxInputDto,
    responses((status = 201, body = MailboxDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_mailbox(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<MailboxInputDto>,
) -> ApiResult<(StatusCode, Json<MailboxDto>)> {
    let saved = state
        .app
        .save_mailbox(&actor, None, dto.into_input()?)
        .await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// One mailbox (admins).
#[utoipa::path(get, path = "/api/v1/mailboxes/{id}", tag = "mail", params(("id" = i64, Path)),
    responses((status = 200, body = MailboxDto), (status = 404, body = Problem)))]
pub async fn get_mailbox(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MailboxDto>> {
    Ok(Json(
        state
            .app
            .get_mailbox(&actor, MailboxId::new(id))
            .await?
            .into(),
    ))
}

/// Replace a mailbox's settings (admins). Without `imap_password` the stored one is kept.
#[utoipa::path(put, path = "/api/v1/mailboxes/{id}", tag = "mail", params(("id" = i64, Path)), request_body = MailboxInputDto,
    responses((status = 200, body = MailboxDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_mailbox(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<MailboxInputDto>,
) -> ApiResult<Json<MailboxDto>> {
    Ok(Json(
        state
            .app
            .save_mailbox(&actor, Some(MailboxId::new(id)), dto.into_input()?)
            .await?
            .into(),
    ))
}

/// A raw message body, up to [`MAX_MESSAGE_BYTES`].
pub struct RawMessage(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawMessage {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        if declared.as_deref() != Some("message/rfc822") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the message as it is, with `Content-Type: message/rfc822`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the message is larger than 40 MiB",
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "unreadable_body",
                    rejection.body_text(),
                )
            }
        })?;
        if bytes.is_empty() {
            return Err(ApiError::invalid_field("body", "the message is empty"));
        }
        Ok(Self(bytes))
    }
}

/// Deliver one raw RFC 5322 message (admins; for an MTA or a script). Answers 201 once the
/// message is committed — as a ticket, a reply, or held, quarantined, ignored or refused with
/// the reason — and 200 for a message received before.
#[utoipa::path(post, path = "/api/v1/mail/inbound", tag = "mail", params(DeliverParams),
    request_body(content = String, content_type = "message/rfc822"),
    responses((status = 201, body = IngestDto), (status = 200, body = IngestDto), (status = 404, description = "no mailbox has the name given", body = Problem), (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn deliver(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<DeliverParams>,
    RawMessage(raw): RawMessage,
) -> ApiResult<(StatusCode, Json<IngestDto>)> {
    if params
        .recipient
        .as_deref()
        .is_some_and(|r| r.chars().count() > spoc_domain::text::Email::MAX_CHARS)
    {
        return Err(ApiError::invalid_field(
            "recipient",
            "must be at most 254 characters",
        ));
    }
    let result = state
        .app
        .deliver_inbound(
            &actor,
            params.mailbox.as_deref(),
            params.recipient.as_deref(),
            &raw,
        )
        .await?;
    let status = if result.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(result.into())))
}

fn parse_outcomes(value: Option<&str>) -> Result<Vec<InboundOutcome>, ValidationError> {
    value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            InboundOutcome::parse(s).ok_or_else(|| {
                ValidationError::new(
                    "outcome",
                    "must be among: ticket_created, reply_added, held, quarantined, ignored, refused",
                )
            })
        })
        .collect()
}

/// The inbound log, newest first (admins and leads).
#[utoipa::path(get, path = "/api/v1/inbound-messages", tag = "mail", params(InboundParams),
    responses((status = 200, body = [InboundDto]), (status = 403, body = Problem)))]
pub async fn list_inbound(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<InboundParams>,
) -> ApiResult<Json<Vec<InboundDto>>> {
    let outcomes = parse_outcomes(params.outcome.as_deref())?;
    let list = state
        .app
        .list_inbound(
            &actor,
            &outcomes,
            params.unsettled.unwrap_or(false),
            params.before.map(InboundId::new),
            spoc_http::extract::in_range("limit", params.limit, 1, 200)?.unwrap_or(50),
        )
        .await?;
    Ok(Json(list.into_iter().map(InboundDto::from).collect()))
}

/// One inbound message (admins and leads).
#[utoipa::path(get, path = "/api/v1/inbound-messages/{id}", tag = "mail", params(("id" = i64, Path)),
    responses((status = 200, body = InboundDto), (status = 404, body = Problem)))]
pub async fn get_inbound(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<InboundDto>> {
    Ok(Json(
        state
            .app
            .get_inbound(&actor, InboundId::new(id))
            .await?
            .into(),
    ))
}

/// The message as received, as `message/rfc822` to download (admins and leads).
#[utoipa::path(get, path = "/api/v1/inbound-messages/{id}/raw", tag = "mail", params(("id" = i64, Path)),
    responses((status = 200, content_type = "message/rfc822", description = "the raw message"), (status = 404, body = Problem)))]
pub async fn inbound_raw(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let raw = state.app.inbound_raw(&actor, InboundId::new(id)).await?;
    Ok(download(
        raw,
        "message/rfc822",
        &format!("message-{id}.eml"),
        false,
    ))
}

/// Deal with a held or quarantined message (admins and leads): `retry` processes it again,
/// `post` processes it again vouching for its sender (mail in a staff member's name held
/// because no trusted server authenticated it is then posted as them), `new_ticket` logs it
/// for its sender, `into_ticket` adds it to a ticket as an internal note
/// (the sender gains no access), `dismiss` sets it aside.
#[utoipa::path(post, path = "/api/v1/inbound-messages/{id}/actions/{action}", tag = "mail",
    params(("id" = i64, Path), ("action" = String, Path, description = "retry, post, new_ticket, into_ticket or dismiss")),
    request_body = ReleaseDto,
    responses((status = 200, body = IngestDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn release_inbound(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<Json<IngestDto>> {
    let dto: ReleaseDto = parse_json(&body)?;
    let how = match action.as_str() {
        "retry" => Release::Retry,
        "post" => Release::Post,
        "new_ticket" => Release::NewTicket,
        "dismiss" => Release::Dismiss,
        "into_ticket" => Release::IntoTicket(TicketId::new(dto.ticket_id.ok_or_else(|| {
            ApiError::invalid_field("ticket_id", "name the ticket to add the message to")
        })?)),
        _ => {
            return Err(ApiError::not_found("action"));
        }
    };
    Ok(Json(
        state
            .app
            .release_inbound(&actor, InboundId::new(id), how)
            .await?
            .into(),
    ))
}

/// The outbox, newest first (admins): every message, or those waiting, sent, or dead.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "mail", params(OutboxParams),
    responses((status = 200, body = [OutboxDto]), (status = 403, body = Problem)))]
pub async fn list_outbox(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<OutboxParams>,
) -> ApiResult<Json<Vec<OutboxDto>>> {
    let wanted = params
        .state
        .as_deref()
        .map(|s| {
            OutboxState::parse(s).ok_or_else(|| {
                ApiError::invalid_field("state", "must be one of: pending, sent, dead")
            })
        })
        .transpose()?;
    let list = state
        .app
        .list_outbox(
            &actor,
            wanted,
            params.before.map(OutboxId::new),
            spoc_http::extract::in_range("limit", params.limit, 1, 200)?.unwrap_or(50),
        )
        .await?;
    Ok(Json(list.into_iter().map(OutboxDto::from).collect()))
}

/// Send a dead letter again (admins).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/actions/retry", tag = "mail", params(("id" = i64, Path)),
    responses((status = 200, body = OutboxDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn retry_outbox(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OutboxDto>> {
    Ok(Json(
        state
            .app
            .retry_outbox(&actor, OutboxId::new(id))
            .await?
            .into(),
    ))
}

/// The mail servers trusted to authenticate senders (admins).
#[utoipa::path(get, path = "/api/v1/settings/mail-authentication", tag = "mail",
    responses((status = 200, body = MailAuthenticationDto), (status = 403, body = Problem)))]
pub async fn get_mail_authentication(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<MailAuthenticationDto>> {
    Ok(Json(MailAuthenticationDto {
        trusted_authserv_ids: state.app.mail_authentication(&actor).await?,
    }))
}

/// Set the mail servers trusted to authenticate senders (admins).
#[utoipa::path(put, path = "/api/v1/settings/mail-authentication", tag = "mail",
    request_body = MailAuthenticationDto,
    responses((status = 200, body = MailAuthenticationDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_mail_authentication(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<MailAuthenticationDto>,
) -> ApiResult<Json<MailAuthenticationDto>> {
    Ok(Json(MailAuthenticationDto {
        trusted_authserv_ids: state
            .app
            .set_mail_authentication(&actor, &dto.trusted_authserv_ids)
            .await?,
    }))
}

/// An organisation's e-mail domains (admins).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/email-domains", tag = "mail", params(("id" = i64, Path)),
    responses((status = 200, body = DomainsDto), (status = 404, body = Problem)))]
pub async fn get_domains(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DomainsDto>> {
    let domains = state
        .app
        .organization_domains(&actor, OrganizationId::new(id))
        .await?;
    Ok(Json(DomainsDto { domains }))
}

/// Replace an organisation's e-mail domains (admins).
#[utoipa::path(put, path = "/api/v1/organizations/{id}/email-domains", tag = "mail", params(("id" = i64, Path)), request_body = DomainsDto,
    responses((status = 200, body = DomainsDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_domains(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<DomainsDto>,
) -> ApiResult<Json<DomainsDto>> {
    let domains = state
        .app
        .set_organization_domains(&actor, OrganizationId::new(id), &dto.domains)
        .await?;
    Ok(Json(DomainsDto { domains }))
}

fn preferences(list: Vec<(spoc_domain::mail::NoticeTopic, bool)>) -> Vec<PreferenceDto> {
    list.into_iter()
        .map(|(topic, email)| PreferenceDto {
            topic: topic.as_str().to_owned(),
            email,
            description: topic.describe().to_owned(),
        })
        .collect()
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/api/v1/me/notification-preferences", tag = "mail",
    responses((status = 200, body = [PreferenceDto])))]
pub async fn get_preferences(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<PreferenceDto>>> {
    Ok(Json(preferences(
        state.app.notification_preferences(&actor).await?,
    )))
}

/// Switch some of the caller's notifications on or off.
#[utoipa::path(put, path = "/api/v1/me/notification-preferences", tag = "mail", request_body = [PreferenceInputDto],
    responses((status = 200, body = [PreferenceDto]), (status = 422, body = Problem)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<Vec<PreferenceInputDto>>,
) -> ApiResult<Json<Vec<PreferenceDto>>> {
    let choices: Vec<(String, bool)> = dto.into_iter().map(|p| (p.topic, p.email)).collect();
    Ok(Json(preferences(
        state
            .app
            .set_notification_preferences(&actor, &choices)
            .await?,
    )))
}

/// The attachments of a ticket (customers: those on public replies).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/attachments", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses((status = 200, body = [AttachmentDto]), (status = 404, body = Problem)))]
pub async fn list_attachments(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<AttachmentDto>>> {
    let (id, _) = crate::tickets::ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let list = state.app.list_attachments(&actor, id).await?;
    Ok(Json(list.into_iter().map(AttachmentDto::from).collect()))
}

/// Download an attachment. Only known-safe images are shown inline; everything else is a
/// download, never rendered on Spoc's origin.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let (record, content) = state
        .app
        .get_attachment(&actor, AttachmentId::new(id))
        .await?;
    Ok(serve_attachment(&record, content))
}
