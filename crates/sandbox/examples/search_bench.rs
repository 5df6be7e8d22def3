//! Times the sandbox's answer to an interval aggregation (hourly, per channel) over task records,
//! 100,000 unless a count is given: issue 23's "the sandbox answers an interval aggregation over
//! 100,000 records within 200 ms". `cargo xtask bench` can call
//! `wxcc_sandbox::interval_aggregation_benchmark` directly; this prints one run:
//! `cargo run --release -p wxcc-sandbox --example search_bench [records]`.

fn main() {
    let records = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let run = wxcc_sandbox::interval_aggregation_benchmark(records);
    println!(
        "search interval aggregation: {} records, {} rows, {} ms",
        run.records,
        run.rows,
        run.elapsed.as_millis()
    );
}
