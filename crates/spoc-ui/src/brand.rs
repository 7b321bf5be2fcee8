//! A tenant's brand on its pages: its name and logo in the header, its colours as CSS custom
//! properties in a style sheet of its own (the pages' policy allows no inline styles, and only
//! `#rrggbb` colours ever reach it), and its portal's address `/t/{slug}`, which leads to the
//! sign-in page of that tenant.
//!
//! The brand of a request is set for the whole request by [`scope`], like the reader's
//! language: the signed-in person's tenant, or, signed out, the tenant the visit names (the
//! sign-in form's `tenant`, else the host name). A desk with one tenant and no brand set has
//! no brand, so its pages look as they always did.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Router, http::HeaderMap};
use maud::{Markup, html};
use spoc_app::{App, Brand};
use spoc_http::AppState;
use spoc_http::extract::{cookie, session_cookie_name};

tokio::task_local! {
    static BRAND: Option<Brand>;
    static MANY_TENANTS: bool;
}

/// Whether the desk has more than one tenant (known on the setup pages only).
pub fn many_tenants() -> bool {
    MANY_TENANTS.try_with(|many| *many).unwrap_or(false)
}

/// The brand of the page being rendered, if it has one.
pub fn current() -> Option<Brand> {
    BRAND.try_with(Clone::clone).ok().flatten()
}

/// The slug a sign-in page was asked for (`?tenant=slug`), if any.
pub fn query_tenant(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "tenant")
        .map(|(_, value)| value.to_owned())
        .filter(|slug| spoc_domain::tenant::Slug::parse(slug).is_ok())
}

/// The middleware that sets the brand for every UI request.
pub async fn scope(State(app): State<App>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/static/") {
        return next.run(request).await;
    }
    let secret = cookie(
        request.headers(),
        session_cookie_name(app.served_over_https()),
    );
    let signed_in = match secret {
        Some(secret) => app.session_brand(&secret).await,
        None => None,
    };
    let brand = match signed_in {
        Some(brand) => brand,
        None => {
            let slug = query_tenant(request.uri().query());
            let host = host(request.headers());
            app.visited_tenant(slug.as_deref(), host.as_deref())
                .await
                .ok()
                .flatten()
                .filter(Brand::shows)
        }
    };
    // The setup pages link the tenants' page only when there is more than one tenant.
    let many =
        request.uri().path().starts_with("/admin") && app.tenant_count().await.is_ok_and(|n| n > 1);
    BRAND
        .scope(brand, MANY_TENANTS.scope(many, next.run(request)))
        .await
}

fn host(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The routes of tenants' portals: `/t/{slug}` and its logo and style sheet.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}", get(portal))
        .route("/t/{slug}/logo", get(logo))
        .route("/t/{slug}/brand.css", get(style_sheet))
}

/// `/t/{slug}`: to the sign-in page of that tenant (which remembers it for the form).
async fn portal(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match state.app.visited_tenant(Some(&slug), None).await {
        Ok(Some(brand)) => Redirect::to(&format!("/login?tenant={}", brand.slug)).into_response(),
        Ok(None) => crate::not_found_page(),
        Err(e) => crate::app_error_page(e),
    }
}

/// `/t/{slug}/logo`: the tenant's logo, only as one of the known image types, sandboxed.
async fn logo(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let brand = match state.app.visited_tenant(Some(&slug), None).await {
        Ok(Some(brand)) => brand,
        Ok(None) => return crate::not_found_page(),
        Err(e) => return crate::app_error_page(e),
    };
    match state.app.brand_logo(brand.tenant_id).await {
        Ok(Some((bytes, kind))) => {
            let mut response =
                spoc_http::download::download(bytes, kind.media_type(), "logo", true);
            let headers = response.headers_mut();
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            response
        }
        Ok(None) => crate::not_found_page(),
        Err(e) => crate::app_error_page(e),
    }
}

