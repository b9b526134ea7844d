//! Bearer tokens. Local tokens are HS256 with the platform's secret (the embedded default,
//! `ggzy token` and client credentials); a production identity provider's EdDSA or RS256
//! keys are read from a JWKS file and selected by `kid`. `exp` and `nbf` are checked against
//! the platform's injected clock, `iss` and `aud` against configuration.

use std::collections::HashMap;
use std::future::{ready, Ready};

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::{DateTime, Utc};
use ggzy_service::principal::OrganisationKind;
use ggzy_service::{Principal, Role};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::problem::ApiError;
use crate::AppState;

/// Seconds of clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: i64 = 30;

/// The claims ggzy reads. `iss` and `aud` are checked by the validation; `exp` must be a
/// number (a string is refused as malformed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// Space-separated scopes of a service account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub iss: String,
    /// A string or a list of strings (RFC 7519 §4.1.3).
    pub aud: serde_json::Value,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub iat: i64,
    pub jti: String,
}

/// Why a token was refused. Only the Chinese text reaches the caller.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("令牌格式或签名无效")]
    Invalid,
    #[error("令牌已过期")]
    Expired,
    #[error("令牌尚未生效")]
    NotYetValid,
    #[error("令牌签发方或受众不符")]
    WrongIssuerOrAudience,
    #[error("令牌中的角色无效")]
    UnknownRole,
    #[error("该角色的令牌必须注明所属机构（org）")]
    MissingOrganisation,
    #[error("令牌过长")]
    TooLarge,
    #[error("令牌有效期超过平台允许的最长期限")]
    LifetimeTooLong,
}

/// The longest token accepted, in bytes: a token is a few hundred bytes; anything near this
/// is an attempt to make every request expensive.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// The longest lifetime (`exp - iat`) of a local token by default: 24 hours.
pub const DEFAULT_MAX_LIFETIME_SECONDS: i64 = 86_400;

struct IdentityProviderKey {
    key: DecodingKey,
    algorithm: Algorithm,
}

/// A local HS256 key: named by a `kid` derived from it, so that a token says which key
/// signed it without saying anything about the key.
struct LocalKey {
    kid: String,
    decoding: DecodingKey,
}

impl LocalKey {
    fn new(secret: &[u8]) -> LocalKey {
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(secret));
        LocalKey { kid: format!("local-{}", &digest[..12]), decoding: DecodingKey::from_secret(secret) }
    }
}

/// Verifies and issues tokens.
pub struct TokenAuthority {
    local_encoding: EncodingKey,
    /// The current local key first, then the previous ones (`GGZY_JWT_PREVIOUS_SECRETS`),
    /// which still verify the tokens they signed until those expire.
    local_keys: Vec<LocalKey>,
    provider_keys: HashMap<String, IdentityProviderKey>,
    issuer: String,
    audience: String,
    max_lifetime_seconds: i64,
    /// Tokens whose signature and claims have been checked, with what they say: a client
    /// presents the same token on every request, and checking it (base64, a MAC or a
    /// signature, two JSON documents) was a measurable part of an HTTP request's cost. The
    /// keys never change for the life of the authority, so a token verified once verifies
    /// the same way again; its times are checked against the clock on every use.
    verified: std::sync::Mutex<HashMap<String, Verified>>,
}

/// At most this many tokens are remembered (a client's token is a few hundred bytes); when
/// full, the memory is emptied and fills again from the tokens in use.
const VERIFIED_TOKENS_KEPT: usize = 1024;

/// What a token with a good signature, issuer and audience says, with the checks that do
/// not depend on the time already made.
#[derive(Clone)]
struct Verified {
    exp: i64,
    nbf: Option<i64>,
    lifetime_too_long: bool,
    principal: Result<Principal, TokenError>,
}

