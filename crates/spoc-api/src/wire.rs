//! Helpers shared by the features' wire types: serde, and the shapes of answers that several
//! handlers give (a list, a creation).

use axum::Json;
use axum::http::StatusCode;
use serde::{Deserialize, Deserializer};

/// Items a use case handed out, as a JSON list of their wire types.
pub fn listed<T, D: From<T>>(items: Vec<T>) -> Json<Vec<D>> {
    Json(items.into_iter().map(D::from).collect())
}

/// What a request created, as its wire type with `201 Created`.
pub fn created<T, D: From<T>>(item: T) -> (StatusCode, Json<D>) {
    (StatusCode::CREATED, Json(D::from(item)))
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