/// The style sheet of a brand: its colours as custom properties, and the few rules that use
/// them. Only colours the domain accepted (`#rrggbb`, checked again when read) are written.
pub fn css(brand: &Brand) -> String {
    let mut sheet = String::from(":root {");
    if let Some(colour) = &brand.primary_colour {
        sheet.push_str(&format!(" --brand-primary: {colour};")); // i18n: not text
    }
    if let Some(colour) = &brand.accent_colour {
        sheet.push_str(&format!(" --brand-accent: {colour};")); // i18n: not text
    }
    sheet.push_str(" }\n");
    if brand.primary_colour.is_some() {
        sheet.push_str(".topbar, .auth-card { border-top: 4px solid var(--brand-primary); }\n");
    }
    if brand.accent_colour.is_some() {
        sheet.push_str(".footer { border-top: 3px solid var(--brand-accent); }\n");
    }
    sheet.push_str(
        ".brand-name { min-width: 0; overflow-wrap: anywhere; }\n\
         .brand-logo { height: 1.75rem; width: auto; max-width: 10rem; object-fit: contain; }\n\
         .brand-large .brand-logo { height: 2.5rem; max-width: 14rem; }\n",
    );
    sheet
}

/// `/t/{slug}/brand.css`.
async fn style_sheet(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match state.app.visited_tenant(Some(&slug), None).await {
        Ok(Some(brand)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"), // i18n: not text
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            css(&brand),
        )
            .into_response(),
        Ok(None) => crate::not_found_page(),
        Err(e) => crate::app_error_page(e),
    }
}

/// The address of the brand's style sheet, changing with its colours and logo.
pub fn css_href(brand: &Brand) -> String {
    let stamp: String = [&brand.primary_colour, &brand.accent_colour]
        .iter()
        .map(|c| c.as_deref().unwrap_or("-").trim_start_matches('#'))
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "/t/{}/brand.css?v={stamp}-{}",
        brand.slug,
        brand.logo_version.unwrap_or(0)
    )
}

/// The brand in a header: the tenant's logo (decorative: the name follows it) and name when it
/// has them, else Spoc's mark and name.
pub fn mark(brand: Option<&Brand>) -> Markup {
    let spoc = "Spoc"; // i18n: not text
    let name = brand.and_then(|b| b.name.as_deref()).unwrap_or(spoc);
    html! {
        @if let Some((brand, version)) = brand.and_then(|b| b.logo_version.map(|v| (b, v))) {
            img class="brand-logo" src={ "/t/" (brand.slug) "/logo?v=" (version) } alt="";
        } @else {
            span class="brand-mark" aria-hidden="true" { (name.chars().next().unwrap_or('S')) }
        }
        " " span class="brand-name" { (name) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spoc_domain::TenantId;

    fn brand() -> Brand {
        Brand {
            tenant_id: TenantId::new(2),
            slug: "acme".to_owned(),
            name: Some("Acme <Ltd>".to_owned()),
            primary_colour: Some("#112233".to_owned()),
            accent_colour: None,
            logo_version: Some(3),
        }
    }

    #[test]
    fn a_brand_shows_its_colours_logo_and_escaped_name() {
        let sheet = css(&brand());
        assert!(sheet.contains("--brand-primary: #112233;"), "{sheet}");
        assert!(!sheet.contains("--brand-accent"));
        let html = mark(Some(&brand())).into_string();
        assert!(html.contains(r#"alt="""#), "{html}");
        assert!(html.contains(r#"src="/t/acme/logo?v=3""#), "{html}");
        assert!(html.contains("Acme &lt;Ltd&gt;"), "{html}");
        assert!(mark(None).into_string().contains("Spoc"));
        assert_eq!(css_href(&brand()), "/t/acme/brand.css?v=112233---3");
    }

    #[test]
    fn only_well_formed_slugs_are_taken_from_the_query() {
        assert_eq!(
            query_tenant(Some("a=1&tenant=acme")).as_deref(),
            Some("acme")
        );
        assert_eq!(query_tenant(Some("tenant=%3Cx%3E")), None);
        assert_eq!(query_tenant(None), None);
    }
}
