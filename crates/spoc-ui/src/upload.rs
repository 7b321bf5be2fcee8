//! Forms that may carry files: read as `multipart/form-data` (what their `enctype` asks for), or
//! as an ordinary URL-encoded form from a client that sends one.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use spoc_http::multipart::{FilePart, FormData, MAX_UPLOAD_REQUEST_BYTES, parse};

use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::session::UiError;

/// A form with its files.
#[derive(Debug, Default)]
pub struct UiUpload(pub FormData);

fn unreadable() -> UiError {
    UiError::page(
        StatusCode::BAD_REQUEST,
        t(Desk::UploadUnreadableTitle),
        t(Desk::UploadUnreadable),
    )
}

impl<S: Send + Sync> FromRequest<S> for UiUpload {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if spoc_http::multipart::boundary(&content_type).is_some() {
            let bytes = axum::body::to_bytes(req.into_body(), MAX_UPLOAD_REQUEST_BYTES)
                .await
                .map_err(|_| unreadable())?;
            return parse(&content_type, &bytes).map(Self).map_err(|e| {
                // i18n: not text
                tracing::debug!(error = %e, "unreadable multipart form");
                unreadable()
            });
        }
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|_| unreadable())?;
        Ok(Self(FormData {
            fields,
            files: Vec::new(),
        }))
    }
}

/// The files of field `name` as the app takes them.
pub(crate) fn uploads(form: &FormData, name: &str) -> Vec<spoc_app::Upload> {
    form.files
        .iter()
        .filter(|f| f.field == name)
        .map(
            |FilePart {
                 filename,
                 content_type,
                 bytes,
                 ..
             }| spoc_app::Upload {
                filename: filename.clone(),
                content_type: content_type.clone(),
                bytes: bytes.clone(),
            },
        )
        .collect()
}
