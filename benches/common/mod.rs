//! What the benchmarks share.

/// `count` scaled by `GATEFORM_BENCH_SCALE` (`0.1` runs a benchmark at a tenth of its size), at
/// least 1.
pub fn scaled(count: usize) -> usize {
    let scale: f64 = std::env::var("GATEFORM_BENCH_SCALE")
        .ok()
        .and_then(|scale| scale.parse().ok())
        .unwrap_or(1.0);
    ((count as f64 * scale).round() as usize).max(1)
}