impl std::fmt::Debug for TokenAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAuthority")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("provider_kids", &self.provider_keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl TokenAuthority {
    pub fn new(secret: &[u8], issuer: String, audience: String) -> Self {
        TokenAuthority {
            local_encoding: EncodingKey::from_secret(secret),
            local_keys: vec![LocalKey::new(secret)],
            provider_keys: HashMap::new(),
            issuer,
            audience,
            max_lifetime_seconds: DEFAULT_MAX_LIFETIME_SECONDS,
            verified: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// A previous local secret: tokens it signed verify until they expire; nothing new is
    /// signed with it.
    pub fn with_previous_secret(mut self, secret: &[u8]) -> Self {
        self.local_keys.push(LocalKey::new(secret));
        self
    }

    /// The longest lifetime (`exp - iat`) a local token may have (`GGZY_TOKEN_MAX_LIFETIME_SECONDS`).
    pub fn with_max_lifetime(mut self, seconds: i64) -> Self {
        self.max_lifetime_seconds = seconds;
        self
    }

    /// Adds the keys of a JSON Web Key Set. Only EdDSA and RS256 keys with a `kid` are taken.
    pub fn with_jwks(mut self, jwks_json: &str) -> anyhow::Result<Self> {
        let set: JwkSet = serde_json::from_str(jwks_json)?;
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else {
                anyhow::bail!("every key in the JWKS needs a kid");
            };
            let algorithm = match &jwk.algorithm {
                jsonwebtoken::jwk::AlgorithmParameters::OctetKeyPair(_) => Algorithm::EdDSA,
                jsonwebtoken::jwk::AlgorithmParameters::RSA(_) => Algorithm::RS256,
                _ => anyhow::bail!("key {kid}: only EdDSA (OKP Ed25519) and RS256 (RSA) keys are accepted"),
            };
            let key = DecodingKey::from_jwk(jwk)?;
            self.provider_keys.insert(kid, IdentityProviderKey { key, algorithm });
        }
        Ok(self)
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Time is checked below against the injected clock, not the library's system time.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation
    }

    /// Checks a presented token and returns its principal.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Principal, TokenError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::TooLarge);
        }
        let remembered = self.verified.lock().unwrap_or_else(|p| p.into_inner()).get(token).cloned();
        let verified = match remembered {
            Some(verified) => verified,
            None => {
                let verified = self.check_signed(token)?;
                let mut memory = self.verified.lock().unwrap_or_else(|p| p.into_inner());
                if memory.len() >= VERIFIED_TOKENS_KEPT {
                    memory.clear();
                }
                memory.insert(token.to_owned(), verified.clone());
                verified
            }
        };
        // A local token lives a bounded time (`exp` = i64::MAX would be a key for ever).
        if verified.lifetime_too_long {
            return Err(TokenError::LifetimeTooLong);
        }
        let now = now.timestamp();
        if verified.exp <= now - LEEWAY_SECONDS {
            return Err(TokenError::Expired);
        }
        if verified.nbf.is_some_and(|nbf| nbf > now + LEEWAY_SECONDS) {
            return Err(TokenError::NotYetValid);
        }
        verified.principal
    }

    /// The checks of a token that do not depend on the time: its key, signature, issuer and
    /// audience, its lifetime, role and organisation.
    fn check_signed(&self, token: &str) -> Result<Verified, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        let kid = header.kid.as_deref();
        let local = kid.is_none_or(|k| k == "local" || k.starts_with("local-"));
        let candidates: Vec<(&DecodingKey, Algorithm)> = match kid {
            Some(kid) if self.provider_keys.contains_key(kid) => {
                let provider = self.provider_keys.get(kid).ok_or(TokenError::Invalid)?;
                vec![(&provider.key, provider.algorithm)]
            }
            Some(kid) if kid.starts_with("local-") => {
                let key = self.local_keys.iter().find(|k| k.kid == kid).ok_or(TokenError::Invalid)?;
                vec![(&key.decoding, Algorithm::HS256)]
            }
            // Tokens from before local keys had ids: the current key, then the previous ones.
            None | Some("local") => self.local_keys.iter().map(|k| (&k.decoding, Algorithm::HS256)).collect(),
            Some(_) => return Err(TokenError::Invalid),
        };
        let mut outcome = Err(TokenError::Invalid);
        for (key, algorithm) in candidates {
            if header.alg != algorithm {
                return Err(TokenError::Invalid);
            }
            outcome = jsonwebtoken::decode::<Claims>(token, key, &self.validation(algorithm)).map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                match e.kind() {
                    ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => TokenError::WrongIssuerOrAudience,
                    _ => TokenError::Invalid,
                }
            });
            if !matches!(outcome, Err(TokenError::Invalid)) {
                break;
            }
        }
        let claims = outcome?.claims;
        let lifetime_too_long = local && claims.exp.saturating_sub(claims.iat) > self.max_lifetime_seconds;
        let principal = Role::parse(&claims.role).ok_or(TokenError::UnknownRole).and_then(|role| {
            let org = claims.org.filter(|o| !o.is_empty());
            if role.organisation_kind() != OrganisationKind::None && org.is_none() {
                return Err(TokenError::MissingOrganisation);
            }
            let scopes = claims.scope.map(|s| s.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect());
            Ok(Principal { subject: claims.sub, role, org, scopes: scopes.unwrap_or_default(), request_key: None })
        });
        Ok(Verified { exp: claims.exp, nbf: claims.nbf, lifetime_too_long, principal })
    }

    /// Issues a local HS256 token for a principal.
    pub fn issue(&self, principal: &Principal, now: DateTime<Utc>, ttl_seconds: i64) -> anyhow::Result<String> {
        let claims = Claims {
            sub: principal.subject.clone(),
            role: principal.role.as_str().to_owned(),
            org: principal.org.clone(),
            scope: (!principal.scopes.is_empty()).then(|| principal.scopes.join(" ")),
            iss: self.issuer.clone(),
            aud: serde_json::Value::String(self.audience.clone()),
            exp: now.timestamp() + ttl_seconds,
            nbf: Some(now.timestamp()),
            iat: now.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = self.local_keys.first().map(|k| k.kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &self.local_encoding)?)
    }
}

