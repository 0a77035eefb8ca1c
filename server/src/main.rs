#![deny(unsafe_code)]

use std::process::ExitCode;

use server::{app, build_state, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();

    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    let started = match build_state(&config).await {
        Ok(started) => started,
        Err(err) => {
            eprintln!("start-up failed: {err}");
            return ExitCode::FAILURE;
        }
    };
    // Delivers queued messages, and those a previous run left behind.
    let outbox = started.outbox.clone().spawn();
    // Stripe gives up redelivering after a while: ask it for what we missed.
    let catch_up = config.catch_up_every.map(|every| {
        server::catch_up::spawn(
            started.state.stripe.clone(),
            started.state.pool.clone(),
            every,
        )
    });
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {}: {err}", config.addr);
            return ExitCode::FAILURE;
        }
    };
    match &started.emulator {
        Some(emulator) => tracing::info!(
            "no Stripe keys configured: embedded Stripe test-mode emulator at {}{}",
            server::embedded_emulator::base_url(emulator),
            match &config.stripe {
                server::StripeMode::Emulator {
                    state_file: Some(state),
                    ..
                } => format!(
                    " (its secret key, to look inside with curl or an SDK, is in {})",
                    server::emulator_key_file(state).display()
                ),
                _ => String::new(),
            }
        ),
        None => tracing::info!(
            "using Stripe at {}",
            started.state.stripe.settings().api_base
        ),
    }
    match &config.mail.smtp_url {
        Some(_) => tracing::info!(
            "messages to customers are e-mailed from {}",
            config.mail.from
        ),
        None => tracing::info!("no SMTP_URL: messages to customers are shown on /messages"),
    }
    tracing::info!(
        "shop listening on http://{} (database {}, demo mode {})",
        config.addr,
        server::config::masked_url(&config.database_url),
        config.demo_mode
    );
    // With each connection's address: sign-in throttling counts per client.
    let served = axum::serve(
        listener,
        app(started.state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    if let Some(catch_up) = catch_up {
        catch_up.abort();
    }
    outbox.shutdown().await;
    if let Some(emulator) = started.emulator {
        emulator.stop().await;
    }
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("server error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
