//! `lztwin trace <INPUT> --from <ENDPOINT> --to <ENDPOINT> …` (stable contract).

use super::{load_input, CliError, CliResult};
use lztwin::dataplane::Dataplane;
use lztwin::model::Protocol;
use lztwin::sim::{resolve_endpoint, trace, Endpoint, Flow, TraceOptions};

/// Arguments of `trace`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Source: IP, AWS id (i-, eni-, subnet-), scenario name, `internet`, `onprem:<site>`.
    #[arg(long)]
    pub from: String,
    /// Destination, same forms as --from.
    #[arg(long)]
    pub to: String,
    /// tcp, udp, icmp or any.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port.
    #[arg(long, default_value_t = 443)]
    pub dst_port: u16,
    /// Source port.
    #[arg(long, default_value_t = 49152)]
    pub src_port: u16,
    /// Also trace the reply.
    #[arg(long)]
    pub both_ways: bool,
    /// text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
}

/// Run `trace`.
pub fn run(a: Args) -> CliResult {
    if a.format != "text" && a.format != "json" {
        return Err(CliError::Usage(format!(
            "--format must be text or json, not `{}`",
            a.format
        )));
    }
    let protocol: Protocol = a
        .protocol
        .parse()
        .map_err(|e: String| CliError::Usage(format!("--protocol: {e}")))?;
    let loaded = load_input(&a.input)?;
    let m = &loaded.model;
    let src = resolve_endpoint(m, &a.from).map_err(|e| CliError::Usage(format!("--from: {e}")))?;
    let dst = resolve_endpoint(m, &a.to).map_err(|e| CliError::Usage(format!("--to: {e}")))?;
    // An interface sends from its private address even when named by its public one.
    let src_ip = match &src {
        Endpoint::Interface { eni, ip } => m.network_interfaces[*eni]
            .private_ips
            .iter()
            .find(|p| p.is_ipv4() == dst.ip().is_ipv4())
            .copied()
            .unwrap_or(*ip),
        other => other.ip(),
    };
    let flow = Flow {
        src: src_ip,
        dst: dst.ip(),
        protocol,
        src_port: a.src_port,
        dst_port: a.dst_port,
    };
    let dp = Dataplane::compile(m);
    for w in &dp.warnings {
        eprintln!("warning: {w}");
    }
    let t = trace(
        &dp,
        &src,
        &dst,
        &flow,
        &TraceOptions {
            both_ways: a.both_ways,
        },
    );
    if a.format == "json" {
        let s = serde_json::to_string_pretty(&t).map_err(|e| CliError::Io(e.to_string()))?;
        println!("{s}");
    } else {
        print!("{}", lztwin::report::trace::render_text(&t));
    }
    Ok(())
}
