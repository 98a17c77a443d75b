//! The `CustomerGatewayConfiguration` XML of a Site-to-Site VPN connection (what
//! `describe-vpn-connections` returns): only the AWS side's tunnel outside addresses
//! are read, `vpn_connection/ipsec_tunnel/vpn_gateway/tunnel_outside_address/ip_address`
//! ("Your customer gateway device", the generic configuration file:
//! <https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html>).
//!
//! A small scanner, not a general XML parser: elements, text, comments, CDATA,
//! processing instructions and the document type are recognised, nesting is checked,
//! and every problem is reported with its line:column inside the XML string. It never
//! panics on malformed input.

use std::net::Ipv4Addr;

/// A problem in the XML, at a 1-based line and column of the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

fn located(text: &str, at: usize, message: String) -> XmlError {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    XmlError {
        line,
        column,
        message,
    }
}

/// The VGW-side tunnel outside addresses, in tunnel order.
pub(crate) fn vgw_tunnel_outside_ips(text: &str) -> Result<Vec<Ipv4Addr>, XmlError> {
    const PATH: [&str; 4] = [
        "ipsec_tunnel",
        "vpn_gateway",
        "tunnel_outside_address",
        "ip_address",
    ];
    let mut stack: Vec<(&str, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    let b = text.as_bytes();
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let content = &text[text_start..i];
        let rest = &text[i..];
        let skip_to = |end: &str, what: &str| -> Result<usize, XmlError> {
            rest.find(end)
                .map(|p| i + p + end.len())
                .ok_or_else(|| located(text, i, format!("unterminated {what}")))
        };
        if rest.starts_with("<!--") {
            i = skip_to("-->", "comment")?;
        } else if rest.starts_with("<![CDATA[") {
            i = skip_to("]]>", "CDATA section")?;
        } else if rest.starts_with("<?") {
            i = skip_to("?>", "processing instruction")?;
        } else if rest.starts_with("<!") {
            i = skip_to(">", "declaration")?;
        } else {
            let end = skip_to(">", "tag")?;
            let inner = &text[i + 1..end - 1];
            if let Some(name) = inner.strip_prefix('/') {
                let name = name.trim();
                match stack.pop() {
                    Some((open, _)) if open == name => {
                        let at_path = stack.len() + 1 >= PATH.len()
                            && stack
                                .iter()
                                .map(|(n, _)| *n)
                                .chain(std::iter::once(open))
                                .rev()
                                .take(PATH.len())
                                .eq(PATH.iter().rev().copied());
                        if at_path {
                            let v = content.trim();
                            let ip = v.parse::<Ipv4Addr>().map_err(|_| {
                                located(
                                    text,
                                    text_start,
                                    format!("tunnel outside address `{v}` is not an IPv4 address"),
                                )
                            })?;
                            out.push(ip);
                        }
                    }
                    Some((open, at)) => {
                        let (l, c) = {
                            let e = located(text, at, String::new());
                            (e.line, e.column)
                        };
                        return Err(located(
                            text,
                            i,
                            format!(
                                "closing tag `{name}` does not match `{open}` opened at {l}:{c}"
                            ),
                        ));
                    }
                    None => {
                        return Err(located(
                            text,
                            i,
                            format!("closing tag `{name}` without an opening tag"),
                        ))
                    }
                }
            } else if !inner.ends_with('/') {
                let name = inner.split_whitespace().next().unwrap_or("");
                if name.is_empty() {
                    return Err(located(text, i, "empty tag name".into()));
                }
                stack.push((name, i));
            }
            i = end;
        }
        text_start = i;
    }
    if let Some((open, at)) = stack.pop() {
        return Err(located(
            text,
            at,
            format!("element `{open}` is never closed"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vpn_connection id=\"vpn-1\">\n  <!-- a <comment> -->\n  <ipsec_tunnel>\n    <customer_gateway><tunnel_outside_address><ip_address>1.1.1.2</ip_address></tunnel_outside_address></customer_gateway>\n    <vpn_gateway><tunnel_outside_address><ip_address> 3.130.237.53 </ip_address></tunnel_outside_address>\n      <tunnel_inside_address><ip_address>169.254.59.17</ip_address></tunnel_inside_address></vpn_gateway>\n  </ipsec_tunnel>\n  <ipsec_tunnel><vpn_gateway><tunnel_outside_address><ip_address>18.217.248.9</ip_address></tunnel_outside_address></vpn_gateway><empty/></ipsec_tunnel>\n</vpn_connection>";

    #[test]
    fn reads_the_vgw_side_outside_addresses_only() {
        let ips = vgw_tunnel_outside_ips(XML).unwrap();
        assert_eq!(
            ips,
            vec![
                "3.130.237.53".parse::<Ipv4Addr>().unwrap(),
                "18.217.248.9".parse().unwrap()
            ]
        );
        assert_eq!(vgw_tunnel_outside_ips("").unwrap(), Vec::<Ipv4Addr>::new());
    }

    #[test]
    fn malformed_xml_is_located_never_a_panic() {
        let e = vgw_tunnel_outside_ips("<a>\n  <b></a>").unwrap_err();
        assert_eq!((e.line, e.column), (2, 6), "{e}");
        assert!(e.message.contains("does not match `b`"), "{e}");
        let e = vgw_tunnel_outside_ips("<a><b>").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = vgw_tunnel_outside_ips("</a>").unwrap_err();
        assert!(e.message.contains("without an opening"), "{e}");
        let e = vgw_tunnel_outside_ips("<a><!-- x").unwrap_err();
        assert!(e.message.contains("unterminated comment"), "{e}");
        let bad = "<ipsec_tunnel><vpn_gateway><tunnel_outside_address>\n<ip_address>300.1.1.1</ip_address></tunnel_outside_address></vpn_gateway></ipsec_tunnel>";
        let e = vgw_tunnel_outside_ips(bad).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("300.1.1.1"), "{e}");
        // Multi-byte text and odd input never panic.
        for s in ["<é>ü</é>", "<", "<<>>", "<a/><", "<a>é", "<a></a></a>"] {
            let _ = vgw_tunnel_outside_ips(s);
        }
    }
}
