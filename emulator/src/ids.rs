//! Object ids and secrets in Stripe's formats (`pi_` + 24 alphanumerics, …).

use rand::distributions::Alphanumeric;
use rand::Rng;

pub fn random(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

pub fn new_id(prefix: &str) -> String {
    let len = match prefix {
        "cus" => 14,
        _ => 24,
    };
    format!("{prefix}_{}", random(len))
}

pub fn client_secret(pi_id: &str) -> String {
    format!("{pi_id}_secret_{}", random(25))
}

pub fn customer_session_secret() -> String {
    format!("cuss_secret_{}", random(43))
}

pub fn webhook_secret() -> String {
    format!("whsec_{}", random(32))
}

pub fn request_id() -> String {
    format!("req_{}", random(14))
}
