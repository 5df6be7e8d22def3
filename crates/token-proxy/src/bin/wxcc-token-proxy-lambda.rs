//! AWS Lambda host: the same `Router`, invoked by API Gateway (REST or HTTP API) or a Function URL.
//! Configuration comes from the function's environment, and the secrets from Secrets Manager when
//! `WXCC_PROXY_SECRET_ARN` names them. A function that cannot start tells the Runtime API why
//! (`/runtime/init/error`), so Lambda reports that error instead of a bare exit.

use std::collections::HashMap;
use std::process::ExitCode;
use wxcc_token_proxy::config::Command;
use wxcc_token_proxy::lambda::lambda_app;
use wxcc_token_proxy::{AppState, logging, secrets_manager};

#[tokio::main]
async fn main() -> ExitCode {
    let mut env: HashMap<String, String> = std::env::vars().collect();
    if let Err(message) = secrets_manager::resolve(&mut env).await {
        return init_failed(&env, "Runtime.SecretError", &message, 2).await;
    }
    let config = match Command::parse(&env, &[], &|path| std::fs::read_to_string(path)) {
        Ok(Command::Run(config)) => config,
        Ok(_) => unreachable!("no arguments are parsed in Lambda"),
        Err(error) => {
            return init_failed(&env, "Runtime.ConfigError", &error.to_string(), 2).await;
        }
    };
    logging::init_json_logging();
    let state = match AppState::new(&config) {
        Ok(state) => state,
        Err(message) => return init_failed(&env, "Runtime.InitError", &message, 1).await,
    };
    match lambda_http::run(lambda_app(state)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wxcc-token-proxy-lambda: runtime error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Prints why the function cannot start (for its logs), posts it to the Runtime API's init error
/// endpoint, and exits with `code`. `message` names a variable, never a secret's value.
async fn init_failed(
    env: &HashMap<String, String>,
    error_type: &str,
    message: &str,
    code: u8,
) -> ExitCode {
    eprintln!("wxcc-token-proxy-lambda: {message}");
    if let Some(api) = env.get("AWS_LAMBDA_RUNTIME_API") {
        let body = serde_json::json!({"errorType": error_type, "errorMessage": message});
        let posted = reqwest::Client::new()
            .post(format!("http://{api}/2018-06-01/runtime/init/error"))
            .header("lambda-runtime-function-error-type", error_type)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        if let Err(error) = posted {
            eprintln!("wxcc-token-proxy-lambda: could not report the init error: {error}");
        }
    }
    ExitCode::from(code)
}
