//! OpenID Connect sign-in: a tenant's identity providers (`providers`), what they publish
//! (`discovery`), ID token validation (`token`) and the sign-in itself (`flow`). See
//! docs/oidc.md.

mod discovery;
mod flow;
mod providers;
mod token;

pub(crate) use discovery::ProviderCache;
pub use flow::{OidcSignIn, OidcStart};
pub use providers::{
    GroupRule, OidcProvider, OidcProviderChange, RoleRule, SignInOption, valid_slug,
};
pub use token::{IdClaims, TokenError};
