//! Reading submitted forms: a body that is not a form, or a form with fields of the wrong shape,
//! is a page with a sentence, never a bare framework error.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::session::UiError;

/// A `application/x-www-form-urlencoded` body.
pub struct UiForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for UiForm<T> {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|form| Self(form.0))
            .map_err(|rejection| {
                tracing::debug!(error = %rejection.body_text(), "unreadable form");
                UiError::page(
                    StatusCode::BAD_REQUEST,
                    "This form could not be read",
                    "The form arrived incomplete or in an unexpected shape. Go back, reload the \
                     page and try again.",
                )
            })
    }
}

/// An optional number from a form field: empty means none; anything else must be a number.
pub fn optional_id(value: Option<&str>) -> Result<Option<i64>, ()> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| ()),
    }
}

/// Empty form values count as absent.
pub fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_ids() {
        assert_eq!(optional_id(None), Ok(None));
        assert_eq!(optional_id(Some(" ")), Ok(None));
        assert_eq!(optional_id(Some("12")), Ok(Some(12)));
        assert!(optional_id(Some("x")).is_err());
    }
}
