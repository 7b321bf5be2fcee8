//! ID tokens: a compact JWS whose signature is checked against the provider's published keys
//! (RS256 and ES256, with `ring`), then its claims against what this sign-in expects: issuer,
//! audience (and authorised party), expiry, issue and not-before times with a small leeway, and
//! the nonce sent with the request. `alg: none` and symmetric algorithms are refused.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents, UnparsedPublicKey,
};
use serde::Deserialize;
use serde_json::Value;

/// How far clocks may disagree, in seconds.
pub(crate) const LEEWAY_SECS: i64 = 60;

/// The longest ID token accepted, in bytes.
const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Why an ID token is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a compact JWS.
    #[error("the ID token is malformed")]
    Malformed,
    /// Signed with an algorithm Spoc does not accept.
    #[error("the ID token is signed with {0:?}, which is not accepted (RS256 or ES256)")]
    Algorithm(String),
    /// No published key has its `kid`.
    #[error("the provider publishes no key the ID token names")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the ID token's signature is not valid")]
    Signature,
    /// A claim does not hold.
    #[error("the ID token {0}")]
    Claim(&'static str),
}

/// A published key (JWK) as far as Spoc reads it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Jwk {
    /// Key type: `RSA` or `EC`.
    pub kty: String,
    /// Key id.
    #[serde(default)]
    pub kid: Option<String>,
    /// Intended algorithm.
    #[serde(default)]
    pub alg: Option<String>,
    /// Intended use (`sig`).
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    /// RSA modulus.
    #[serde(default)]
    pub n: Option<String>,
    /// RSA exponent.
    #[serde(default)]
    pub e: Option<String>,
    /// EC curve.
    #[serde(default)]
    pub crv: Option<String>,
    /// EC x.
    #[serde(default)]
    pub x: Option<String>,
    /// EC y.
    #[serde(default)]
    pub y: Option<String>,
}

/// A JWK set.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// A token split into its parts.
pub(crate) struct Parsed<'a> {
    alg: String,
    kid: Option<String>,
    signed: &'a [u8],
    signature: Vec<u8>,
    claims: Value,
}

/// Splits a compact JWS and reads its header and claims (nothing is trusted yet).
pub(crate) fn parse(token: &str) -> Result<Parsed<'_>, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let decode = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| TokenError::Malformed)
    };
    let header: Header =
        serde_json::from_slice(&decode(header)?).map_err(|_| TokenError::Malformed)?;
    let claims: Value =
        serde_json::from_slice(&decode(payload)?).map_err(|_| TokenError::Malformed)?;
    if !claims.is_object() {
        return Err(TokenError::Malformed);
    }
    Ok(Parsed {
        alg: header.alg,
        kid: header.kid,
        signed: &token.as_bytes()[..token.len() - signature.len() - 1],
        signature: decode(signature)?,
        claims,
    })
}

impl Parsed<'_> {
    /// Whether `jwks` has a key this token could be checked with.
    pub(crate) fn has_key_in(&self, jwks: &Jwks) -> bool {
        candidates(jwks, &self.alg, self.kid.as_deref())
            .next()
            .is_some()
    }

    /// Checks the signature against `jwks`; the claims, if it holds.
    pub(crate) fn verify(self, jwks: &Jwks) -> Result<Value, TokenError> {
        if !matches!(self.alg.as_str(), "RS256" | "ES256") {
            return Err(TokenError::Algorithm(self.alg));
        }
        let mut found = false;
        for key in candidates(jwks, &self.alg, self.kid.as_deref()) {
            found = true;
            if verify_with(key, &self.alg, self.signed, &self.signature) {
                return Ok(self.claims);
            }
        }
        Err(if found {
            TokenError::Signature
        } else {
            TokenError::UnknownKey
        })
    }
}

/// The keys of `jwks` that fit `alg` and `kid` (any key of the right type without a kid).
fn candidates<'a>(
    jwks: &'a Jwks,
    alg: &'a str,
    kid: Option<&'a str>,
) -> impl Iterator<Item = &'a Jwk> + 'a {
    let kty = if alg == "ES256" { "EC" } else { "RSA" };
    jwks.keys.iter().filter(move |k| {
        k.kty == kty
            && k.use_.as_deref().is_none_or(|u| u == "sig")
            && k.alg.as_deref().is_none_or(|a| a == alg)
            && match kid {
                Some(kid) => k.kid.as_deref() == Some(kid),
                None => true,
            }
    })
}

