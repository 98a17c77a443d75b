//! `lztwin matrix <INPUT> …` (stable contract).

use super::{load_input, CliError, CliResult};
use lztwin::analysis::matrix::{self, Engine, GroupBy, MatrixOptions};
use lztwin::dataplane::Dataplane;
use lztwin::model::Protocol;
use lztwin::report;
use std::io::Write;
use std::path::Path;

/// Arguments of `matrix`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// tcp, udp, icmp or any.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port.
    #[arg(long, default_value_t = 443)]
    pub dst_port: u16,
    /// subnet, vpc, account or environment.
    #[arg(long)]
    pub group_by: Option<String>,
    /// Also evaluate the reply.
    #[arg(long)]
    pub both_ways: bool,
    /// fast or per-pair.
    #[arg(long, default_value = "fast")]
    pub engine: String,
    /// json, csv or md.
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Write files here instead of stdout.
    #[arg(long)]
    pub out: Option<String>,
}

/// Parse the matrix options of the command line.
pub fn options(
    protocol: &str,
    dst_port: u16,
    group_by: Option<&str>,
    both_ways: bool,
    engine: &str,
) -> Result<MatrixOptions, CliError> {
    let protocol: Protocol = protocol.parse().map_err(CliError::Usage)?;
    let group_by = group_by
        .map(str::parse::<GroupBy>)
        .transpose()
        .map_err(CliError::Usage)?;
    let engine: Engine = engine.parse().map_err(CliError::Usage)?;
    Ok(MatrixOptions {
        protocol,
        dst_port,
        group_by,
        both_ways,
        engine,
    })
}

/// Write `m` in `format` (json, csv, md) to `w`.
pub fn render<W: Write>(m: &matrix::Matrix, format: &str, mut w: W) -> std::io::Result<()> {
    match format {
        "csv" => report::matrix::write_csv(m, w),
        "md" => w.write_all(report::matrix::md(m).as_bytes()),
        _ => report::matrix::write_json(m, w),
    }
}

/// Run `matrix`.
pub fn run(a: Args) -> CliResult {
    let opts = options(
        &a.protocol,
        a.dst_port,
        a.group_by.as_deref(),
        a.both_ways,
        &a.engine,
    )?;
    if !["json", "csv", "md"].contains(&a.format.as_str()) {
        return Err(CliError::Usage(format!(
            "unknown --format `{}` (expected json, csv or md)",
            a.format
        )));
    }
    let loaded = load_input(&a.input)?;
    let dp = Dataplane::compile(&loaded.model);
    let m = super::analyze::with_progress(
        "matrix",
        lztwin::sim::endpoint::all_endpoints(&loaded.model).len() as u64,
        |p| matrix::compute_with_progress(&dp, &loaded.model, &opts, p),
    );
    match a.out {
        Some(dir) => {
            let dir = Path::new(&dir);
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Io(format!("cannot create {}: {e}", dir.display())))?;
            let path = dir.join(format!("matrix.{}", a.format));
            let f = std::fs::File::create(&path)
                .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))?;
            render(&m, &a.format, f)
                .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        None => match render(&m, &a.format, std::io::stdout().lock()) {
            // `lztwin matrix … | head` is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r?,
        },
    }
    Ok(())
}
