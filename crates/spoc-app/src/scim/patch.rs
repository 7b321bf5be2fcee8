//! Reading SCIM request documents: PATCH operations (RFC 7644, section 3.5.2) with and without
//! `path`, attribute paths such as `name.givenName`, `emails[type eq "work"].value` or
//! `members[value eq "12"]`, and the lenient values identity providers send (`"False"` for
//! `false`, `"Replace"` for `replace`).

use serde_json::{Map, Value};

use super::ScimError;
use super::filter::{self, Comparison};

/// The URN every PATCH request names.
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// What a PATCH operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// Add values (for a single-valued attribute: set it).
    Add,
    /// Replace values.
    Replace,
    /// Remove values.
    Remove,
}

/// An attribute path: `attribute[filter].sub`, lower-cased, without a core schema prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Path {
    /// The attribute (a whole extension URN path for an extension's attribute).
    pub attribute: String,
    /// A value filter on a multi-valued attribute.
    pub filter: Option<Comparison>,
    /// The sub-attribute.
    pub sub: Option<String>,
}

impl Path {
    /// Whether the path names an attribute of a schema extension (such as the enterprise user).
    pub(crate) fn is_extension(&self) -> bool {
        self.attribute.starts_with("urn:")
    }
}

/// One PATCH operation.
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    /// What it does.
    pub op: Op,
    /// Where (none: the value is an object of attributes).
    pub path: Option<Path>,
    /// The value.
    pub value: Option<Value>,
}

/// A 400 `invalidValue`.
pub(crate) fn invalid_value(detail: impl Into<String>) -> ScimError {
    ScimError::bad("invalidValue", detail)
}

/// A 400 `invalidSyntax`.
pub(crate) fn invalid_syntax(detail: impl Into<String>) -> ScimError {
    ScimError::bad("invalidSyntax", detail)
}

/// An object member by case-insensitive name (SCIM's attribute names are).
pub(crate) fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// A boolean, also as the strings `"true"`/`"false"` in any case (Entra ID sends those).
pub(crate) fn boolean(value: &Value, what: &str) -> Result<bool, ScimError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(invalid_value(format!("{what} must be true or false"))),
    }
}

/// A string, or none for `null`.
pub(crate) fn text(value: &Value, what: &str) -> Result<Option<String>, ScimError> {
    match value {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Null => Ok(None),
        _ => Err(invalid_value(format!("{what} must be a string"))),
    }
}

/// The request document as an object.
pub(crate) fn object(body: &Value) -> Result<&Map<String, Value>, ScimError> {
    body.as_object()
        .ok_or_else(|| invalid_syntax("the request body must be a JSON object"))
}

/// Parses an attribute path.
pub(crate) fn path(text: &str) -> Result<Path, ScimError> {
    let invalid = || ScimError::bad("invalidPath", format!("{text:?} is not an attribute path"));
    if text.trim().is_empty() || text.len() > filter::FILTER_MAX_BYTES {
        return Err(invalid());
    }
    let (head, filter, tail) = match text.find('[') {
        Some(open) => {
            let close = text.rfind(']').filter(|&c| c > open).ok_or_else(invalid)?;
            let mut comparisons = filter::parse(&text[open + 1..close])
                .map_err(|e| ScimError::bad("invalidPath", e.detail))?;
            if comparisons.len() != 1 {
                return Err(invalid());
            }
            let tail = &text[close + 1..];
            let tail = if tail.is_empty() {
                None
            } else {
                Some(tail.strip_prefix('.').ok_or_else(invalid)?)
            };
            (&text[..open], comparisons.pop(), tail)
        }
        None => (text, None, None),
    };
    let attribute = filter::attribute_name(head.trim());
    if attribute.is_empty()
        || !attribute
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '$' | '_' | '-'))
    {
        return Err(invalid());
    }
    let filter = filter.map(|mut c| {
        // The filter's attribute is relative to the multi-valued one: `type`, not `emails.type`.
        c.attribute = c
            .attribute
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_owned();
        c
    });
    if attribute.starts_with("urn:") || filter.is_some() {
        return Ok(Path {
            attribute,
            filter,
            sub: tail.map(str::to_ascii_lowercase),
        });
    }
    match attribute.split_once('.') {
        Some((attribute, sub)) if !sub.is_empty() && !sub.contains('.') => Ok(Path {
            attribute: attribute.to_owned(),
            filter: None,
            sub: Some(sub.to_owned()),
        }),
        Some(_) => Err(invalid()),
        None => Ok(Path {
            attribute,
            filter: None,
            sub: None,
        }),
    }
}

