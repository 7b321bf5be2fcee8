//! Every SQL statement of the store that touches a tenant-owned table filters or stamps the
//! tenant, or says why it covers every tenant.
//!
//! This test reads the store's source files (no database): it finds each string literal that
//! starts a statement (`SELECT`, `INSERT`, `UPDATE`, `DELETE`, `WITH`), the tables it names
//! after `FROM`, `JOIN`, `INTO` and `UPDATE`, and, when one of them is tenant-owned (it has a
//! `tenant_id` column in the SQLite migrations), requires one of:
//!
//! - `tenant_id` in the statement's text (a filter, a stamp, a subquery for the parent's tenant);
//! - a comment `/* all-tenants: <why> */` in the statement's text;
//! - a call of a scope helper of `scope.rs` (`push_scope`, `push_tenant`, `push_tenant_of`, or
//!   `push_filters`, which always calls `push_scope`) on the statement before the next one
//!   begins.
//!
//! Statements the tenant seam has not reached yet are counted per file in [`NOT_YET`]: the count
//! must match exactly, so a new statement that forgets the tenant fails here, and so does a
//! conversion that forgets to lower the count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Per file, how many statements over tenant-owned tables do not take the tenant yet. Lower a
/// count when converting; never raise one.
const NOT_YET: &[(&str, usize)] = &[];

/// The calls that append a tenant filter to a statement built piece by piece.
const SCOPE_HELPERS: &[&str] = &[
    "push_scope(",
    "push_tenant(",
    "push_tenant_of(",
    "push_filters(",
];

/// The marker of a statement that covers every tenant on purpose.
const ALL_TENANTS: &str = "/* all-tenants:";

/// A statement over a tenant-owned table that does not take the tenant.
#[derive(Debug)]
struct Unscoped {
    line: usize,
    text: String,
}

/// One string literal of a Rust source: its first line and its text (escapes left as written).
struct Literal {
    start: usize,
    end: usize,
    line: usize,
    text: String,
}

/// The string literals of a Rust source, skipping comments and character literals.
fn literals(source: &str) -> Vec<Literal> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            i += 1;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            let end = source[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
            line += source[i..end].matches('\n').count();
            i = end;
        } else if b == b'\'' {
            // A character literal ('x', '\n', '"') or a lifetime ('a).
            if bytes.get(i + 1) == Some(&b'\\') {
                let close = source[i + 2..]
                    .find('\'')
                    .map_or(bytes.len(), |n| i + 2 + n);
                i = close + 1;
            } else if bytes.get(i + 2) == Some(&b'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if b == b'r'
            && matches!(bytes.get(i + 1), Some(b'"' | b'#'))
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            let hashes = source[i + 1..].bytes().take_while(|&c| c == b'#').count();
            let open = i + 1 + hashes;
            if bytes.get(open) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body_end = source[open + 1..]
                .find(&close)
                .map_or(bytes.len(), |n| open + 1 + n);
            let text = source[open + 1..body_end].to_owned();
            let end = (body_end + close.len()).min(bytes.len());
            out.push(Literal {
                start: i,
                end,
                line,
                text,
            });
            line += source[i..end].matches('\n').count();
            i = end;
        } else if b == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(bytes.len());
            out.push(Literal {
                start: i,
                end,
                line,
                text: source[i + 1..j.min(bytes.len())].to_owned(),
            });
            line += source[i..end].matches('\n').count();
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The tables a statement names after `FROM`, `JOIN`, `INTO` and `UPDATE`, lower-cased.
fn tables(statement: &str) -> BTreeSet<String> {
    let words: Vec<&str> = statement
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|pair| {
            ["from", "join", "into", "update"]
                .iter()
                .any(|k| pair[0].eq_ignore_ascii_case(k))
        })
        .map(|pair| pair[1].to_ascii_lowercase())
        .collect()
}

fn starts_statement(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    ["select", "insert", "update", "delete", "with"]
        .iter()
        .any(|k| head.eq_ignore_ascii_case(k))
}

/// Whether an all-tenants marker in `text` gives a reason.
fn marked_all_tenants(text: &str) -> bool {
    text.match_indices(ALL_TENANTS).any(|(at, _)| {
        let rest = &text[at + ALL_TENANTS.len()..];
        rest.find("*/")
            .is_some_and(|end| rest[..end].trim().len() >= 3)
    })
}

/// The statements of one source that touch `owned` tables without taking the tenant.
fn unscoped(source: &str, owned: &BTreeSet<String>) -> Vec<Unscoped> {
    let all = literals(source);
    let mut out = Vec::new();
    for (n, literal) in all.iter().enumerate() {
        if !starts_statement(&literal.text) {
            continue;
        }
        if tables(&literal.text).is_disjoint(owned) {
            continue;
        }
        if literal.text.contains("tenant_id") || marked_all_tenants(&literal.text) {
            continue;
        }
        // A statement built piece by piece: a scope helper called on it before the next
        // statement begins.
        let until = all[n + 1..]
            .iter()
            .find(|l| starts_statement(&l.text))
            .map_or(source.len(), |l| l.start);
        let until = until.min(literal.end + 1500).min(source.len());
        let tail = &source[literal.end..until.max(literal.end)];
        if SCOPE_HELPERS.iter().any(|h| tail.contains(h)) {
            continue;
        }
        out.push(Unscoped {
            line: literal.line,
            text: literal.text.chars().take(120).collect(),
        });
    }
    out
}