/// The caller of a request: `None` when no token was presented. A token that is presented
/// but fails any check is a 401 on every route, public ones included.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Principal>);

impl Caller {
    pub fn principal(&self) -> Option<&Principal> {
        self.0.as_ref()
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        ready(caller_of(req))
    }
}

fn caller_of(req: &HttpRequest) -> Result<Caller, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(Caller(None));
    };
    let text = value.to_str().map_err(|_| ApiError::unauthenticated("Authorization 头格式错误"))?;
    let token = match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => token.trim(),
        _ => return Err(ApiError::unauthenticated("Authorization 头须为 Bearer 令牌")),
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::new(crate::problem::ProblemType::InternalError, "服务配置错误"))?;
    state
        .tokens
        .verify(token, state.platform.now())
        .map(|mut p| {
            p.request_key = actix_web::HttpMessage::extensions(req).get::<ggzy_service::RequestKey>().cloned();
            Caller(Some(p))
        })
        .map_err(|e| ApiError::unauthenticated(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> TokenAuthority {
        TokenAuthority::new(b"0123456789abcdef0123456789abcdef", "ggzy".into(), "ggzy".into())
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00+08:00").unwrap().with_timezone(&Utc)
    }

    fn principal() -> Principal {
        Principal {
            subject: "wang".into(),
            role: Role::CentreStaff,
            org: Some("centre".into()),
            scopes: vec![],
            request_key: None,
        }
    }

    #[test]
    fn an_issued_token_verifies_to_its_principal() {
        let a = authority();
        let token = a.issue(&principal(), now(), 600).unwrap();
        assert_eq!(a.verify(&token, now()).unwrap(), principal());
    }

    #[test]
    fn expiry_and_not_before_follow_the_injected_clock() {
        let a = authority();
        let token = a.issue(&principal(), now(), 600).unwrap();
        assert_eq!(a.verify(&token, now() + chrono::Duration::seconds(700)), Err(TokenError::Expired));
        assert_eq!(a.verify(&token, now() - chrono::Duration::seconds(120)), Err(TokenError::NotYetValid));
    }

    #[test]
    fn a_token_lives_at_most_the_maximum_and_is_not_huge() {
        let a = authority();
        let day = a.issue(&principal(), now(), DEFAULT_MAX_LIFETIME_SECONDS).unwrap();
        assert!(a.verify(&day, now()).is_ok());
        let longer = a.issue(&principal(), now(), DEFAULT_MAX_LIFETIME_SECONDS + 1).unwrap();
        assert_eq!(a.verify(&longer, now()), Err(TokenError::LifetimeTooLong));
        let shorter = authority().with_max_lifetime(600);
        assert_eq!(shorter.verify(&day, now()), Err(TokenError::LifetimeTooLong));
        let huge = format!("{day}{}", "x".repeat(MAX_TOKEN_BYTES));
        assert_eq!(a.verify(&huge, now()), Err(TokenError::TooLarge));
    }

    #[test]
    fn a_remembered_token_is_still_checked_against_the_clock_and_only_as_it_was_signed() {
        let a = authority();
        let token = a.issue(&principal(), now(), 600).unwrap();
        assert_eq!(a.verify(&token, now()).unwrap(), principal());
        assert_eq!(a.verify(&token, now() + chrono::Duration::seconds(700)), Err(TokenError::Expired));
        assert_eq!(a.verify(&token, now() - chrono::Duration::seconds(120)), Err(TokenError::NotYetValid));
        assert_eq!(a.verify(&token, now()).unwrap(), principal(), "and verifies again in its time");
        // The same claims with a character of the signature changed.
        let at = token.len() - 10;
        let changed = if &token[at..=at] == "A" { "B" } else { "A" };
        let forged = format!("{}{changed}{}", &token[..at], &token[at + 1..]);
        assert_eq!(a.verify(&forged, now()), Err(TokenError::Invalid));
        let mut bad = principal();
        bad.org = None;
        let without_org = a.issue(&bad, now(), 600).unwrap();
        for _ in 0..2 {
            assert_eq!(a.verify(&without_org, now()), Err(TokenError::MissingOrganisation), "remembered as refused");
        }
    }

    #[test]
    fn the_memory_of_verified_tokens_stays_bounded() {
        let a = authority();
        let tokens: Vec<String> = (0..VERIFIED_TOKENS_KEPT + 10)
            .map(|n| {
                let mut p = principal();
                p.subject = format!("staff-{n}");
                a.issue(&p, now(), 600).unwrap()
            })
            .collect();
        for (n, token) in tokens.iter().enumerate().chain(tokens.iter().enumerate()) {
            assert_eq!(a.verify(token, now()).unwrap().subject, format!("staff-{n}"));
            assert!(a.verified.lock().unwrap().len() <= VERIFIED_TOKENS_KEPT);
        }
    }

    #[test]
    fn a_rotated_secret_verifies_its_tokens_until_they_expire() {
        let old = authority();
        let token = old.issue(&principal(), now(), 600).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert!(header.kid.as_deref().is_some_and(|k| k.starts_with("local-")), "{header:?}");
        let new_secret = b"another-secret-of-at-least-32-bytes-0123456";
        let rotated = TokenAuthority::new(new_secret, "ggzy".into(), "ggzy".into())
            .with_previous_secret(b"0123456789abcdef0123456789abcdef");
        assert_eq!(rotated.verify(&token, now()).unwrap().subject, principal().subject, "an old token still works");
        let fresh = rotated.issue(&principal(), now(), 600).unwrap();
        assert_ne!(jsonwebtoken::decode_header(&fresh).unwrap().kid, header.kid, "new tokens name the new key");
        assert!(old.verify(&fresh, now()).is_err(), "and are signed with it");
        let without_previous = TokenAuthority::new(new_secret, "ggzy".into(), "ggzy".into());
        assert!(
            matches!(without_previous.verify(&token, now()), Err(TokenError::Invalid)),
            "once dropped, old tokens end"
        );
        assert!(matches!(rotated.verify(&token, now() + chrono::Duration::seconds(700)), Err(TokenError::Expired)));
    }

    #[test]
    fn another_secret_or_audience_is_refused() {
        let token = authority().issue(&principal(), now(), 600).unwrap();
        let other = TokenAuthority::new(b"another-secret-another-secret-xx", "ggzy".into(), "ggzy".into());
        assert_eq!(other.verify(&token, now()), Err(TokenError::Invalid));
        let other_aud = TokenAuthority::new(b"0123456789abcdef0123456789abcdef", "ggzy".into(), "elsewhere".into());
        assert_eq!(other_aud.verify(&token, now()), Err(TokenError::WrongIssuerOrAudience));
    }

    #[test]
    fn a_role_bound_to_an_organisation_needs_one() {
        let a = authority();
        let mut p = principal();
        p.org = None;
        let token = a.issue(&p, now(), 600).unwrap();
        assert_eq!(a.verify(&token, now()), Err(TokenError::MissingOrganisation));
    }
}
