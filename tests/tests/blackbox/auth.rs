//! Authentication: every bad token is a 401 problem (never a 500), public routes
//! included; a valid token without the right is a 403; service accounts get tokens with
//! client credentials.

use base64::Engine;
use ggzy_blackbox::{both_backends, mint, Backend, Server, TEST_JWT_SECRET};
use serde_json::json;

use crate::{get, post, send, start};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens that must all be refused.
fn bad_tokens() -> Vec<(&'static str, String)> {
    let now = chrono::Utc::now().timestamp();
    let centre = Some("centre");
    let good = mint("centre_staff", centre, &[], TEST_JWT_SECRET);
    let payload = good.split('.').nth(1).unwrap().to_owned();
    vec![
        ("alg none", format!("{}.{payload}.", b64(br#"{"alg":"none","typ":"JWT"}"#))),
        ("wrong signature", mint("centre_staff", centre, &[], "another-secret-of-at-least-32-bytes-xyz")),
        ("wrong aud", mint("centre_staff", centre, &[("aud", json!("elsewhere"))], TEST_JWT_SECRET)),
        ("wrong iss", mint("centre_staff", centre, &[("iss", json!("someone-else"))], TEST_JWT_SECRET)),
        ("expired", mint("centre_staff", centre, &[("exp", json!(now - 3600))], TEST_JWT_SECRET)),
        ("future nbf", mint("centre_staff", centre, &[("nbf", json!(now + 3600))], TEST_JWT_SECRET)),
        ("exp as string", mint("centre_staff", centre, &[("exp", json!((now + 3600).to_string()))], TEST_JWT_SECRET)),
        ("unknown role", mint("mayor", centre, &[], TEST_JWT_SECRET)),
        ("role without org", mint("centre_staff", None, &[], TEST_JWT_SECRET)),
        ("not a jwt", "not-a-token".to_owned()),
        ("a lifetime beyond 24 hours", mint("centre_staff", centre, &[("exp", json!(i64::MAX))], TEST_JWT_SECRET)),
        ("a 100 KB token", mint("centre_staff", centre, &[("pad", json!("x".repeat(100_000)))], TEST_JWT_SECRET)),
        ("tampered payload", {
            let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
            parts[1] = b64(
                br#"{"sub":"x","role":"platform_admin","iss":"ggzy","aud":"ggzy","exp":9999999999,"iat":0,"jti":"x"}"#,
            );
            parts.join(".")
        }),
    ]
}

fn bad_tokens_are_401_everywhere(backend: Backend) {
    let Some(server) = start(backend) else { return };
    for (what, token) in bad_tokens() {
        for path in ["/api/v1/participants", "/api/v1/departments", "/healthz"] {
            let reply = get(&server, path, Some(&token));
            reply.problem(401, "unauthenticated");
            assert!(reply.headers.contains_key("www-authenticate"), "{what} on {path}");
        }
    }
    // A scheme other than Bearer is refused too.
    let basic = send(server.client().get(server.url("/api/v1/departments")).header("authorization", "Basic YTpi"));
    basic.problem(401, "unauthenticated");
}

fn no_token_is_401_and_wrong_role_is_403(backend: Backend) {
    let Some(server) = start(backend) else { return };
    get(&server, "/api/v1/participants", None).problem(401, "unauthenticated");
    let body =
        json!({"credit_code": "91110000600037341L", "name": "甲", "kinds": ["bidder"], "legal_representative": "张三"});
    let regulator = server.token("industry_regulator", Some("zjw"));
    post(&server, "/api/v1/participants", Some(&regulator), &body).problem(403, "forbidden");
    // Refused without a change: the participant was not registered.
    let centre = server.token("centre_staff", Some("centre"));
    assert_eq!(get(&server, "/api/v1/participants", Some(&centre)).body["items"], json!([]));
}

fn cli_token_is_accepted(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let output = server.cli(&["token", "--role", "centre_staff", "--org", "centre", "--sub", "wang"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let token = stdout.trim();
    assert_eq!(stdout.lines().count(), 1, "prints one token and nothing else: {stdout}");
    assert_eq!(get(&server, "/api/v1/participants", Some(token)).status, 200);
    let refused = server.cli(&["token", "--role", "centre_staff"]);
    assert!(!refused.status.success(), "a department role needs --org");
    let unknown = server.cli(&["token", "--role", "mayor", "--org", "x"]);
    assert!(!unknown.status.success());
}

fn create_account(server: &Server, scopes: &[&str]) -> (String, String) {
    let admin = server.token("platform_admin", None);
    let reply =
        post(server, "/api/v1/service-accounts", Some(&admin), &json!({"name": "区财政局系统", "scopes": scopes}));
    assert_eq!(reply.status, 201, "{}", reply.text);
    (reply.body["client_id"].as_str().unwrap().to_owned(), reply.body["client_secret"].as_str().unwrap().to_owned())
}

fn token_request(server: &Server, form: &[(&str, &str)]) -> crate::Reply {
    let body = form.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    send(
        server
            .client()
            .post(server.url("/api/v1/auth/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
    )
}

fn service_accounts_use_client_credentials(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let (client_id, secret) = create_account(&server, &["participants:write"]);
    let granted = token_request(
        &server,
        &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)],
    );
    assert_eq!(granted.status, 200, "{}", granted.text);
    assert_eq!(granted.body["token_type"], "Bearer");
    assert_eq!(granted.body["scope"], "participants:write");
    let token = granted.body["access_token"].as_str().unwrap();
    let body = json!({"credit_code": "914403001922038216", "name": "乙", "kinds": ["tenderer"], "legal_representative": "李四"});
    assert_eq!(post(&server, "/api/v1/participants", Some(token), &body).status, 201);
    // The scope does not reach persons.
    post(&server, "/api/v1/persons", Some(token), &json!({"name": "王五", "id_number": "11010519491231002X"}))
        .problem(403, "forbidden");

    // HTTP Basic works as well.
    let basic = send(
        server
            .client()
            .post(server.url("/api/v1/auth/token"))
            .basic_auth(&client_id, Some(&secret))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials"),
    );
    assert_eq!(basic.status, 200, "{}", basic.text);

    let wrong = token_request(
        &server,
        &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", "wrong")],
    );
    wrong.problem(401, "invalid-client");
    let unknown =
        token_request(&server, &[("grant_type", "client_credentials"), ("client_id", "svc-x"), ("client_secret", "x")]);
    unknown.problem(401, "invalid-client");
    let grant = token_request(&server, &[("grant_type", "password"), ("client_id", &client_id)]);
    assert_eq!(grant.problem(400, "malformed-request")["errors"][0]["field"], "grant_type");
}

fn service_accounts_are_for_platform_admins(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let centre = server.token("centre_staff", Some("centre"));
    post(&server, "/api/v1/service-accounts", Some(&centre), &json!({"name": "x", "scopes": []}))
        .problem(403, "forbidden");
    let admin = server.token("platform_admin", None);
    let reply =
        post(&server, "/api/v1/service-accounts", Some(&admin), &json!({"scopes": ["everything", "persons:read"]}));
    reply.problem(422, "validation-failed");
    assert_eq!(reply.error_fields(), vec!["name", "scopes[0]"]);
    let (client_id, _) = create_account(&server, &["persons:read"]);
    let listed = get(&server, "/api/v1/service-accounts", Some(&admin));
    assert_eq!(listed.body["items"][0]["client_id"], client_id.as_str());
    assert!(!listed.text.contains("secret"), "secrets are never listed: {}", listed.text);
}

both_backends!(
    bad_tokens_are_401_everywhere,
    no_token_is_401_and_wrong_role_is_403,
    cli_token_is_accepted,
    service_accounts_use_client_credentials,
    service_accounts_are_for_platform_admins,
    identity_provider_keys_are_selected_by_kid,
);

/// A production identity provider's EdDSA key, selected by `kid` from GGZY_JWKS_FILE.
fn identity_provider_keys_are_selected_by_kid(backend: Backend) {
    use ring::signature::{Ed25519KeyPair, KeyPair};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let other_pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let jwks = json!({"keys": [{
        "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": "idp-2026",
        "x": b64(pair.public_key().as_ref()),
    }]});
    let dir = tempfile::tempdir().unwrap();
    let jwks_path = dir.path().join("jwks.json");
    std::fs::write(&jwks_path, jwks.to_string()).unwrap();
    let Some(server) = Server::start_with(crate::BINARY, backend, &[("GGZY_JWKS_FILE", jwks_path.to_str().unwrap())])
    else {
        return;
    };
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": "li@zjw", "role": "industry_regulator", "org": "zjw", "iss": "ggzy", "aud": "ggzy",
        "iat": now, "nbf": now, "exp": now + 600, "jti": "1"});
    let sign = |pkcs8: &[u8], kid: &str| {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_ed_der(pkcs8)).unwrap()
    };
    let accepted = get(&server, "/api/v1/participants", Some(&sign(pkcs8.as_ref(), "idp-2026")));
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    get(&server, "/api/v1/participants", Some(&sign(other_pkcs8.as_ref(), "idp-2026"))).problem(401, "unauthenticated");
    get(&server, "/api/v1/participants", Some(&sign(pkcs8.as_ref(), "unknown-kid"))).problem(401, "unauthenticated");
    // An HS256 token that names the provider's kid is refused: the key decides the algorithm.
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some("idp-2026".into());
    let confused =
        jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()))
            .unwrap();
    get(&server, "/api/v1/participants", Some(&confused)).problem(401, "unauthenticated");
}
