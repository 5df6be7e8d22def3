use super::*;

const KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn base_env() -> HashMap<String, String> {
    [
        (CLIENT_ID, "client-1"),
        (CLIENT_SECRET, "super-secret-value"),
        (
            ALLOWED_ORIGINS,
            "https://app.example, http://localhost:8080",
        ),
        (REDIRECT_URI, "https://app.example/callback"),
        (MODE, "cookie"),
        (SEALING_KEYS, KEY),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn no_files(_: &str) -> std::io::Result<String> {
    Err(std::io::Error::from(std::io::ErrorKind::NotFound))
}

fn parse(env: &HashMap<String, String>, args: &[&str]) -> Result<Config, ConfigError> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    match Command::parse(env, &args, &no_files)? {
        Command::Run(config) => Ok(*config),
        other => panic!("expected Run, got {other:?}"),
    }
}

fn with(name: &str, value: &str) -> HashMap<String, String> {
    let mut env = base_env();
    env.insert(name.to_owned(), value.to_owned());
    env
}

fn without(name: &str) -> HashMap<String, String> {
    let mut env = base_env();
    env.remove(name);
    env
}

#[test]
fn defaults_apply() {
    let config = parse(&base_env(), &[]).unwrap();
    assert_eq!(config.token_endpoint.as_str(), DEFAULT_TOKEN_ENDPOINT);
    assert_eq!(config.bind.to_string(), DEFAULT_BIND);
    assert_eq!(config.upstream_timeout, Duration::from_millis(10_000));
    assert_eq!(config.rate_limit_per_minute, 60);
    assert_eq!(config.sessions.default_refresh_lifetime_secs, 7_776_000);
    assert_eq!(config.sessions.lifetime_secs, 43_200);
    assert_eq!(config.sessions.remember_days, 0);
    assert_eq!(config.mode, SessionMode::Cookie);
    assert_eq!(
        config.allowed_origins,
        vec!["https://app.example", "http://localhost:8080"]
    );
}

#[test]
fn flags_override_environment() {
    let config = parse(
        &base_env(),
        &[
            "--mode",
            "handle",
            "--bind=127.0.0.1:0",
            "--client-id",
            "other",
        ],
    )
    .unwrap();
    assert_eq!(config.mode, SessionMode::Handle);
    assert_eq!(config.bind.port(), 0);
    assert_eq!(config.client_id, "other");
}

#[test]
fn generate_key_and_help() {
    let args = vec!["--generate-key".to_owned()];
    assert!(matches!(
        Command::parse(&HashMap::new(), &args, &no_files),
        Ok(Command::GenerateKey)
    ));
    let args = vec!["--help".to_owned()];
    assert!(matches!(
        Command::parse(&HashMap::new(), &args, &no_files),
        Ok(Command::Help)
    ));
}

#[test]
fn secret_file_is_read_and_trimmed() {
    let mut env = without(CLIENT_SECRET);
    env.insert(CLIENT_SECRET_FILE.to_owned(), "/run/secret".to_owned());
    let config = match Command::parse(&env, &[], &|path| {
        assert_eq!(path, "/run/secret");
        Ok("from-file\n".to_owned())
    })
    .unwrap()
    {
        Command::Run(config) => config,
        _ => unreachable!(),
    };
    assert_eq!(config.client_secret.secret(), "from-file");
}

#[test]
fn each_bad_value_names_its_variable() {
    let cases: Vec<(HashMap<String, String>, &str)> = vec![
        (without(CLIENT_ID), CLIENT_ID),
        (without(CLIENT_SECRET), CLIENT_SECRET),
        (with(CLIENT_SECRET_FILE, "/x"), CLIENT_SECRET),
        (without(ALLOWED_ORIGINS), ALLOWED_ORIGINS),
        (with(ALLOWED_ORIGINS, "*"), ALLOWED_ORIGINS),
        (
            with(ALLOWED_ORIGINS, "https://app.example/"),
            ALLOWED_ORIGINS,
        ),
        (with(ALLOWED_ORIGINS, "http://app.example"), ALLOWED_ORIGINS),
        (with(ALLOWED_ORIGINS, "not a url"), ALLOWED_ORIGINS),
        (without(REDIRECT_URI), REDIRECT_URI),
        (with(REDIRECT_URI, "/callback"), REDIRECT_URI),
        (with(REDIRECT_URI, "https://app.example/cb#x"), REDIRECT_URI),
        (
            with(TOKEN_ENDPOINT, "http://idp.example/token"),
            TOKEN_ENDPOINT,
        ),
        (
            with(TOKEN_ENDPOINT, "ftp://idp.example/token"),
            TOKEN_ENDPOINT,
        ),
        (without(MODE), MODE),
        (with(MODE, "both"), MODE),
        (without(SEALING_KEYS), SEALING_KEYS),
        (with(SEALING_KEYS, "short"), SEALING_KEYS),
        (with(SEALING_KEYS, &format!("{KEY},")), SEALING_KEYS),
        (with(BIND, "localhost"), BIND),
        (with(UPSTREAM_TIMEOUT_MS, "0"), UPSTREAM_TIMEOUT_MS),
        (with(UPSTREAM_TIMEOUT_MS, "ten"), UPSTREAM_TIMEOUT_MS),
        (with(RATE_LIMIT_PER_MINUTE, "-1"), RATE_LIMIT_PER_MINUTE),
        (with(SESSION_LIFETIME_SECS, "9"), SESSION_LIFETIME_SECS),
        (
            with(SESSION_LIFETIME_SECS, "7776001"),
            SESSION_LIFETIME_SECS,
        ),
        (with(SESSION_LIFETIME_SECS, "12h"), SESSION_LIFETIME_SECS),
        (with(REMEMBER_DAYS, "91"), REMEMBER_DAYS),
        (with(REMEMBER_DAYS, "-1"), REMEMBER_DAYS),
        (with(REMEMBER_DAYS, "yes"), REMEMBER_DAYS),
        (
            with(DEFAULT_REFRESH_LIFETIME_SECS, "59"),
            DEFAULT_REFRESH_LIFETIME_SECS,
        ),
        (
            with(DEFAULT_REFRESH_LIFETIME_SECS, "31536001"),
            DEFAULT_REFRESH_LIFETIME_SECS,
        ),
        (
            with(DEFAULT_REFRESH_LIFETIME_SECS, "90d"),
            DEFAULT_REFRESH_LIFETIME_SECS,
        ),
    ];
    for (env, variable) in cases {
        let error = parse(&env, &[]).unwrap_err();
        assert_eq!(error.variable, variable, "{error}");
        assert!(error.to_string().contains(variable));
        assert!(!error.to_string().contains("super-secret-value"));
    }
}

#[test]
fn session_settings_have_flags_and_fit_together() {
    let config = parse(
        &base_env(),
        &[
            "--session-lifetime-secs",
            "3600",
            "--remember-days=14",
            "--default-refresh-lifetime-secs",
            "86400",
        ],
    )
    .unwrap();
    assert_eq!(config.sessions.lifetime_secs, 3_600);
    assert_eq!(config.sessions.remember_days, 14);
    assert_eq!(config.sessions.default_refresh_lifetime_secs, 86_400);

    // Short sessions are allowed down to 10 s (the end-to-end suite runs a 20-second one).
    for secs in [10, 20] {
        let config = parse(&base_env(), &[&format!("--session-lifetime-secs={secs}")]).unwrap();
        assert_eq!(config.sessions.lifetime_secs, secs);
    }

    // A session cannot be meant to outlive the refresh-token lifetime.
    let error = parse(
        &base_env(),
        &[
            "--default-refresh-lifetime-secs=3600",
            "--session-lifetime-secs=7200",
        ],
    )
    .unwrap_err();
    assert_eq!(error.variable, SESSION_LIFETIME_SECS);
    assert!(
        error.problem.contains(DEFAULT_REFRESH_LIFETIME_SECS),
        "{error}"
    );
    // Remembering must last at least as long as a plain session.
    let error = parse(
        &base_env(),
        &["--session-lifetime-secs=172800", "--remember-days=1"],
    )
    .unwrap_err();
    assert_eq!(error.variable, REMEMBER_DAYS);
    assert!(
        parse(
            &base_env(),
            &["--session-lifetime-secs=172800", "--remember-days=0"]
        )
        .is_ok()
    );
}

#[test]
fn http_token_endpoint_is_allowed_for_loopback() {
    for endpoint in [
        "http://127.0.0.1:9000/v1/access_token",
        "http://localhost:9/t",
        "http://[::1]:9/t",
    ] {
        let config = parse(&with(TOKEN_ENDPOINT, endpoint), &[]).unwrap();
        assert_eq!(config.token_endpoint.scheme(), "http");
    }
}

#[test]
fn unknown_flags_and_missing_flag_values_are_errors() {
    assert_eq!(
        parse(&base_env(), &["--client-secret", "x"])
            .unwrap_err()
            .variable,
        "command line"
    );
    assert_eq!(parse(&base_env(), &["--mode"]).unwrap_err().variable, MODE);
}

#[test]
fn unreadable_secret_file_names_the_file_variable() {
    let mut env = without(CLIENT_SECRET);
    env.insert(CLIENT_SECRET_FILE.to_owned(), "/missing".to_owned());
    assert_eq!(parse(&env, &[]).unwrap_err().variable, CLIENT_SECRET_FILE);
}

#[test]
fn debug_of_config_hides_secrets() {
    let config = parse(&base_env(), &[]).unwrap();
    let debug = format!("{config:?}");
    assert!(!debug.contains("super-secret-value"));
    assert!(!debug.contains(KEY));
    assert!(debug.contains("[redacted]"));
}
