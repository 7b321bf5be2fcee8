//! `Authentication-Results` (RFC 8601): what the receiving mail server found when it checked
//! SPF, DKIM and DMARC, and whether that proves the `From` domain of a message. Anyone can
//! write any `From:` and any header, so only the results of a server the desk trusts count —
//! and of those only the topmost ones, which that server added itself on receipt: a forged
//! header naming the same server sits below them.

use mail_parser::Message;

use crate::text::fold_line;

/// At most this many `Authentication-Results` fields are read from one message.
const MAX_FIELDS: usize = 50;

/// One `Authentication-Results` header field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthResults {
    /// The server that added it (`authserv-id`), lower-cased.
    pub authserv_id: String,
    /// The results it reports, in order.
    pub results: Vec<AuthResult>,
    /// Its position among all the message's header fields (0 = the topmost).
    pub position: usize,
}

/// One method's result, e.g. `dkim=pass header.d=example.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthResult {
    /// `spf`, `dkim`, `dmarc`… lower-cased, without a version.
    pub method: String,
    /// `pass`, `fail`, `none`… lower-cased.
    pub result: String,
    /// The properties (`header.d`, `smtp.mailfrom`, `header.from`…) with lower-cased names.
    pub properties: Vec<(String, String)>,
}

impl AuthResult {
    /// The value of property `name` (e.g. `header.d`), if given.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every `Authentication-Results` field of `message`, topmost first.
pub(crate) fn read(message: &Message<'_>) -> Vec<AuthResults> {
    message
        .headers()
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.name
                .as_str()
                .eq_ignore_ascii_case("Authentication-Results")
        })
        .take(MAX_FIELDS)
        .filter_map(|(position, header)| {
            let raw = message
                .raw_message
                .get(header.offset_start as usize..header.offset_end as usize)?;
            parse_field(&String::from_utf8_lossy(raw), position)
        })
        .collect()
}

/// Reads one field's value; `None` when it names no server.
fn parse_field(value: &str, position: usize) -> Option<AuthResults> {
    let value = fold_line(&strip_comments(value));
    let mut segments = split_outside_quotes(&value, ';').into_iter();
    let authserv_id = segments
        .next()?
        .split_whitespace()
        .next()
        .map(|id| unquote(id).to_ascii_lowercase())
        .filter(|id| !id.is_empty())?;
    let results = segments.filter_map(|s| parse_result(&s)).collect();
    Some(AuthResults {
        authserv_id,
        results,
        position,
    })
}

/// `method[/version]=result [reason=…] ptype.property=value…`
fn parse_result(segment: &str) -> Option<AuthResult> {
    let mut tokens: Vec<String> = Vec::new();
    for token in split_outside_quotes(segment, ' ') {
        let token = token.trim().to_owned();
        if token.is_empty() {
            continue;
        }
        match tokens.last_mut() {
            Some(last) if last.ends_with('=') || token.starts_with('=') => last.push_str(&token),
            _ => tokens.push(token),
        }
    }
    let mut tokens = tokens.into_iter();
    let (method, result) = tokens.next()?.split_once('=').map(|(m, r)| {
        (
            m.split('/')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase(),
            r.trim().to_ascii_lowercase(),
        )
    })?;
    if method.is_empty() || result.is_empty() || method == "none" {
        return None;
    }
    let properties = tokens
        .filter_map(|t| {
            let (name, value) = t.split_once('=')?;
            let name = name.trim().to_ascii_lowercase();
            (name.contains('.')).then(|| (name, unquote(value.trim()).to_owned()))
        })
        .collect();
    Some(AuthResult {
        method,
        result,
        properties,
    })
}

/// The value without RFC 5322 comments (nested parentheses), keeping quoted strings.
fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut depth = 0_usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Splits at `separator` where it is not inside a quoted string.
fn split_outside_quotes(value: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in value.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == separator && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// Whether `value` (a domain, or an address whose domain counts) is aligned with `from_domain`:
/// the same domain, or a parent of it (whoever controls `example.com` controls
/// `mail.example.com`). A bare top-level name never aligns.
fn aligned(value: &str, from_domain: &str) -> bool {
    let domain = value
        .rsplit('@')
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    domain.contains('.') && (from_domain == domain || from_domain.ends_with(&format!(".{domain}")))
}

/// Whether the message's `From` domain was authenticated by one of the `trusted` servers
/// (authserv-ids): `Ok` with how, `Err` with why not, as sentences' parts.
///
/// Only the first `Authentication-Results` field from a trusted server counts, with the ones
/// directly below it from trusted servers (several checkers on one server add one field
/// each); fields from other servers are ignored, and so is everything further down — a
/// sender can put any header into a message, and a server adds its own on top. They prove
/// the domain when they say `dmarc=pass` (for this `header.from`, when named), `dkim=pass`
/// with `header.d` the `From` domain or a parent of it, or `spf=pass` with `smtp.mailfrom`
/// likewise.
pub(crate) fn authenticate(
    fields: &[AuthResults],
    from_domain: Option<&str>,
    trusted: &[String],
) -> Result<String, String> {
    let trusted: Vec<String> = trusted.iter().map(|t| t.to_ascii_lowercase()).collect();
    if trusted.is_empty() {
        return Err("no mail server is trusted to authenticate senders (the desk's trusted authserv-ids are not set)".to_owned());
    }
    let Some(from) = from_domain
        .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
    else {
        return Err("it has no sender domain to authenticate".to_owned());
    };
    let is_trusted = |f: &AuthResults| trusted.contains(&f.authserv_id);
    let Some(first) = fields.iter().position(is_trusted) else {
        return Err(format!(
            "it carries no Authentication-Results from a trusted server ({})",
            trusted.join(", ")
        ));
    };
    let mut counted = vec![&fields[first]];
    let mut previous = fields[first].position;
    for field in &fields[first + 1..] {
        if field.position != previous + 1 {
            break;
        }
        previous = field.position;
        if is_trusted(field) {
            counted.push(field);
        }
    }
    for field in &counted {
        for r in field.results.iter().filter(|r| r.result == "pass") {
            let proof = match r.method.as_str() {
                "dmarc" => match r.property("header.from") {
                    Some(d) if !d.trim_end_matches('.').eq_ignore_ascii_case(&from) => None,
                    _ => Some("dmarc=pass".to_owned()),
                },
                "dkim" => r
                    .property("header.d")
                    .filter(|d| aligned(d, &from))
                    .map(|d| format!("dkim=pass header.d={d}")),
                "spf" => r
                    .property("smtp.mailfrom")
                    .filter(|d| aligned(d, &from))
                    .map(|d| format!("spf=pass smtp.mailfrom={d}")),
                _ => None,
            };
            if let Some(proof) = proof {
                return Ok(format!(
                    "the trusted server {} authenticated {from} ({proof})",
                    field.authserv_id
                ));
            }
        }
    }
    let found: Vec<String> = counted
        .iter()
        .flat_map(|f| f.results.iter())
        .map(|r| format!("{}={}", r.method, r.result))
        .collect();
    Err(format!(
        "the trusted server {} did not authenticate {from} ({})",
        fields[first].authserv_id,
        if found.is_empty() {
            "no results".to_owned()
        } else {
            found.join(", ")
        }
    ))
}