/// The tables that have a `tenant_id` column after SQLite's migrations.
fn tenant_owned_tables(migrations: &Path) -> BTreeSet<String> {
    let mut owned = BTreeSet::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(migrations)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let sql = std::fs::read_to_string(&file).unwrap();
        let mut rest = sql.as_str();
        while let Some(at) = rest.find("CREATE TABLE ") {
            let block = &rest[at..];
            let name: String = block["CREATE TABLE ".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let end = block.find(");").unwrap_or(block.len());
            if block[..end].contains("tenant_id") {
                owned.insert(name.trim_end_matches("_new").to_owned());
            }
            rest = &block[end..];
        }
        for line in sql.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["ALTER", "TABLE", table, "ADD", "COLUMN", "tenant_id", ..] = words.as_slice() {
                owned.insert((*table).to_owned());
            }
        }
    }
    owned
}

fn store_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_statement_over_a_tenant_owned_table_takes_the_tenant() {
    let root = store_dir();
    let owned = tenant_owned_tables(&root.join("migrations/sqlite"));
    for table in [
        "tickets",
        "users",
        "settings",
        "articles",
        "resolver_groups",
        "outbox",
    ] {
        assert!(
            owned.contains(table),
            "{table} should be tenant-owned: {owned:?}"
        );
    }
    assert!(!owned.contains("tenants"));

    let mut found: BTreeMap<String, Vec<Unscoped>> = BTreeMap::new();
    for file in sources(&root.join("src")) {
        let source = std::fs::read_to_string(&file).unwrap();
        let name = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let missing = unscoped(&source, &owned);
        if !missing.is_empty() {
            found.insert(name, missing);
        }
    }

    let allowed: BTreeMap<&str, usize> = NOT_YET.iter().copied().collect();
    let mut problems = Vec::new();
    for (file, missing) in &found {
        let allowed = allowed.get(file.as_str()).copied().unwrap_or(0);
        if missing.len() > allowed {
            let listed: Vec<String> = missing
                .iter()
                .map(|m| format!("  {file}:{}: {}", m.line, m.text))
                .collect();
            problems.push(format!(
                "{file}: {} statements over tenant-owned tables take no tenant (at most {allowed} \
                 allowed) — filter or stamp tenant_id, call a scope helper, or say \
                 /* all-tenants: why */:\n{}",
                missing.len(),
                listed.join("\n")
            ));
        } else if missing.len() < allowed {
            problems.push(format!(
                "{file}: only {} statements lack the tenant now; lower its count in NOT_YET to {}",
                missing.len(),
                missing.len()
            ));
        }
    }
    for (file, allowed) in &allowed {
        if !found.contains_key(*file) && *allowed > 0 {
            problems.push(format!(
                "{file}: every statement takes the tenant now; remove it from NOT_YET"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_catches_a_statement_that_forgets_the_tenant() {
    let owned: BTreeSet<String> = ["tickets", "users", "settings"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let bad = r#####"
        async fn bad(&self, id: i64) {
            let row = self.read().fetch_one(Sql::new("SELECT id FROM tickets t WHERE t.id = $1").bind(id)).await?;
            let n = self.read().fetch_scalar(Sql::new(r#"SELECT COUNT(*) FROM users"#)).await?;
            tx.execute(Sql::new("UPDATE settings SET value = $1 WHERE key = $2 /* all-tenants: */")).await?;
        }
    "#####;
    let found = unscoped(bad, &owned);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].line, 3);

    let good = r#####"
        // A comment naming "SELECT id FROM tickets" is not a statement.
        async fn good(&self, id: i64, tenant: TenantId, scope: &Scope) {
            let quote = '"';
            let row = self.read().fetch_one(Sql::new("SELECT id FROM tickets t WHERE t.id = $1 AND t.tenant_id = $2")).await?;
            let n = self.read().fetch_scalar(Sql::new("SELECT COUNT(*) FROM users /* all-tenants: first start */")).await?;
            let mut sql = Sql::new("SELECT id FROM tickets t WHERE t.id = ");
            sql.push_bind(id);
            push_scope(&mut sql, scope);
            tx.execute(Sql::new("INSERT INTO settings (key, value, tenant_id) VALUES ($1, $2, $3)")).await?;
            tx.execute(Sql::new("DELETE FROM ticket_events WHERE ticket_id = $1")).await?;
        }
    "#####;
    let found = unscoped(good, &owned);
    assert!(found.is_empty(), "{found:?}");

    // A helper called only after the next statement began does not scope the first one.
    let late = r#####"
        let mut a = Sql::new("SELECT id FROM tickets t WHERE t.id = ");
        let mut b = Sql::new("SELECT id FROM tickets t WHERE t.id = ");
        push_scope(&mut b, scope);
    "#####;
    let found = unscoped(late, &owned);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 2);
}

#[test]
fn the_tenant_owned_tables_come_from_the_migrations() {
    let owned = tenant_owned_tables(&store_dir().join("migrations/sqlite"));
    for global in ["feed_head", "worker_leases", "readiness", "tenants"] {
        assert!(!owned.contains(global), "{global} is global");
    }
    // The change feed's rows carry the tenant of the record that changed.
    assert!(owned.contains("changes"));
    // Rebuilt tables count under their final names.
    assert!(owned.contains("organizations"));
    assert!(!owned.iter().any(|t| t.ends_with("_new")));
}
