//! OpenID Connect sign-in against a real OpenID provider (the `oidc-provider` npm package under
//! Node, installed by .ci/run into `SPOC_OIDC_PROVIDER_DIR`, started here on loopback with
//! `idp.mjs`), on both backends: the code flow with PKCE signs a person in, links or creates
//! their account and applies the claim rules; an unverified e-mail never links to an existing
//! account; a wrong, replayed or other browser's `state` is refused; another tenant's provider
//! is not found. Signature, expiry, nonce and key rotation are checked against tokens signed by
//! hand in spoc-app's unit tests (`oidc::token`, `oidc::discovery`).

use std::collections::HashMap;
use std::process::Stdio;

use reqwest::StatusCode;
use serde_json::{Value, json};
use spoc_domain::TenantId;
use spoc_domain::user::Role;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::both_backends;
use crate::harness::{Desk, Person};

const CLIENT_ID: &str = "spoc-desk";
const CLIENT_SECRET: &str = "a client secret of the test";
/// The desk's public URL in the tests (see the harness), where the provider sends people back.
const PUBLIC_URL: &str = "http://desk.spoc.test";

/// A running OpenID provider.
struct Idp {
    base: String,
    _child: tokio::process::Child,
}

impl Idp {
    /// Starts the provider, signing ID tokens with `alg`, for the desk's providers `slugs`.
    async fn start(alg: &str, slugs: &[&str]) -> Self {
        let dir = std::env::var("SPOC_OIDC_PROVIDER_DIR").unwrap_or_else(|_| {
            format!(
                "{}/.cache/spoc-oidc/8.8.1",
                std::env::var("HOME").unwrap_or_default()
            )
        });
        assert!(
            std::path::Path::new(&dir)
                .join("node_modules/oidc-provider/lib/index.js")
                .exists(),
            "oidc-provider is not installed in {dir}: run the install step of .ci/run"
        );
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/oidc/idp.mjs");
        let redirects: Vec<String> = slugs
            .iter()
            .map(|s| format!("{PUBLIC_URL}/auth/oidc/{s}/callback"))
            .collect();
        let mut child = tokio::process::Command::new("node")
            .arg(script)
            .env("SPOC_OIDC_PROVIDER_DIR", &dir)
            .env("CLIENT_ID", CLIENT_ID)
            .env("CLIENT_SECRET", CLIENT_SECRET)
            .env("REDIRECT_URIS", redirects.join(","))
            .env("ALG", alg)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(port) = line.strip_prefix("listening ") {
                    return port.trim().to_owned();
                }
            }
            panic!("the provider stopped before it listened");
        })
        .await
        .expect("the provider starts within a minute");
        // Keep reading: a provider writing to a closed pipe would die of it.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            _child: child,
        }
    }

    /// The person the provider signs in next, as their claims.
    async fn user(&self, claims: Value) {
        let status = client()
            .post(format!("{}/test/user", self.base))
            .body(claims.to_string())
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

/// A client that follows no redirects, as the tests walk them one by one.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("a redirect, not {}", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// The `name=value` of each cookie a response sets.
fn set_cookies(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// Starts signing in at the desk and goes through the provider: the desk's callback URL (on
/// the test server) and the browser's `spoc_oidc` cookie.
async fn through_provider(desk: &Desk, idp: &Idp, slug: &str) -> (String, String) {
    let http = client();
    let start = http
        .get(format!("{}/auth/oidc/{slug}/login", desk.base))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let browser = set_cookies(&start)
        .into_iter()
        .find(|(n, _)| n == "spoc_oidc")
        .map(|(n, v)| format!("{n}={v}"))
        .expect("the sign-in is bound to a cookie");
    let mut url = location(&start);
    assert!(url.starts_with(&idp.base), "{url}");
    for wanted in [
        "code_challenge_method=S256",
        "response_type=code",
        "nonce=",
        "state=",
    ] {
        assert!(url.contains(wanted), "{wanted} in {url}");
    }
    let mut jar: HashMap<String, String> = HashMap::new();
    for _ in 0..10 {
        if url.starts_with(PUBLIC_URL) {
            return (url.replacen(PUBLIC_URL, &desk.base, 1), browser);
        }
        let cookies: Vec<String> = jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let response = http
            .get(&url)
            .header("cookie", cookies.join("; "))
            .send()
            .await
            .unwrap();
        for (name, value) in set_cookies(&response) {
            if value.is_empty() {
                jar.remove(&name);
            } else {
                jar.insert(name, value);
            }
        }
        url = location(&response);
        if url.starts_with('/') {
            url = format!("{}{url}", idp.base);
        }
    }
    panic!("the provider never sent the browser back");
}

/// Calls the desk's callback with the browser's cookie.
async fn callback(url: &str, browser: &str) -> reqwest::Response {
    client()
        .get(url)
        .header("cookie", browser)
        .send()
        .await
        .unwrap()
}

/// The session cookie a finished sign-in set, if any.
fn session_of(response: &reqwest::Response) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|(n, v)| n.ends_with("spoc_session") && !v.is_empty())
        .map(|(n, v)| format!("{n}={v}"))
}

