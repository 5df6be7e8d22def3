//! The built `wxcc-token-proxy-lambda` binary in a Lambda runtime loop: started with
//! `AWS_LAMBDA_RUNTIME_API` pointing at a local Runtime API (`runtime_api`), given function URL and
//! HTTP API (payload 2.0) events for `/token`, `/refresh` and `/logout` against the Webex sandbox,
//! as Lambda would. `cargo xtask test` runs these as a suite of their own (`lambda_runtime::`).
#![cfg(unix)]

mod runtime_api;
mod support;

mod lambda_runtime {
    use crate::runtime_api::events::{self, Source};
    use crate::runtime_api::{Outcome, PATIENCE, RuntimeApi};
    use crate::support::sandbox::{
        self, DEMO_CLIENT_ID as CLIENT_ID, DEMO_CLIENT_SECRET as CLIENT_SECRET, authorization_code,
    };
    use crate::support::{command, stderr_of};
    use serde_json::{Value, json};
    use std::collections::HashMap;
    use tokio::process::Child;

    const BINARY: &str = env!("CARGO_BIN_EXE_wxcc-token-proxy-lambda");
    const ORIGIN: &str = "https://console.example.com";
    const REDIRECT_URI: &str = "https://console.example.com/callback";
    const VERIFIER: &str = "lambda-runtime-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    /// base64url of 32 bytes of 0x07.
    const SEALING_KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";
    const TEMPLATE: &str = include_str!("../../../deploy/template.yaml");