fn verify_with(key: &Jwk, alg: &str, signed: &[u8], signature: &[u8]) -> bool {
    let b64 = |v: &Option<String>| v.as_deref().and_then(|s| URL_SAFE_NO_PAD.decode(s).ok());
    match alg {
        "RS256" => {
            let (Some(n), Some(e)) = (b64(&key.n), b64(&key.e)) else {
                return false;
            };
            RsaPublicKeyComponents { n: &n, e: &e }
                .verify(&RSA_PKCS1_2048_8192_SHA256, signed, signature)
                .is_ok()
        }
        "ES256" => {
            let (Some(x), Some(y)) = (b64(&key.x), b64(&key.y)) else {
                return false;
            };
            if key.crv.as_deref() != Some("P-256") || x.len() != 32 || y.len() != 32 {
                return false;
            }
            let mut point = Vec::with_capacity(65);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(signed, signature)
                .is_ok()
        }
        _ => false,
    }
}

/// What the claims of an ID token must say for this sign-in.
#[derive(Clone, Debug)]
pub(crate) struct Expected<'a> {
    /// The provider's issuer.
    pub issuer: &'a str,
    /// Our client id.
    pub client_id: &'a str,
    /// The nonce sent with the authorisation request.
    pub nonce: &'a str,
    /// Now, in seconds since the epoch.
    pub now_secs: i64,
}

/// The claims of a valid ID token that sign-in uses.
#[derive(Clone, Debug, PartialEq)]
pub struct IdClaims {
    /// The provider's id of the person.
    pub subject: String,
    /// Their e-mail address.
    pub email: Option<String>,
    /// Whether the provider verified it (`email_verified: true`).
    pub email_verified: bool,
    /// Their name.
    pub name: Option<String>,
    /// Every claim, for mapping.
    pub all: Value,
}

