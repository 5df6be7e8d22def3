//! `cargo xtask <command>`: the project's automation, in Rust so it needs nothing but cargo.
//!
//! Every command first runs `setup`, which installs what is missing and skips what is there.

mod bench;
mod csp;
mod demo;
mod layers;
mod minify;
mod package;
mod process;
mod services;
mod setup;
mod spa;
mod test;
mod util;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup            install what the project needs (wasm target, trunk, wasm-bindgen-cli, Chromium, npm tools,
                   cfn-lint)
  build            build the SPA in release mode into dist/ (add --config FILE to deploy a runtime config.json
                   and the matching Content-Security-Policy into dist/)
  demo             build the SPA, start the Webex sandbox, the token proxy and a local CDN, print the URL
                   (cargo xtask demo --help for the flags, including --real for real Webex)
  test             everything: fmt, clippy, unit, browser (wasm-bindgen-test), end-to-end (Playwright);
                   ends with one line `N passed, M failed`
  package          everything a deployment needs in one folder: site/ for any static host, the token
                   proxy as an AWS Lambda zip, and template.yaml (CloudFront + S3 + the function)
                   (cargo xtask package --config FILE [--public-url P] [--origin O] [--out DIR])
  bench            measure bundle size against its budget, sign-in latency, token-proxy cost and
                   Lighthouse scores; prints a Markdown table, writes target/bench/report.json
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            std::process::exit(2);
        }
    };
    let result = match command {
        "setup" => setup::run_all(),
        "build" => setup::run_all().and_then(|()| spa::build_command(rest)),
        "demo" => setup::run_all().and_then(|()| demo::run(rest)),
        "test" => setup::run_all().and_then(|()| test::run(rest)),
        "package" => setup::run_all().and_then(|()| package::run(rest)),
        "bench" => setup::run_all().and_then(|()| bench::run(rest)),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`.\n\n{USAGE}")),
    };
    if let Err(message) = result {
        eprintln!("\nxtask: error: {message}");
        std::process::exit(1);
    }
}
