//! The OpenAPI document against the server that serves it: every documented operation is routed,
//! every error it documents is a problem, the public operations really are public, and every
//! problem code the API can answer with is in the table of `docs/api.md`.

use reqwest::Method;
use serde_json::Value;
use spoc_api::openapi::{PROBLEM_JSON, PUBLIC_OPERATIONS};
use spoc_http::NO_ROUTE_DETAIL as NO_ROUTE;
use spoc_http::error::PROBLEM_CODES;

use crate::both_backends;
use crate::harness::{Answer, Desk};

/// `path` with each `{name}` replaced: ids no row has, and a real action name, so that handlers
/// run and answer about the (missing) resource, never the router about the address.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        out.push_str(match &rest[start + 1..end] {
            "action" => "start",
            _ => "987654",
        });
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// Every `(method, path, operation)` of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                out.push((method.clone(), path.clone(), operation.clone()));
            }
        }
    }
    out
}

/// Sends `method` to `path` as `token` (or nobody), with the kind of body the operation takes.
async fn call(
    desk: &Desk,
    method: &str,
    path: &str,
    operation: &Value,
    token: Option<&str>,
) -> Answer {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let body = operation["requestBody"]["content"]
        .as_object()
        .and_then(|c| c.keys().next().cloned());
    let body = body.map(|media| match media.as_str() {
        "message/rfc822" => (
            "message/rfc822",
            b"From: someone@example.org\r\nTo: desk@spoc.test\r\nSubject: hello\r\n\r\nhello\r\n"
                .to_vec(),
        ),
        _ => ("application/json", b"{}".to_vec()),
    });
    desk.send(method, &concrete(path), token, &[], body).await
}

both_backends! {
    /// Every documented path and method is routed: an administrator gets an answer from the
    /// handler (perhaps "no such ticket"), never the router's 404 or 405. Every documented error
    /// is `application/problem+json` with the `Problem` schema, path parameters are the path's
    /// own, operation ids are unique, and what the document calls public answers without a token
    /// while everything else answers 401 without one.
    async fn document_matches_router(desk: Desk) {
        let doc = desk.send(Method::GET, "/api/v1/openapi.json", None, &[], None).await.expect(200).body;
        let operations = operations(&doc);
        assert!(operations.len() > 90, "the whole API is documented: {}", operations.len());
        let mut ids = std::collections::HashSet::new();
        for (method, path, operation) in &operations {
            let label = format!("{} {path}", method.to_uppercase());
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(ids.insert(id.to_owned()), "{label}: operation id {id:?} is not unique");

            // Path parameters are exactly the template's.
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            let template: Vec<&str> =
                path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
            let mut sorted = declared.clone();
            sorted.sort_unstable();
            let mut expected = template.clone();
            expected.sort_unstable();
            assert_eq!(sorted, expected, "{label}: path parameters");

            // Every error response is a problem, and only a problem.
            let responses = operation["responses"].as_object().expect("responses");
            for (status, response) in responses {
                let code: u16 = status.parse().unwrap_or_else(|_| panic!("{label}: status {status}"));
                if code < 400 {
                    continue;
                }
                let content = response["content"].as_object().unwrap_or_else(|| panic!("{label} {status}: content"));
                assert_eq!(content.keys().collect::<Vec<_>>(), vec![PROBLEM_JSON], "{label} {status}");
                assert_eq!(content[PROBLEM_JSON]["schema"]["$ref"], "#/components/schemas/Problem", "{label} {status}");
                assert!(
                    !response["description"].as_str().unwrap_or_default().is_empty(),
                    "{label} {status}: described"
                );
            }
            let public = PUBLIC_OPERATIONS.contains(&(method.as_str(), path.as_str()));
            assert_eq!(operation["security"].is_null(), public, "{label}: security is declared unless public");
            if !public {
                assert!(responses.contains_key("401"), "{label}: documents 401");
            }

            // The router knows it.
            let answer = call(&desk, method, path, operation, Some(&desk.admin.token)).await;
            assert_ne!(answer.status, 405, "{label} is routed for its method: {}", answer.text);
            assert!(
                !(answer.status == 404 && answer.body["detail"] == NO_ROUTE),
                "{label} is routed: {}",
                answer.text
            );
            assert!(answer.status < 500, "{label}: {} {}", answer.status, answer.text);
            assert!(
                responses.contains_key(&answer.status.to_string()),
                "{label}: answered {} which is not documented: {}",
                answer.status,
                answer.text
            );
            if answer.status >= 400 {
                assert!(answer.content_type().starts_with(PROBLEM_JSON), "{label}: {}", answer.content_type());
            }

            // Only the public operations answer without a token.
            if !public {
                call(&desk, method, path, operation, None).await.problem(401, "unauthenticated");
            }
        }
    }

    /// What the document says of query parameters holds: a number past its `maximum` or below its
    /// `minimum` is refused (400 `invalid_query`, not quietly clamped), the bounds themselves are
    /// taken, and a name outside an `enum` is refused as documented.
    async fn documented_query_rules_are_enforced(desk: Desk) {
        let doc = desk.send(Method::GET, "/api/v1/openapi.json", None, &[], None).await.expect(200).body;
        let mut bounded = 0;
        for (method, path, operation) in operations(&doc) {
            if method != "get" {
                continue;
            }
            let base = concrete(&path);
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] != "query" {
                    continue;
                }
                let name = parameter["name"].as_str().unwrap();
                let schema = &parameter["schema"];
                let documented = |status: u16| operation["responses"].get(status.to_string()).is_some();
                for (bound, step) in [("maximum", 1), ("minimum", -1)] {
                    let Some(limit) = schema[bound].as_i64() else { continue };
                    bounded += 1;
                    let url = format!("{base}?{name}={}", limit + step);
                    let answer = desk.get(&desk.admin, &url).await;
                    assert!(documented(400), "GET {path}: 400 documented");
                    answer.problem(400, "invalid_query");
                    let at = desk.get(&desk.admin, &format!("{base}?{name}={limit}")).await;
                    assert!(at.status != 400 && at.status != 422, "{url}: the bound itself is taken: {}", at.text);
                }
                if schema["enum"].is_array() {
                    let answer = desk.get(&desk.admin, &format!("{base}?{name}=no-such-value")).await;
                    assert!(
                        (answer.status == 400 || answer.status == 422) && documented(answer.status),
                        "GET {path}?{name}=no-such-value: {} {}",
                        answer.status,
                        answer.text
                    );
                }
            }
        }
        assert!(bounded >= 10, "the paging parameters are bounded: {bounded}");
    }

    /// A method a path does not take is a 405 problem that names the methods it does take, on the
    /// API and on the health checks alike.
    async fn unsupported_methods_are_405_problems(desk: Desk) {
        for path in ["/api/v1/tickets", "/healthz", "/readyz", "/api/v1/openapi.json"] {
            let answer = desk.send(Method::PATCH, path, Some(&desk.admin.token), &[], None).await;
            let answer = answer.problem(405, "method_not_allowed");
            let allow = answer.headers.get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(allow.contains("GET"), "{path}: Allow {allow:?}");
        }
    }
}

/// Every problem code the API can answer with is a row of the error table in `docs/api.md`, with
/// its status and title.
#[test]
fn every_problem_code_is_in_the_docs() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md")).unwrap();
    for problem in PROBLEM_CODES {
        let row = format!(
            "| `{}` | {} | {} |",
            problem.code, problem.status, problem.title
        );
        assert!(
            docs.lines().any(|line| line.starts_with(&row)),
            "docs/api.md lacks the row {row:?}"
        );
    }
}
