//! AWS Lambda host: the same `Router`, invoked by API Gateway (REST or HTTP API) or a Function URL.
//! Configuration comes from the function's environment only.

use std::collections::HashMap;
use std::process::ExitCode;
use wxcc_token_proxy::config::Command;
use wxcc_token_proxy::lambda::lambda_app;
use wxcc_token_proxy::{AppState, logging};

#[tokio::main]
async fn main() -> ExitCode {
    let env: HashMap<String, String> = std::env::vars().collect();
    let config = match Command::parse(&env, &[], &|path| std::fs::read_to_string(path)) {
        Ok(Command::Run(config)) => config,
        Ok(_) => unreachable!("no arguments are parsed in Lambda"),
        Err(error) => {
            eprintln!("wxcc-token-proxy-lambda: {error}");
            return ExitCode::from(2);
        }
    };
    logging::init_json_logging();
    let state = match AppState::new(&config) {
        Ok(state) => state,
        Err(message) => {
            eprintln!("wxcc-token-proxy-lambda: {message}");
            return ExitCode::FAILURE;
        }
    };
    match lambda_http::run(lambda_app(state)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wxcc-token-proxy-lambda: runtime error: {error}");
            ExitCode::FAILURE
        }
    }
}