/// Signs in with `slug` as the provider's current person: the answer and the session's `/me`.
async fn sign_in(desk: &Desk, idp: &Idp, slug: &str) -> (reqwest::Response, Option<Value>) {
    let (url, browser) = through_provider(desk, idp, slug).await;
    let answer = callback(&url, &browser).await;
    let me = match session_of(&answer) {
        Some(session) => Some(
            desk.send(
                reqwest::Method::GET,
                "/me",
                None,
                &[("Cookie", &session)],
                None,
            )
            .await
            .expect(200)
            .body,
        ),
        None => None,
    };
    (answer, me)
}

/// Adds the provider `slug` for `idp` as `admin`; its id.
async fn add_provider(desk: &Desk, admin: &Person, issuer: &str, slug: &str, extra: Value) -> i64 {
    let mut body = json!({
        "slug": slug, "display_name": format!("{slug} SSO"), "issuer": issuer,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "scopes": ["openid", "email", "profile", "groups"],
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let answer = desk.post(admin, "/oidc-providers", body).await.expect(201);
    assert!(
        !answer.text.contains(CLIENT_SECRET),
        "the secret is never shown"
    );
    answer.body["id"].as_i64().unwrap()
}

async fn members(desk: &Desk, group: i64) -> Vec<i64> {
    let list = desk
        .get(&desk.admin, &format!("/groups/{group}/members"))
        .await
        .expect(200)
        .body;
    let items = list
        .get("items")
        .unwrap_or(&list)
        .as_array()
        .unwrap()
        .clone();
    items
        .iter()
        .map(|m| m["id"].as_i64().or_else(|| m.as_i64()).unwrap())
        .collect()
}

both_backends! {
    /// A new person with a verified e-mail gets an account with the role and group their
    /// claims map to; the next sign-in applies the rules again; an existing account is linked by
    /// its verified e-mail; an unverified e-mail links to nothing.
    async fn sign_in_creates_links_and_maps_claims(desk: Desk) {
        let idp = Idp::start("RS256", &["corp"]).await;
        let group = desk.group("SSO helpdesk", 1, false).await;
        let provider = add_provider(&desk, &desk.admin, &idp.base, "corp", json!({
            "claim": "groups", "jit": true, "default_role": "customer",
            "role_rules": [{ "value": "helpdesk", "role": "agent" }],
            "group_rules": [{ "value": "helpdesk", "group_id": group }],
        })).await;
        let listed = desk.get(&desk.admin, "/oidc-providers").await.expect(200);
        assert_eq!(listed.body[0]["id"], provider);
        assert_eq!(listed.body[0]["role_rules"][0]["role"], "agent");
        assert!(!listed.text.contains(CLIENT_SECRET));

        // The sign-in page offers it.
        let page = client().get(format!("{}/login", desk.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Sign in with corp SSO"), "{page}");
        assert!(page.contains("/auth/oidc/corp/login"));

        // Just in time: an agent in the mapped group.
        idp.user(json!({ "sub": "s-new", "email": "New.Person@example.test", "email_verified": true,
            "name": "New Person", "groups": ["helpdesk", "other"] })).await;
        let (answer, me) = sign_in(&desk, &idp, "corp").await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&answer), "/desk");
        let me = me.expect("signed in");
        assert_eq!(me["email"], "new.person@example.test");
        assert_eq!(me["role"], "agent");
        let new_id = me["id"].as_i64().unwrap();
        assert!(members(&desk, group).await.contains(&new_id));

        // Out of the group at the provider: out of the group here, same account (the link).
        idp.user(json!({ "sub": "s-new", "email": "changed@example.test", "email_verified": false,
            "groups": [] })).await;
        let (_, me) = sign_in(&desk, &idp, "corp").await;
        assert_eq!(me.expect("signed in")["id"], new_id);
        assert!(!members(&desk, group).await.contains(&new_id));

        // An existing account, linked by its verified e-mail.
        let existing = desk.post(&desk.admin, "/users", json!({
            "email": "existing@example.test", "name": "Existing", "role": "customer" })).await.expect(201);
        idp.user(json!({ "sub": "s-existing", "email": "existing@example.test", "email_verified": true })).await;
        let (answer, me) = sign_in(&desk, &idp, "corp").await;
        assert_eq!(location(&answer), "/portal");
        assert_eq!(me.expect("signed in")["id"], existing.body["id"]);

        // An unverified e-mail of an existing account: refused, nothing linked.
        let victim = desk.post(&desk.admin, "/users", json!({
            "email": "victim@example.test", "name": "Victim", "role": "admin" })).await.expect(201);
        idp.user(json!({ "sub": "s-attacker", "email": "victim@example.test", "email_verified": false })).await;
        let (answer, me) = sign_in(&desk, &idp, "corp").await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        assert!(me.is_none(), "no session");
        let text = answer.text().await.unwrap();
        assert!(text.contains("did not confirm your e-mail address"), "{text}");
        assert_eq!(desk.app.oidc_linked_person(TenantId::FIRST, provider, "s-attacker").await.unwrap(), None);
        assert!(victim.body["id"].as_i64().is_some());

        // Without just-in-time accounts, a stranger gets none.
        desk.patch(&desk.admin, &format!("/oidc-providers/{provider}"), json!({ "jit": false })).await.expect(200);
        idp.user(json!({ "sub": "s-stranger", "email": "stranger@example.test", "email_verified": true })).await;
        let (answer, me) = sign_in(&desk, &idp, "corp").await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        assert!(me.is_none());
        let found = desk.app.actor_for_email(TenantId::FIRST, "stranger@example.test").await;
        assert!(found.is_err(), "no account was made");
    }

    /// `state` is checked: an unknown one, a replayed one and one from another browser are
    /// refused with a page, never a session; a provider's error is a page too.
    async fn a_wrong_state_is_refused(desk: Desk) {
        let idp = Idp::start("ES256", &["corp"]).await;
        add_provider(&desk, &desk.admin, &idp.base, "corp", json!({ "jit": true })).await;
        idp.user(json!({ "sub": "s-1", "email": "one@example.test", "email_verified": true })).await;

        // ES256 end to end, and the state cannot be used twice.
        let (url, browser) = through_provider(&desk, &idp, "corp").await;
        let answer = callback(&url, &browser).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert!(session_of(&answer).is_some());
        let replay = callback(&url, &browser).await;
        assert_eq!(replay.status(), StatusCode::FORBIDDEN);
        assert!(session_of(&replay).is_none());

        // Another state.
        let (url, browser) = through_provider(&desk, &idp, "corp").await;
        let state = url.split("state=").nth(1).unwrap().split('&').next().unwrap().to_owned();
        let forged = url.replace(&state, &"0".repeat(64));
        let answer = callback(&forged, &browser).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        assert!(session_of(&answer).is_none());
        let text = answer.text().await.unwrap();
        assert!(text.contains("expired or was already used"), "{text}");

        // The right state from another browser (no cookie, or another one).
        let (url, _) = through_provider(&desk, &idp, "corp").await;
        let answer = callback(&url, &format!("spoc_oidc={}", "1".repeat(64))).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        assert!(session_of(&answer).is_none());
        let (url, _) = through_provider(&desk, &idp, "corp").await;
        let answer = callback(&url, "").await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);

        // The provider says no.
        let answer = callback(&format!("{}/auth/oidc/corp/callback?error=access_denied&state=x", desk.base), "").await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        // A provider that does not exist.
        let answer = client().get(format!("{}/auth/oidc/nobody/login", desk.base)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    }

    /// Another tenant's provider is not found by slug, by id, for changes or removal; a rule
    /// naming another tenant's group is refused with nothing saved; bad settings are 422.
    async fn providers_stay_in_their_tenant(desk: Desk) {
        // No sign-in happens here: the issuer is never asked.
        let idp_base = "http://127.0.0.1:9";
        let now = spoc_domain::Timestamp::from_micros(1_800_000_000_000_000);
        let store = desk.app.store();
        let second = store.create_tenant(&crate::harness::unique("Second"), now).await.unwrap();
        desk.app.prepare_desk(second).await.unwrap();
        let user = desk.app.system_create_user(second, spoc_app::UserInput {
            email: spoc_domain::text::Email::parse("admin@second.test").unwrap(),
            name: spoc_domain::text::Name::parse("Second Admin").unwrap(),
            role: Role::Admin, organization_id: None, super_user: false, password: None,
        }).await.unwrap();
        let token = desk.app.issue_token(user.id, "tests").await.unwrap();
        let other_admin = Person { id: user.id.get(), token: token.secret };
        let theirs = add_provider(&desk, &other_admin, idp_base, "other", json!({})).await;
        let their_group = desk.post(&other_admin, "/groups", json!({ "name": "Theirs", "tier": 1, "external_supplier": false }))
            .await.expect(201).body["id"].as_i64().unwrap();

        // The first tenant sees nothing of it.
        let path = format!("/oidc-providers/{theirs}");
        desk.get(&desk.admin, &path).await.expect(404);
        desk.patch(&desk.admin, &path, json!({ "display_name": "Hijacked" })).await.expect(404);
        desk.delete(&desk.admin, &path).await.expect(404);
        assert_eq!(desk.get(&desk.admin, "/oidc-providers").await.expect(200).body, json!([]));
        assert_eq!(desk.get(&other_admin, &path).await.expect(200).body["display_name"], "other SSO");
        let answer = client().get(format!("{}/auth/oidc/other/login", desk.base)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        let page = client().get(format!("{}/login", desk.base)).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("other SSO"));

        // A rule with another tenant's group: refused, nothing saved.
        let body = json!({ "slug": "mine", "display_name": "Mine", "issuer": idp_base, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "claim": "groups",
            "group_rules": [{ "value": "x", "group_id": their_group }] });
        desk.post(&desk.admin, "/oidc-providers", body).await.expect(404);
        assert_eq!(desk.get(&desk.admin, "/oidc-providers").await.expect(200).body, json!([]));

        // Bad settings.
        for bad in [
            json!({ "slug": "Bad Slug", "display_name": "x", "issuer": idp_base, "client_id": "c", "client_secret": "s" }),
            json!({ "slug": "ok", "display_name": "x", "issuer": "http://idp.example.com", "client_id": "c", "client_secret": "s" }),
            json!({ "slug": "ok", "display_name": "x", "issuer": idp_base, "client_id": "c" }),
            json!({ "slug": "ok", "display_name": "x", "issuer": idp_base, "client_id": "c", "client_secret": "s",
                "role_rules": [{ "value": "v", "role": "emperor" }], "claim": "roles" }),
        ] {
            let answer = desk.post(&desk.admin, "/oidc-providers", bad.clone()).await;
            assert!(answer.status == 422 || answer.status == 400, "{bad} gave {}", answer.status);
            assert_eq!(answer.content_type(), "application/problem+json");
        }
        // Customers and agents may not manage providers.
        let agent = desk.person("agent", None, false).await;
        desk.get(&agent, "/oidc-providers").await.expect(403);
        // The second tenant's admin removes theirs.
        desk.delete(&other_admin, &path).await.expect(204);
        desk.get(&other_admin, &path).await.expect(404);
    }
}
