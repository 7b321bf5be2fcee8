//! What a provider publishes: its discovery document (`/.well-known/openid-configuration`) and
//! its signing keys (JWKS), both cached for an hour. A token naming a key that is not in the
//! cached set makes Spoc fetch the set again (the provider rotated its keys), at most once a
//! minute per set.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::token::{Jwks, Parsed, TokenError};
use crate::AppError;

/// How long a discovery document or key set is trusted before it is fetched again.
const CACHE_FOR: Duration = Duration::from_secs(3600);
/// The shortest time between two fetches of a key set for an unknown key.
const REFETCH_AFTER: Duration = Duration::from_secs(60);
/// How long any call to a provider may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The parts of a discovery document Spoc uses.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

/// The documents and key sets fetched, by URL.
pub(crate) struct ProviderCache {
    client: reqwest::Client,
    discovery: Mutex<HashMap<String, (Discovery, Instant)>>,
    keys: Mutex<HashMap<String, (Jwks, Instant)>>,
}

impl Default for ProviderCache {
    fn default() -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            client,
            discovery: Mutex::default(),
            keys: Mutex::default(),
        }
    }
}

/// The error of a provider that did not answer as it should.
pub(crate) fn unreachable(what: &str) -> AppError {
    AppError::Forbidden(format!(
        "the identity provider did not answer as expected ({what}); try again later or ask \
         your administrator"
    ))
}

impl ProviderCache {
    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The discovery document of `issuer`, from the cache while it is fresh.
    pub(crate) async fn discover(&self, issuer: &str) -> Result<Discovery, AppError> {
        if let Ok(cache) = self.discovery.lock()
            && let Some((doc, at)) = cache.get(issuer)
            && at.elapsed() < CACHE_FOR
        {
            return Ok(doc.clone());
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let doc: Discovery = self.get_json(&url, "discovery").await?;
        if doc.issuer != issuer {
            return Err(unreachable("its discovery document names another issuer"));
        }
        if let Ok(mut cache) = self.discovery.lock() {
            cache.insert(issuer.to_owned(), (doc.clone(), Instant::now()));
        }
        Ok(doc)
    }

    async fn get_json<T: for<'de> Deserialize<'de>>(
        &self,
        url: &str,
        what: &str,
    ) -> Result<T, AppError> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|_| unreachable(what))?;
        if !response.status().is_success() {
            return Err(unreachable(what));
        }
        response.json().await.map_err(|_| unreachable(what))
    }

    async fn fetch_keys(&self, jwks_uri: &str) -> Result<Jwks, AppError> {
        let jwks: Jwks = self.get_json(jwks_uri, "signing keys").await?;
        if let Ok(mut cache) = self.keys.lock() {
            cache.insert(jwks_uri.to_owned(), (jwks.clone(), Instant::now()));
        }
        Ok(jwks)
    }

    /// Checks the signature of `token` against the keys at `jwks_uri`: the cached set, or a
    /// fresh one when the cache is stale or lacks the token's key.
    pub(crate) async fn verify(
        &self,
        jwks_uri: &str,
        token: Parsed<'_>,
    ) -> Result<serde_json::Value, TokenError> {
        let cached = self
            .keys
            .lock()
            .ok()
            .and_then(|cache| cache.get(jwks_uri).cloned());
        let jwks = match cached {
            Some((jwks, at))
                if at.elapsed() < CACHE_FOR
                    && (token.has_key_in(&jwks) || at.elapsed() < REFETCH_AFTER) =>
            {
                jwks
            }
            _ => self
                .fetch_keys(jwks_uri)
                .await
                .map_err(|_| TokenError::UnknownKey)?,
        };
        token.verify(&jwks)
    }

    /// Forgets what was fetched (tests: a provider restarted with new keys on the same port).
    #[cfg(test)]
    pub(crate) fn age_keys(&self, by: Duration) {
        if let Ok(mut cache) = self.keys.lock() {
            for (_, at) in cache.values_mut() {
                *at = at.checked_sub(by).unwrap_or(*at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::token::tests::{TestKey, claims};
    use super::super::token::{Expected, check_claims, parse};
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A loopback server answering every request with the key set in `keys` at that moment.
    async fn key_server(keys: std::sync::Arc<Mutex<String>>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let body = keys.lock().unwrap().clone();
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            }
        });
        format!("http://{address}/jwks")
    }

    fn jwks_json(keys: &[&TestKey]) -> String {
        let keys: Vec<serde_json::Value> = keys
            .iter()
            .map(|k| {
                let jwk = k.jwk();
                serde_json::json!({"kty": jwk.kty, "kid": jwk.kid, "alg": jwk.alg, "use": "sig",
                    "crv": jwk.crv, "x": jwk.x, "y": jwk.y})
            })
            .collect();
        serde_json::json!({ "keys": keys }).to_string()
    }

    /// The provider rotates its key: a token with the new kid is accepted after the set is
    /// fetched again; a token of a key never published is still refused.
    #[tokio::test]
    async fn a_rotated_key_is_fetched_and_accepted() {
        let old = TestKey::new("old");
        let new = TestKey::new("new");
        let published = std::sync::Arc::new(Mutex::new(jwks_json(&[&old])));
        let uri = key_server(published.clone()).await;
        let cache = ProviderCache::default();
        let expected = Expected {
            issuer: "https://idp.test",
            client_id: "spoc",
            nonce: "n0nce",
            now_secs: 1_800_000_000,
        };
        let claims_of = |token: &str| {
            let token = token.to_owned();
            let cache = &cache;
            let uri = uri.clone();
            let expected = expected.clone();
            async move {
                let verified = cache.verify(&uri, parse(&token)?).await?;
                check_claims(verified, &expected)
            }
        };
        assert!(claims_of(&old.sign(&claims())).await.is_ok());
        *published.lock().unwrap() = jwks_json(&[&new]);
        // Within a minute of the last fetch the cached set stands.
        assert_eq!(
            claims_of(&new.sign(&claims())).await,
            Err(TokenError::UnknownKey)
        );
        cache.age_keys(REFETCH_AFTER);
        assert!(claims_of(&new.sign(&claims())).await.is_ok());
        let stranger = TestKey::new("stranger");
        cache.age_keys(REFETCH_AFTER);
        assert_eq!(
            claims_of(&stranger.sign(&claims())).await,
            Err(TokenError::UnknownKey)
        );
    }
}
