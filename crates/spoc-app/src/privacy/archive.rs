//! The export archive: `person.json` (every section of the person's data) and their files under
//! `attachments/`, as one gzip-compressed tar file.

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Map, Value, json};
use spoc_domain::{Timestamp, UserId};
use spoc_store::PersonData;

use crate::AppError;

/// A person's data as one archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataExport {
    /// The archive's file name (`spoc-person-<id>.tar.gz`).
    pub filename: String,
    /// The archive (`application/gzip`).
    pub bytes: Vec<u8>,
}

/// RFC 3339 text of a stored time (microseconds since the Unix epoch).
fn rfc3339(micros: i64) -> Value {
    jiff::Timestamp::from_microsecond(micros)
        .map_or(Value::from(micros), |t| Value::String(t.to_string()))
}

/// A row with its times (`*_at` columns) as RFC 3339 text.
fn readable(mut row: Map<String, Value>) -> Value {
    for (name, value) in &mut row {
        if name.ends_with("_at") || name == "at" {
            if let Some(micros) = value.as_i64() {
                *value = rfc3339(micros);
            }
        }
    }
    Value::Object(row)
}

/// A file name safe inside the archive: letters, digits, dots, dashes and underscores.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') => Some(c),
            ' ' => Some('_'),
            _ => None,
        })
        .take(100)
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(spoc_store::StoreError::Corrupt(format!(
        "building the export archive: {e}"
    )))
}

fn append(
    tar: &mut tar::Builder<GzEncoder<Vec<u8>>>,
    path: &str,
    bytes: &[u8],
    now: Timestamp,
) -> Result<(), AppError> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(u64::try_from(now.as_micros() / 1_000_000).unwrap_or_default());
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, bytes).map_err(io)
}

/// The archive of `data`, about person `id`, made at `now`.
pub(super) fn build(id: UserId, now: Timestamp, data: PersonData) -> Result<DataExport, AppError> {
    let mut sections = Map::new();
    for (name, rows) in data.sections {
        let rows = rows.into_iter().map(|row| readable(row.0)).collect();
        sections.insert(name.to_owned(), Value::Array(rows));
    }
    let mut files = Vec::new();
    let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    for file in &data.files {
        let path = format!("attachments/{}-{}", file.id, safe_name(&file.filename));
        append(&mut tar, &path, &file.content, now)?;
        files.push(json!({
            "id": file.id,
            "ticket_id": file.ticket_id,
            "filename": file.filename,
            "content_type": file.content_type,
            "size": file.content.len(),
            "path": path,
        }));
    }
    sections.insert("attachments".to_owned(), Value::Array(files));
    let document = json!({
        "format": "spoc-person-export/1",
        "person_id": id.get(),
        "exported_at": rfc3339(now.as_micros()),
        "sections": sections,
    });
    let json = serde_json::to_vec_pretty(&document).map_err(|e| {
        AppError::Internal(spoc_store::StoreError::Corrupt(format!(
            "writing the export document: {e}"
        )))
    })?;
    append(&mut tar, "person.json", &json, now)?;
    let bytes = tar.into_inner().map_err(io)?.finish().map_err(io)?;
    Ok(DataExport {
        filename: format!("spoc-person-{}.tar.gz", id.get()),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_leave_the_attachments_folder() {
        assert_eq!(safe_name("../../etc/passwd"), "etcpasswd");
        assert_eq!(safe_name("my report.pdf"), "my_report.pdf");
        assert_eq!(safe_name("∑"), "file");
    }
}
