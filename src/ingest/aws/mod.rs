//! AWS `describe-*` JSON snapshots (Batfish layouts) → model, and back ([`export`]).
//!
//! Pipeline: [`layout`] lists the files and their account/region; each file is parsed
//! to a [`value::Json`] tree (strings borrowed from the bytes) and its top-level keys choose a parser (`parse_*`), which
//! fill a `RawSnapshot` keyed by AWS id (copies from several accounts merge by id);
//! `build` then names every object, resolves references and derives what AWS
//! derives (main route tables, TGW associations/propagations, on-prem sites).
//! Nothing here panics on input: every problem is a located [`Diagnostic`].

mod build;
mod cgw_xml;
mod dispatch;
pub mod export;
pub mod layout;
mod names;
mod parse_ec2;
mod parse_inspection;
mod parse_tgw;
mod raw;
mod routers;
mod value;

use super::Loaded;
use crate::diag::{Diagnostic, InputError};
use raw::{Origin, RawSnapshot};
use std::path::Path;

/// Errors and warnings collected while reading a snapshot.
#[derive(Default, Debug)]
pub(crate) struct Sink {
    /// Problems that make the input unusable.
    pub errors: Vec<Diagnostic>,
    /// Everything that was left out or approximated.
    pub warnings: Vec<Diagnostic>,
}

/// One input file's content with its place in the snapshot.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Shown in messages.
    pub display: String,
    /// Account folder name.
    pub account: String,
    /// Region folder name.
    pub region: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Load a snapshot directory.
pub fn load_dir(dir: &Path) -> Result<Loaded, InputError> {
    let (files, mut warnings) = layout::discover(dir)?;
    let mut sources = Vec::with_capacity(files.len());
    for f in files {
        let bytes = std::fs::read(&f.path).map_err(|e| {
            InputError::one(Diagnostic::error(
                f.display.clone(),
                "",
                format!("cannot read: {e}"),
            ))
        })?;
        sources.push(SourceFile {
            display: f.display,
            account: f.account,
            region: f.region,
            bytes,
        });
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "aws-snapshot".to_string());
    let routers = read_routers(dir);
    let mut loaded = load_sources_with(&sources, routers, &name)?;
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    Ok(loaded)
}

/// Whether a file's content looks like AWS CLI output rather than a native scenario:
/// a JSON object with a PascalCase (or Direct Connect camelCase) top-level key, or an
/// array of Network Firewall responses.
pub fn looks_like_aws(buf: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(buf) else {
        return false;
    };
    match &v {
        serde_json::Value::Object(m) => m.keys().any(|k| dispatch::is_aws_key(k)),
        serde_json::Value::Array(items) => items.iter().any(|i| {
            i.as_object()
                .is_some_and(|m| m.keys().any(|k| dispatch::is_aws_key(k)))
        }),
        _ => false,
    }
}

/// Load one AWS JSON file as a snapshot of its own (account `default`, region
/// `us-west-2`, as Batfish places a file at the snapshot root).
pub fn load_file_bytes(buf: &[u8], file: &str) -> Result<Loaded, InputError> {
    let src = SourceFile {
        display: file.to_string(),
        account: layout::DEFAULT_ACCOUNT.to_string(),
        region: layout::DEFAULT_REGION.to_string(),
        bytes: buf.to_vec(),
    };
    let name = Path::new(file)
        .file_stem()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "aws-snapshot".to_string());
    load_sources(std::slice::from_ref(&src), &name)
}

/// Import in-memory files (each with its account and region) as one snapshot named
/// `name`. Errors name the file and the place (line:column, or a JSON path).
pub fn load_sources(sources: &[SourceFile], name: &str) -> Result<Loaded, InputError> {
    load_sources_with(sources, Vec::new(), name)
}

/// On-premises router configurations in `<dir>/configs/` (Batfish's layout), in file
/// name order; unreadable files are skipped (`layout` already lists the folder).
fn read_routers(dir: &Path) -> Vec<routers::RawRouter> {
    let Ok(rd) = std::fs::read_dir(dir.join("configs")) else {
        return Vec::new();
    };
    let mut paths: Vec<std::path::PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let file_name = p.file_name()?.to_string_lossy().to_string();
            Some(routers::parse(&text, &p.display().to_string(), &file_name))
        })
        .collect()
}

fn load_sources_with<'s>(
    sources: &'s [SourceFile],
    routers: Vec<routers::RawRouter>,
    name: &str,
) -> Result<Loaded, InputError> {
    let mut sink = Sink::default();
    let mut raw = RawSnapshot {
        routers,
        ..RawSnapshot::default()
    };
    // Files are parsed in parallel a few at a time (bounded memory) while the previous
    // few are read into the snapshot, in file order, so the result does not depend on
    // the thread count.
    use rayon::prelude::*;
    type Parsed<'a> = Vec<Result<value::Json<'a>, serde_json::Error>>;
    const CHUNK: usize = 8;
    let parse = |chunk: &'s [SourceFile]| -> Parsed<'s> {
        chunk
            .par_iter()
            .map(|src| value::parse(&src.bytes))
            .collect()
    };
    let mut chunks = sources.chunks(CHUNK);
    let mut current = chunks.next().map(|c| (c, parse(c)));
    // The trees already read are freed on the parsing side, which has less to do.
    let mut done: Option<Parsed> = None;
    while let Some((chunk, parsed)) = current.take() {
        let upcoming = chunks.next();
        let old = done.take();
        let (next, ()) = rayon::join(
            || {
                drop(old);
                upcoming.map(|c| (c, parse(c)))
            },
            || {
                for (src, value) in chunk.iter().zip(&parsed) {
                    read_parsed(&mut raw, src, value, &mut sink);
                }
            },
        );
        done = Some(parsed);
        current = next;
    }
    if !sink.errors.is_empty() {
        let mut all = sink.errors;
        all.extend(sink.warnings);
        return Err(InputError { diagnostics: all });
    }
    let (model, ()) = rayon::join(|| build::build(&raw, name, &mut sink), || drop(done));
    // Inconsistencies AWS itself accepted (or a partial snapshot) are warnings here;
    // the raw snapshot is freed meanwhile.
    let (problems, ()) = rayon::join(|| crate::model::validate::validate(&model), || drop(raw));
    for p in problems {
        let mut d = p.into_diagnostic(name);
        d.severity = crate::diag::Severity::Warning;
        sink.warnings.push(d);
    }
    Ok(Loaded {
        model,
        warnings: sink.warnings,
    })
}

/// Record one parsed file (or its parse error) in the raw snapshot.
fn read_parsed(
    raw: &mut RawSnapshot,
    src: &SourceFile,
    value: &Result<value::Json, serde_json::Error>,
    sink: &mut Sink,
) {
    let value = match value {
        Ok(v) => v,
        Err(e) => {
            sink.errors.push(Diagnostic::error(
                src.display.clone(),
                format!("{}:{}", e.line(), e.column()),
                format!("not valid JSON: {e}"),
            ));
            return;
        }
    };
    let origin = raw.origins.len();
    raw.origins.push(Origin {
        file: src.display.clone(),
        account: src.account.clone(),
        region: src.region.clone(),
    });
    dispatch::read_root(raw, origin, value, sink);
}
