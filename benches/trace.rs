//! Placeholder; replaced by the trace bench.
fn main() {}