/// The operations of a PATCH request body.
pub(crate) fn operations(body: &Value) -> Result<Vec<Operation>, ScimError> {
    let body = object(body)?;
    if let Some(schemas) = field(body, "schemas") {
        let named = schemas
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s.as_str() == Some(PATCH_OP)));
        if !named {
            return Err(invalid_syntax(format!("schemas must name {PATCH_OP}")));
        }
    }
    let Some(Value::Array(list)) = field(body, "Operations") else {
        return Err(invalid_syntax("a PATCH request needs an Operations array"));
    };
    if list.is_empty() || list.len() > 1000 {
        return Err(invalid_syntax("Operations must hold 1 to 1,000 operations"));
    }
    list.iter()
        .map(|operation| {
            let operation = operation
                .as_object()
                .ok_or_else(|| invalid_syntax("each operation must be a JSON object"))?;
            let op = match field(operation, "op").and_then(Value::as_str) {
                Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
                Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
                Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
                _ => {
                    return Err(invalid_syntax(
                        "each operation's op must be add, replace or remove",
                    ));
                }
            };
            let path = match field(operation, "path") {
                None | Some(Value::Null) => None,
                Some(Value::String(p)) => Some(path(p)?),
                Some(_) => return Err(ScimError::bad("invalidPath", "path must be a string")),
            };
            let value = field(operation, "value").cloned();
            match (op, &path, &value) {
                (Op::Remove, None, _) => Err(ScimError::bad(
                    "noTarget",
                    "a remove operation needs a path",
                )),
                (Op::Add | Op::Replace, _, None) => {
                    Err(invalid_value("an add or replace operation needs a value"))
                }
                (Op::Add | Op::Replace, None, Some(v)) if !v.is_object() => Err(invalid_value(
                    "an operation without a path needs an object of attributes as its value",
                )),
                _ => Ok(Operation { op, path, value }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_read() {
        let p = path(r#"emails[type eq "work"].value"#).unwrap();
        assert_eq!(p.attribute, "emails");
        assert_eq!(p.filter.unwrap().attribute, "type");
        assert_eq!(p.sub.as_deref(), Some("value"));
        let p = path("name.givenName").unwrap();
        assert_eq!(
            (p.attribute.as_str(), p.sub.as_deref()),
            ("name", Some("givenname"))
        );
        let p = path(r#"members[value eq "12"]"#).unwrap();
        assert_eq!(p.attribute, "members");
        assert_eq!(
            path("urn:ietf:params:scim:schemas:core:2.0:User:active")
                .unwrap()
                .attribute,
            "active"
        );
        assert!(
            path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
                .unwrap()
                .is_extension()
        );
        for bad in [
            "",
            "a.b.c",
            "emails[type eq \"work\"",
            "emails]x[",
            "na me",
            "members[value co \"1\"]",
        ] {
            assert_eq!(
                path(bad).unwrap_err().scim_type,
                Some("invalidPath"),
                "{bad}"
            );
        }
    }

    #[test]
    fn operations_are_read_strictly() {
        let ops = operations(&json!({
            "schemas": [PATCH_OP],
            "Operations": [{ "op": "Replace", "path": "active", "value": "False" }]
        }))
        .unwrap();
        assert_eq!(ops[0].op, Op::Replace);
        assert!(!boolean(ops[0].value.as_ref().unwrap(), "active").unwrap());
        for bad in [
            json!([]),
            json!({ "Operations": [] }),
            json!({ "Operations": [{ "op": "move", "path": "active" }] }),
            json!({ "Operations": [{ "op": "remove" }] }),
            json!({ "Operations": [{ "op": "replace", "path": "active" }] }),
            json!({ "Operations": [{ "op": "replace", "value": false }] }),
            json!({ "schemas": ["other"], "Operations": [{ "op": "replace", "value": {} }] }),
        ] {
            assert_eq!(operations(&bad).unwrap_err().status, 400, "{bad}");
        }
    }
}
