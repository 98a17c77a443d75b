//! Command-line interface (clap). Each subcommand lives in its own module and only
//! parses arguments, calls the library and prints. Exit codes: 0 success, 1 a check
//! found violations, 2 usage or input error. Data on stdout, diagnostics on stderr.

mod analyze;
mod diff;
mod export;
mod failures;
mod generate;
mod graph;
mod matrix;
mod merge;
mod show;
mod trace;
mod validate;
mod verify;

use clap::{Parser, Subcommand};
use lztwin::diag::InputError;
use lztwin::ingest::{self, Loaded};

/// lztwin: offline network simulator and digital twin of a multi-account AWS landing zone.
#[derive(Parser, Debug)]
#[command(name = "lztwin", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Load and validate an environment; print a summary per account and every warning.
    Validate(validate::Args),
    /// Inventory per account: VPCs, subnets, route tables, TGW route tables, attachments, firewalls.
    Show(show::Args),
    /// The topology as Graphviz DOT.
    Graph(graph::Args),
    /// Trace one flow hop by hop (and its reply with --both-ways).
    Trace(trace::Args),
    /// Reachability matrix between all endpoints for a service.
    Matrix(matrix::Args),
    /// Generate a synthetic landing-zone estate.
    Generate(generate::Args),
    /// The main job: matrix, verify and failure sweep with reports (default: built-in reference).
    Analyze(analyze::Args),
    /// Verify intents / Network Access Analyzer scopes.
    Verify(verify::Args),
    /// Write a model in another format (aws-snapshot, native).
    Export(export::Args),
    /// Differential reachability between two environments or before/after changes.
    Diff(diff::Args),
    /// Failure sweep: the reachability impact of each component failing.
    Failures(failures::Args),
    /// Merge the outputs of sharded failure sweeps.
    Merge(merge::Args),
}

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum CliError {
    /// Bad input (exit 2).
    Input(InputError),
    /// Bad usage (exit 2).
    Usage(String),
    /// A check found violations (exit 1); the report was already printed.
    Violations,
    /// Writing output failed (exit 2).
    Io(String),
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Input(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(e.to_string())
    }
}

/// Result of a command.
pub type CliResult = Result<(), CliError>;

/// Load INPUT and print its warnings to stderr.
pub fn load_input(input: &str) -> Result<Loaded, CliError> {
    let loaded = ingest::load(input)?;
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    Ok(loaded)
}

/// Parse arguments, run, and return the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let res = match cli.command {
        Command::Validate(a) => validate::run(a),
        Command::Show(a) => show::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Trace(a) => trace::run(a),
        Command::Matrix(a) => matrix::run(a),
        Command::Generate(a) => generate::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Export(a) => export::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Failures(a) => failures::run(a),
        Command::Merge(a) => merge::run(a),
    };
    match res {
        Ok(()) => 0,
        Err(CliError::Violations) => 1,
        Err(CliError::Input(e)) => {
            eprintln!("{e}");
            2
        }
        Err(CliError::Usage(m)) => {
            eprintln!("lztwin: {m}");
            2
        }
        Err(CliError::Io(m)) => {
            eprintln!("lztwin: {m}");
            2
        }
    }
}

/// Placeholder for commands whose issue has not landed yet.
#[allow(dead_code)] // every command has landed; kept for new ones
pub fn not_yet(cmd: &str) -> CliResult {
    Err(CliError::Usage(format!("`{cmd}` is not implemented yet")))
}