/// Checks the claims of a token whose signature holds.
pub(crate) fn check_claims(claims: Value, expected: &Expected<'_>) -> Result<IdClaims, TokenError> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let number = |name: &str| claims.get(name).and_then(Value::as_i64);
    if text("iss") != Some(expected.issuer) {
        return Err(TokenError::Claim("was issued by another issuer"));
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == expected.client_id,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(expected.client_id)),
        _ => false,
    };
    if !audience_ok {
        return Err(TokenError::Claim("is meant for another client"));
    }
    let several = matches!(claims.get("aud"), Some(Value::Array(a)) if a.len() > 1);
    match text("azp") {
        Some(azp) if azp != expected.client_id => {
            return Err(TokenError::Claim("was authorised for another client"));
        }
        None if several => return Err(TokenError::Claim("names several audiences but no azp")),
        _ => {}
    }
    let Some(exp) = number("exp") else {
        return Err(TokenError::Claim("has no expiry"));
    };
    if exp + LEEWAY_SECS <= expected.now_secs {
        return Err(TokenError::Claim("has expired"));
    }
    match number("iat") {
        Some(iat) if iat - LEEWAY_SECS > expected.now_secs => {
            return Err(TokenError::Claim("was issued in the future"));
        }
        Some(_) => {}
        None => return Err(TokenError::Claim("has no issue time")),
    }
    if number("nbf").is_some_and(|nbf| nbf - LEEWAY_SECS > expected.now_secs) {
        return Err(TokenError::Claim("is not valid yet"));
    }
    if text("nonce") != Some(expected.nonce) {
        return Err(TokenError::Claim("does not carry this sign-in's nonce"));
    }
    let Some(subject) = text("sub").filter(|s| !s.is_empty() && s.len() <= 255) else {
        return Err(TokenError::Claim("names no subject"));
    };
    Ok(IdClaims {
        subject: subject.to_owned(),
        email: text("email").map(str::to_owned),
        email_verified: claims.get("email_verified") == Some(&Value::Bool(true)),
        name: text("name").map(str::to_owned),
        all: claims.clone(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
    use serde_json::json;

    /// A P-256 key to sign test tokens with, and its JWK.
    pub(crate) struct TestKey {
        pair: EcdsaKeyPair,
        pub(crate) kid: String,
    }

    impl TestKey {
        pub(crate) fn new(kid: &str) -> Self {
            let rng = SystemRandom::new();
            let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .expect("a key");
            let pair =
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
                    .expect("a key pair");
            Self {
                pair,
                kid: kid.to_owned(),
            }
        }

        pub(crate) fn jwk(&self) -> Jwk {
            let point = self.pair.public_key().as_ref();
            Jwk {
                kty: "EC".to_owned(),
                kid: Some(self.kid.clone()),
                alg: Some("ES256".to_owned()),
                use_: Some("sig".to_owned()),
                n: None,
                e: None,
                crv: Some("P-256".to_owned()),
                x: Some(URL_SAFE_NO_PAD.encode(&point[1..33])),
                y: Some(URL_SAFE_NO_PAD.encode(&point[33..65])),
            }
        }

        pub(crate) fn sign(&self, claims: &Value) -> String {
            let header = json!({"alg": "ES256", "kid": self.kid, "typ": "JWT"});
            let signed = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header.to_string()),
                URL_SAFE_NO_PAD.encode(claims.to_string())
            );
            let signature = self
                .pair
                .sign(&SystemRandom::new(), signed.as_bytes())
                .expect("a signature");
            format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
        }
    }

    const NOW: i64 = 1_800_000_000;

    pub(crate) fn claims() -> Value {
        json!({
            "iss": "https://idp.test", "aud": "spoc", "sub": "u-1", "nonce": "n0nce",
            "iat": NOW - 5, "exp": NOW + 300, "email": "ada@example.test", "email_verified": true,
        })
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://idp.test",
            client_id: "spoc",
            nonce: "n0nce",
            now_secs: NOW,
        }
    }

    fn validate(token: &str, jwks: &Jwks) -> Result<IdClaims, TokenError> {
        check_claims(parse(token)?.verify(jwks)?, &expected())
    }

    #[test]
    fn a_well_signed_token_is_accepted() {
        let key = TestKey::new("k1");
        let jwks = Jwks {
            keys: vec![key.jwk()],
        };
        let claims = validate(&key.sign(&claims()), &jwks).unwrap();
        assert_eq!(claims.subject, "u-1");
        assert!(claims.email_verified);
    }

    #[test]
    fn a_tampered_token_is_refused() {
        let key = TestKey::new("k1");
        let jwks = Jwks {
            keys: vec![key.jwk()],
        };
        let token = key.sign(&claims());
        let mut forged = claims();
        forged["sub"] = json!("admin");
        let parts: Vec<&str> = token.split('.').collect();
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(forged.to_string()),
            parts[2]
        );
        assert_eq!(validate(&tampered, &jwks), Err(TokenError::Signature));
        // Another key with the same kid: not the provider's.
        let other = TestKey::new("k1");
        assert_eq!(
            validate(&other.sign(&claims()), &jwks),
            Err(TokenError::Signature)
        );
        // An unsigned token.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        assert_eq!(
            validate(&none, &jwks),
            Err(TokenError::Algorithm("none".to_owned()))
        );
        assert_eq!(validate("a.b", &jwks), Err(TokenError::Malformed));
    }

    #[test]
    fn an_unknown_kid_is_told_apart() {
        let key = TestKey::new("new");
        let old = TestKey::new("old");
        let jwks = Jwks {
            keys: vec![old.jwk()],
        };
        let token = key.sign(&claims());
        assert!(!parse(&token).unwrap().has_key_in(&jwks));
        assert_eq!(validate(&token, &jwks), Err(TokenError::UnknownKey));
    }

    #[test]
    fn claims_are_checked() {
        let key = TestKey::new("k1");
        let jwks = Jwks {
            keys: vec![key.jwk()],
        };
        let with = |name: &str, value: Value| {
            let mut c = claims();
            c[name] = value;
            validate(&key.sign(&c), &jwks)
        };
        assert_eq!(
            with("exp", json!(NOW - LEEWAY_SECS - 1)),
            Err(TokenError::Claim("has expired"))
        );
        assert!(with("exp", json!(NOW - 10)).is_ok(), "within the leeway");
        assert_eq!(
            with("nonce", json!("other")),
            Err(TokenError::Claim("does not carry this sign-in's nonce"))
        );
        assert_eq!(
            with("iss", json!("https://evil.test")),
            Err(TokenError::Claim("was issued by another issuer"))
        );
        assert_eq!(
            with("aud", json!("someone-else")),
            Err(TokenError::Claim("is meant for another client"))
        );
        assert_eq!(
            with("aud", json!(["spoc", "other"])),
            Err(TokenError::Claim("names several audiences but no azp"))
        );
        assert_eq!(
            with("azp", json!("other")),
            Err(TokenError::Claim("was authorised for another client"))
        );
        assert_eq!(
            with("nbf", json!(NOW + 600)),
            Err(TokenError::Claim("is not valid yet"))
        );
        assert_eq!(
            with("iat", json!(NOW + 600)),
            Err(TokenError::Claim("was issued in the future"))
        );
        assert!(
            !with("email_verified", json!("true"))
                .unwrap()
                .email_verified
        );
    }
}
