//! What-if change files (docs/changes-format.md): a JSON list of
//! [`crate::model::change::Change`] operations, or an object
//! `{"description": "...", "changes": [...]}`.
//!
//! Syntax errors are located by line:column; an operation that does not parse or does
//! not apply is located by the JSON pointer of the operation (`/2/route/target`, or
//! `/changes/2/...` in the object form).

use crate::diag::{Diagnostic, InputError};
use crate::model::change::{apply_all, Applied, Change};
use crate::model::Model;

/// A parsed change file.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeFile {
    /// Where it came from (for messages).
    pub file: String,
    /// Free text from the object form.
    pub description: Option<String>,
    /// The operations, in order.
    pub changes: Vec<Change>,
    /// JSON pointer prefix of the operation list (`""` or `"/changes"`).
    prefix: String,
}

impl ChangeFile {
    /// JSON pointer of operation `i` in the file.
    pub fn op_path(&self, i: usize) -> String {
        format!("{}/{i}", self.prefix)
    }
}

/// Parse a change file's bytes.
pub fn parse(buf: &[u8], file: &str) -> Result<ChangeFile, InputError> {
    let v: serde_json::Value = serde_json::from_slice(buf).map_err(|e| {
        InputError::one(Diagnostic::error(
            file,
            format!("{}:{}", e.line(), e.column()),
            e.to_string(),
        ))
    })?;
    let (items, description, prefix) = match v {
        serde_json::Value::Array(a) => (a, None, String::new()),
        serde_json::Value::Object(mut o) => {
            for k in o.keys() {
                if k != "changes" && k != "description" {
                    return Err(InputError::one(Diagnostic::error(
                        file,
                        format!("/{k}"),
                        format!("unknown key `{k}` (expected `changes` and `description`)"),
                    )));
                }
            }
            let description = match o.remove("description") {
                None => None,
                Some(serde_json::Value::String(s)) => Some(s),
                Some(_) => {
                    return Err(InputError::one(Diagnostic::error(
                        file,
                        "/description",
                        "`description` must be a string",
                    )))
                }
            };
            match o.remove("changes") {
                Some(serde_json::Value::Array(a)) => (a, description, "/changes".to_string()),
                _ => {
                    return Err(InputError::one(Diagnostic::error(
                        file,
                        "/changes",
                        "a change file object needs a `changes` list",
                    )))
                }
            }
        }
        _ => {
            return Err(InputError::one(Diagnostic::error(
                file,
                "",
                "a change file is a JSON list of operations (or {\"changes\": [...]})",
            )))
        }
    };
    let mut changes = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let op = item
            .get("op")
            .and_then(|o| o.as_str())
            .unwrap_or("?")
            .to_string();
        match serde_path_to_error::deserialize::<_, Change>(item) {
            Ok(c) => changes.push(c),
            Err(e) => {
                let inner = e.path().to_string();
                let loc = if inner == "." || inner.is_empty() {
                    format!("{prefix}/{i}")
                } else {
                    format!("{prefix}/{i}/{}", inner.replace('.', "/"))
                };
                errors.push(Diagnostic::error(
                    file,
                    loc,
                    format!("operation `{op}`: {}", e.inner()),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(InputError {
            diagnostics: errors,
        });
    }
    Ok(ChangeFile {
        file: file.to_string(),
        description,
        changes,
        prefix,
    })
}

/// Read and parse a change file.
pub fn load(path: &str) -> Result<ChangeFile, InputError> {
    let buf = std::fs::read(path)
        .map_err(|e| InputError::one(Diagnostic::error(path, "", format!("cannot read: {e}"))))?;
    parse(&buf, path)
}

/// Apply change files in order to `model` (the caller's copy). An operation that
/// cannot be applied is an error located at the operation in its file.
pub fn apply_files(model: &mut Model, files: &[ChangeFile]) -> Result<Applied, InputError> {
    let mut all = Applied::default();
    for f in files {
        let a = apply_all(model, &f.changes).map_err(|e| {
            let op = f.changes.get(e.op_index).map(|c| c.op()).unwrap_or("?");
            InputError::one(Diagnostic::error(
                &f.file,
                format!("{}{}", f.op_path(e.op_index), e.path),
                format!("operation `{op}`: {}", e.message),
            ))
        })?;
        all.failed.extend(a.failed);
        all.notes.extend(a.notes);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_line_and_column() {
        let e = parse(b"[\n {\"op\": \"fail\",\n", "c.json").unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.file, "c.json");
        assert!(d.location.contains(':'), "{}", d.location);
    }

    #[test]
    fn bad_operation_is_located_by_json_path() {
        let e = parse(
            br#"[{"op": "fail", "component": "x"}, {"op": "associate", "attachment": "a"}]"#,
            "c.json",
        )
        .unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.location.starts_with("/1"), "{}", d.location);
        assert!(d.message.contains("tgw_route_table"), "{}", d.message);
    }

    #[test]
    fn object_form_and_apply_error_location() {
        let f = parse(
            br#"{"description": "d", "changes": [{"op": "fail", "component": "nope"}]}"#,
            "c.json",
        )
        .unwrap();
        assert_eq!(f.description.as_deref(), Some("d"));
        let mut m = Model::default();
        let e = apply_files(&mut m, &[f]).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.location, "/changes/0/component");
        assert!(d.message.contains("nope"));
        assert!(parse(br#"{"changez": []}"#, "c.json").is_err());
        assert!(parse(br#"42"#, "c.json").is_err());
    }
}