    /// The function's environment as the template sets it (secrets inline here: the test has no
    /// Secrets Manager), plus what Lambda itself sets.
    fn environment(identity_url: &str, runtime_api: &RuntimeApi) -> HashMap<String, String> {
        [
            ("WXCC_PROXY_CLIENT_ID", CLIENT_ID.to_string()),
            ("WXCC_PROXY_CLIENT_SECRET", CLIENT_SECRET.to_string()),
            ("WXCC_PROXY_ALLOWED_ORIGINS", ORIGIN.to_string()),
            ("WXCC_PROXY_REDIRECT_URI", REDIRECT_URI.to_string()),
            (
                "WXCC_PROXY_TOKEN_ENDPOINT",
                format!("{identity_url}/v1/access_token"),
            ),
            ("WXCC_PROXY_MODE", "cookie".to_string()),
            ("WXCC_PROXY_SEALING_KEYS", SEALING_KEY.to_string()),
            ("AWS_LAMBDA_RUNTIME_API", runtime_api.address.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME", "wxcc-token-proxy".to_string()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_string()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_string()),
            ("AWS_REGION", "eu-west-1".to_string()),
            ("RUST_LOG", "info".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    fn start(env: &HashMap<String, String>) -> Child {
        command(BINARY, env).spawn().unwrap()
    }

    fn browser_headers(origin: &str) -> Value {
        json!({
            "origin": origin,
            "x-wxcc-request": "1",
            "content-type": "application/json",
            "accept": "*/*"
        })
    }

    /// An HTTP answer as the function posted it.
    struct Answer {
        status: u64,
        headers: Value,
        cookies: Vec<String>,
        body: Value,
    }

    async fn call(api: &RuntimeApi, event: Value) -> Answer {
        let response = match api.invoke(event).await {
            Outcome::Response(response) => response,
            Outcome::Error { error_type, body } => {
                panic!("an HTTP event failed: {error_type:?} {body}")
            }
        };
        let body = match response["body"].as_str() {
            Some("") | None => Value::Null,
            Some(text) => serde_json::from_str(text)
                .unwrap_or_else(|_| panic!("the body is not JSON: {text:?}")),
        };
        let cookies = response["cookies"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        Answer {
            status: response["statusCode"].as_u64().unwrap(),
            headers: response["headers"].clone(),
            cookies,
            body,
        }
    }

    /// `name=value` of the session cookie a `Set-Cookie` sets, and the rest of its attributes.
    fn session_cookie(answer: &Answer) -> (String, String) {
        let set_cookie = answer
            .cookies
            .iter()
            .find(|c| c.starts_with("__Host-wxcc_rt="))
            .unwrap_or_else(|| panic!("no session cookie in {:?}", answer.cookies));
        let (pair, attributes) = set_cookie.split_once(';').unwrap_or((set_cookie, ""));
        (pair.to_string(), attributes.to_string())
    }

    /// Sign-in, refresh and sign-out through the binary with events from `source`.
    async fn sign_in_refresh_and_sign_out(source: Source) {
        sign_in_refresh_and_sign_out_with(source, |_| ()).await;
    }

    /// The same, with the function's environment changed by `adjust` first.
    async fn sign_in_refresh_and_sign_out_with(
        source: Source,
        adjust: impl FnOnce(&mut HashMap<String, String>),
    ) {
        let sandbox = sandbox::start(ORIGIN, REDIRECT_URI).await;
        let identity = sandbox.identity_url();
        let api = RuntimeApi::start().await;
        let mut env = environment(&identity, &api);
        adjust(&mut env);
        let mut function = start(&env);
        api.ready().await;

        let health = call(
            &api,
            events::http(source, "GET", "/healthz", json!({}), &[], None),
        )
        .await;
        assert_eq!(
            (health.status, &health.body),
            (200, &json!({"status": "ok"}))
        );

        let code = authorization_code(&identity, REDIRECT_URI, VERIFIER).await;
        let body = json!({"code": code, "code_verifier": VERIFIER}).to_string();
        let token_event = |origin: &str| {
            events::http(
                source,
                "POST",
                "/token",
                browser_headers(origin),
                &[],
                Some(&body),
            )
        };
        let signed_in = call(&api, token_event(ORIGIN)).await;
        assert_eq!(signed_in.status, 200, "{}", signed_in.body);
        assert_eq!(signed_in.body["token_type"], "Bearer");
        assert!(
            signed_in.body["access_token"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(signed_in.body.get("refresh_token").is_none());
        assert!(
            signed_in.body.get("refresh_handle").is_none(),
            "cookie mode"
        );
        assert_eq!(signed_in.headers["cache-control"], "no-store");
        assert_eq!(signed_in.headers["access-control-allow-origin"], ORIGIN);
        let (cookie, attributes) = session_cookie(&signed_in);
        for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
            assert!(
                attributes.contains(attribute),
                "{attribute} missing: {attributes}"
            );
        }
        // CloudFront forwards exactly this cookie to the function (deploy/template.yaml).
        let name = cookie.split('=').next().unwrap();
        assert!(
            TEMPLATE.contains(&format!("Cookies: [\"{name}\"]")),
            "{name}"
        );

        // The code is single use, and the answer says so.
        let replay = call(&api, token_event(ORIGIN)).await;
        assert_eq!(
            (replay.status, &replay.body["error"]),
            (400, &json!("invalid_grant"))
        );

        let refresh = |cookies: Vec<String>| {
            events::http(
                source,
                "POST",
                "/refresh",
                browser_headers(ORIGIN),
                &cookies,
                Some("{}"),
            )
        };
        let refreshed = call(&api, refresh(vec![cookie.clone()])).await;
        assert_eq!(refreshed.status, 200, "{}", refreshed.body);
        assert_ne!(
            refreshed.body["access_token"],
            signed_in.body["access_token"]
        );
        let (resealed, _) = session_cookie(&refreshed);
        assert_ne!(resealed, cookie, "each refresh re-seals the session");

        let forged = call(&api, refresh(vec!["__Host-wxcc_rt=forged".into()])).await;
        assert_eq!(
            (forged.status, &forged.body["error"]),
            (401, &json!("session_expired"))
        );

        let foreign = call(&api, token_event("https://evil.example")).await;
        assert_eq!(
            (foreign.status, &foreign.body["error"]),
            (403, &json!("origin_not_allowed"))
        );

        let logout = events::http(
            source,
            "POST",
            "/logout",
            browser_headers(ORIGIN),
            &[resealed],
            Some("{}"),
        );
        let signed_out = call(&api, logout).await;
        assert_eq!(signed_out.status, 204, "{}", signed_out.body);
        let (cleared, attributes) = session_cookie(&signed_out);
        assert_eq!(cleared, "__Host-wxcc_rt=");
        assert!(attributes.contains("Max-Age=0"), "{attributes}");

        // An event that is no HTTP request is an invocation error, and the function goes on.
        match api.invoke(json!({"detail-type": "Scheduled Event"})).await {
            Outcome::Error { body, .. } => {
                assert!(body["errorMessage"].as_str().is_some(), "{body}")
            }
            Outcome::Response(response) => panic!("answered a non-HTTP event: {response}"),
        }
        let after = call(
            &api,
            events::http(source, "GET", "/healthz", json!({}), &[], None),
        )
        .await;
        assert_eq!(after.status, 200);

        assert!(
            function.try_wait().unwrap().is_none(),
            "the function is still running"
        );
        function.kill().await.unwrap();
        let stderr = stderr_of(&mut function).await;
        for secret in [CLIENT_SECRET, SEALING_KEY, code.as_str(), VERIFIER] {
            assert!(!stderr.contains(secret), "the logs hold a secret");
        }
        sandbox.shutdown().await;
    }

    #[tokio::test]
    async fn function_url_events_sign_in_refresh_and_sign_out_against_the_sandbox() {
        sign_in_refresh_and_sign_out(Source::FunctionUrl).await;
    }

    #[tokio::test]
    async fn http_api_events_sign_in_refresh_and_sign_out_against_the_sandbox() {
        sign_in_refresh_and_sign_out(Source::HttpApi).await;
    }

    /// A function with a bad sealing key: (exit status, stderr, how often it asked for an
    /// invocation, the init error it reported).
    async fn start_misconfigured() -> (
        std::process::ExitStatus,
        String,
        u64,
        Option<crate::runtime_api::InitError>,
    ) {
        let api = RuntimeApi::start().await;
        let mut env = environment("http://127.0.0.1:9", &api);
        env.insert("WXCC_PROXY_SEALING_KEYS".into(), "not-a-key".into());
        let mut function = start(&env);
        let status = tokio::time::timeout(PATIENCE, function.wait())
            .await
            .expect("a misconfigured function must stop, not wait for invocations")
            .unwrap();
        let stderr = stderr_of(&mut function).await;
        (status, stderr, api.next_calls(), api.init_error())
    }

    #[tokio::test]
    async fn a_bad_configuration_stops_the_function_before_any_invocation_naming_the_variable() {
        let (status, stderr, next_calls, _) = start_misconfigured().await;
        assert!(!status.success(), "{status:?}");
        assert_eq!(next_calls, 0, "it never asked for an invocation");
        assert!(stderr.contains("WXCC_PROXY_SEALING_KEYS"), "{stderr}");
        assert!(!stderr.contains(CLIENT_SECRET), "{stderr}");
    }

    #[tokio::test]
    async fn a_bad_configuration_is_reported_to_the_runtime_api_as_an_init_error() {
        let (status, _, _, init_error) = start_misconfigured().await;
        assert!(!status.success(), "{status:?}");
        let init_error = init_error.expect("no POST /2018-06-01/runtime/init/error");
        assert_eq!(
            init_error.error_type.as_deref(),
            Some("Runtime.ConfigError")
        );
        assert_eq!(init_error.body["errorType"], "Runtime.ConfigError");
        let message = init_error.body["errorMessage"].as_str().unwrap();
        assert!(message.contains("WXCC_PROXY_SEALING_KEYS"), "{message}");
        assert!(
            !message.contains(CLIENT_SECRET) && !message.contains("not-a-key"),
            "{message}"
        );
    }

    const SECRET_ARN: &str =
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:wxcc-console/token-proxy-AbCdEf";

    /// A Secrets Manager stand-in on loopback: answers `GetSecretValue`, signed for `eu-west-1`
    /// with the function's session credentials, with `secret_string`, or with AWS's access-denied
    /// error when it is None.
    async fn secrets_manager(secret_string: Option<String>) -> String {
        use axum::http::{HeaderMap, StatusCode};
        let handler = move |headers: HeaderMap, body: String| {
            let secret_string = secret_string.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                assert_eq!(header("x-amz-target"), "secretsmanager.GetSecretValue");
                assert_eq!(header("x-amz-security-token"), "session-token-for-the-test");
                let authorization = header("authorization");
                assert!(
                    authorization.starts_with("AWS4-HMAC-SHA256 Credential=ASIATESTKEYID/")
                        && authorization.contains("/eu-west-1/secretsmanager/aws4_request, ")
                        && authorization.contains("x-amz-security-token;x-amz-target, Signature="),
                    "{authorization}"
                );
                let request: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(request["SecretId"], SECRET_ARN);
                match secret_string {
                    Some(text) => (
                        StatusCode::OK,
                        json!({"ARN": SECRET_ARN, "SecretString": text}).to_string(),
                    ),
                    None => (
                        StatusCode::BAD_REQUEST,
                        json!({"__type": "AccessDeniedException",
                               "message": "not authorized to perform secretsmanager:GetSecretValue"})
                        .to_string(),
                    ),
                }
            }
        };
        let router = axum::Router::new().route("/", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        format!("http://{address}")
    }

    /// The environment the template gives the function: the secret's name and Lambda's session
    /// credentials instead of the client secret and the sealing keys.
    fn with_secret_from(endpoint: String) -> impl FnOnce(&mut HashMap<String, String>) {
        move |env| {
            env.remove("WXCC_PROXY_CLIENT_SECRET");
            env.remove("WXCC_PROXY_SEALING_KEYS");
            for (name, value) in [
                ("WXCC_PROXY_SECRET_ARN", SECRET_ARN),
                ("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint.as_str()),
                ("AWS_ACCESS_KEY_ID", "ASIATESTKEYID"),
                ("AWS_SECRET_ACCESS_KEY", "test-secret-access-key"),
                ("AWS_SESSION_TOKEN", "session-token-for-the-test"),
            ] {
                env.insert(name.to_string(), value.to_string());
            }
        }
    }

    #[tokio::test]
    async fn the_client_secret_and_the_sealing_keys_come_from_secrets_manager() {
        let secret =
            json!({"client_secret": CLIENT_SECRET, "sealing_keys": SEALING_KEY}).to_string();
        let endpoint = secrets_manager(Some(secret)).await;
        sign_in_refresh_and_sign_out_with(Source::FunctionUrl, with_secret_from(endpoint)).await;
    }

    #[tokio::test]
    async fn a_secret_the_function_may_not_read_is_an_init_error() {
        let endpoint = secrets_manager(None).await;
        let api = RuntimeApi::start().await;
        let mut env = environment("http://127.0.0.1:9", &api);
        with_secret_from(endpoint)(&mut env);
        let mut function = start(&env);
        let status = tokio::time::timeout(PATIENCE, function.wait())
            .await
            .expect("the function must stop")
            .unwrap();
        assert!(!status.success(), "{status:?}");
        assert_eq!(api.next_calls(), 0, "it never asked for an invocation");
        let init_error = api.init_error().expect("no init error was reported");
        assert_eq!(init_error.body["errorType"], "Runtime.SecretError");
        let message = init_error.body["errorMessage"].as_str().unwrap();
        assert!(message.contains("AccessDeniedException"), "{message}");
    }
}
