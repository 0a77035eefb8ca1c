//! The Stripe test-mode emulator the shop starts when no Stripe keys are
//! configured (the default: everything runs offline). Linked in through the
//! `embedded-emulator` cargo feature, on by default; a production build can
//! leave it out (`--no-default-features`), and then refuses to start without
//! keys instead.

use std::net::SocketAddr;
use std::path::Path;

#[cfg(not(feature = "embedded-emulator"))]
use shop::server::stripe::StripeSettings;
use shop::server::stripe::{Form, List, Secret, StripeClient, StripeError, WebhookEndpoint};
#[cfg(feature = "embedded-emulator")]
use shop::server::stripe::{RetryPolicy, StripeSettings};

/// Why the embedded emulator did not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("could not start the embedded Stripe emulator: {0}")]
    Start(String),
    #[error("could not keep the emulator's secret key in {0}: {1}")]
    Key(std::path::PathBuf, std::io::Error),
}

/// The running emulator (stopped when the server stops).
#[cfg(feature = "embedded-emulator")]
pub type Handle = stripe_emulator::Emulator;

/// Without the feature there is never an emulator to hold.
#[cfg(not(feature = "embedded-emulator"))]
pub enum Handle {}

#[cfg(not(feature = "embedded-emulator"))]
impl Handle {
    pub async fn stop(self) {
        match self {}
    }
}

/// Where the emulator answers.
#[cfg(feature = "embedded-emulator")]
pub fn base_url(handle: &Handle) -> &str {
    &handle.base_url
}

#[cfg(not(feature = "embedded-emulator"))]
pub fn base_url(handle: &Handle) -> &str {
    match *handle {}
}

/// Starts the emulator on `addr` with its state beside the database, allowing
/// the shop's pages (`public_origin`) to use it from the browser, and returns
/// the settings of a Stripe client pointed at it.
#[cfg(feature = "embedded-emulator")]
pub async fn start(
    addr: SocketAddr,
    state_file: Option<&Path>,
    public_origin: &str,
) -> Result<(StripeSettings, Handle), EmulatorError> {
    let emulator = stripe_emulator::start(stripe_emulator::Config {
        addr,
        state_file: state_file.map(Path::to_path_buf),
        // Not the documented sk_test_emulator: a key of this data
        // directory, so no other local page or process can drive it.
        secret_key: secret_key(state_file)?,
        allowed_origins: Some(vec![public_origin.to_owned()]),
        // The shop's name, as a real account's display name would read.
        display_name: shop::i18n::Locale::En.texts().shop_name.to_owned(),
        ..stripe_emulator::Config::default()
    })
    .await
    .map_err(|err| EmulatorError::Start(err.to_string()))?;
    let settings = StripeSettings {
        api_base: emulator.base_url.clone(),
        secret_key: Secret::new(emulator.secret_key.clone()),
        publishable_key: emulator.publishable_key.clone(),
        js_url: format!("{}/v3/", emulator.base_url),
        retry: RetryPolicy::default(),
    };
    Ok((settings, emulator))
}

#[cfg(not(feature = "embedded-emulator"))]
pub async fn start(
    _addr: SocketAddr,
    _state_file: Option<&Path>,
    _public_origin: &str,
) -> Result<(StripeSettings, Handle), EmulatorError> {
    Err(EmulatorError::Start(
        "this build has no embedded emulator (feature `embedded-emulator`): set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET".into(),
    ))
}

/// In emulator mode the shop registers its own webhook endpoint, replacing
/// any left from a previous run (a secret is only shown at creation).
pub async fn register_webhook(stripe: &StripeClient, url: &str) -> Result<Secret, StripeError> {
    let existing: List<WebhookEndpoint> = stripe
        .get("/v1/webhook_endpoints", &Form::new().field("limit", 100))
        .await?;
    for endpoint in existing.data.iter().filter(|e| e.url == url) {
        let _: serde_json::Value = stripe
            .delete(&format!("/v1/webhook_endpoints/{}", endpoint.id))
            .await?;
    }
    let created: WebhookEndpoint = stripe
        .post(
            "/v1/webhook_endpoints",
            &Form::new()
                .field("url", url)
                .field("enabled_events[]", "*")
                // Events rendered in the version the shop reads.
                .field("api_version", shop::server::stripe::API_VERSION)
                .field("description", "Rustic Roast (embedded emulator)"),
            &format!("register-{url}-{}", shop::server::now()),
        )
        .await?;
    // Never run with an empty secret: anyone could sign with it.
    match created.secret {
        Some(secret) if secret.starts_with("whsec_") => Ok(Secret::new(secret)),
        _ => Err(StripeError::Decode(
            "the new webhook endpoint came without a whsec_ secret".into(),
        )),
    }
}

/// Where the embedded emulator's secret key is kept: beside its state file.
pub fn emulator_key_file(state_file: &std::path::Path) -> std::path::PathBuf {
    state_file.with_extension("key")
}

/// The emulator's secret key: read from beside its state file, or
/// made up (and written there) on first start; without a state file, a new
/// one each run.
#[cfg(feature = "embedded-emulator")]
fn secret_key(state_file: Option<&std::path::Path>) -> Result<String, EmulatorError> {
    use rand::distributions::{Alphanumeric, DistString};
    let fresh = || {
        format!(
            "sk_test_{}",
            Alphanumeric.sample_string(&mut rand::thread_rng(), 32)
        )
    };
    let Some(state_file) = state_file else {
        return Ok(fresh());
    };
    let path = emulator_key_file(state_file);
    if let Ok(key) = std::fs::read_to_string(&path) {
        if key.trim().starts_with("sk_test_") {
            return Ok(key.trim().to_owned());
        }
    }
    let key = fresh();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| EmulatorError::Key(path.clone(), e))?;
    }
    write_private(&path, &key).map_err(|e| EmulatorError::Key(path.clone(), e))?;
    Ok(key)
}

/// Writes a file only its owner can read.
#[cfg(feature = "embedded-emulator")]
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
