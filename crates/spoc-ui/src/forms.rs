//! Reading submitted forms: a body that is not a form, or a form with fields of the wrong shape,
//! is a page with a sentence, never a bare framework error.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::session::UiError;
use spoc_app::AppError;

use crate::page::FieldErrors;
use crate::session::sentence;

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
                    crate::i18n::t(crate::i18n::Msg::ErrUnreadableFormTitle),
                    crate::i18n::t(crate::i18n::Msg::ErrUnreadableForm),
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

/// How a form names the fields that the app layer's errors name, so that every form maps an
/// application error to its fields the same way ([`FieldErrors::add_app_error`]).
#[derive(Clone, Copy, Debug)]
pub struct FieldMap {
    /// `(app field, form field)`; an app field not listed keeps its name.
    renames: &'static [(&'static str, &'static str)],
    /// Where a duplicate ("already taken") is shown, and the sentence shown.
    duplicate: Option<(&'static str, &'static str)>,
}

impl FieldMap {
    /// A map that renames the app's fields by `renames`.
    pub const fn new(renames: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            renames,
            duplicate: None,
        }
    }

    /// The same map, showing a duplicate on `field` with `message`.
    pub const fn duplicate(self, field: &'static str, message: &'static str) -> Self {
        Self {
            duplicate: Some((field, message)),
            ..self
        }
    }

    /// The form's name for the app's `field`.
    pub fn field<'a>(&self, field: &'a str) -> &'a str {
        self.renames
            .iter()
            .find(|(app, _)| *app == field)
            .map_or(field, |(_, form)| form)
    }
}

impl FieldErrors {
    /// Adds what `error` says about the form's fields, named through `map`: a validation error
    /// on its field, a duplicate where `map` shows it. Any other error is not the form's to show
    /// and is given back, for an error page.
    pub fn add_app_error(&mut self, error: AppError, map: &FieldMap) -> Result<(), AppError> {
        match (error, map.duplicate) {
            (AppError::Validation(e), _) => self.add(map.field(e.field), sentence(&e.message)),
            (AppError::Duplicate(_), Some((field, message))) => self.add(field, message),
            (other, _) => return Err(other),
        }
        Ok(())
    }

    /// [`add_app_error`](Self::add_app_error) on no errors yet.
    pub fn from_app_error(error: AppError, map: &FieldMap) -> Result<Self, AppError> {
        let mut errors = Self::none();
        errors.add_app_error(error, map)?;
        Ok(errors)
    }
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

    #[test]
    fn application_errors_land_on_the_form_s_fields() {
        const MAP: FieldMap = FieldMap::new(&[("category_id", "category")])
            .duplicate("name", "That name is already taken.");
        let invalid = AppError::Validation(spoc_domain::ValidationError::new(
            "category_id",
            "must be a subcategory",
        ));
        let errors = FieldErrors::from_app_error(invalid, &MAP).unwrap();
        assert_eq!(errors.get("category"), Some("Must be a subcategory."));
        let taken = AppError::Duplicate("taken".to_owned());
        let errors = FieldErrors::from_app_error(taken, &MAP).unwrap();
        assert_eq!(errors.get("name"), Some("That name is already taken."));
        let other = AppError::Forbidden("no".to_owned());
        assert!(FieldErrors::from_app_error(other, &MAP).is_err());
        let unmapped = AppError::Duplicate("taken".to_owned());
        assert!(FieldErrors::from_app_error(unmapped, &FieldMap::new(&[])).is_err());
    }
}
