//! Password hashes (Argon2id), and checking them without letting a burst of
//! sign-ins take the server down.
//!
//! Argon2 takes 19 MiB and tens of milliseconds per check, by design. With no
//! bound, 256 wrong passwords at once took the server to 11.7 GB. Here checks
//! run on a few threads of their own, one fewer than the cores (so pages and
//! webhooks keep a core), each reusing its memory; a short queue waits, and
//! beyond it the answer is "busy" at once.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{LazyLock, Mutex, OnceLock};

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use tokio::sync::oneshot;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches, checked for unknown e-mails so that they take
/// as long as known ones.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for unknown e-mails"))
}

/// Too many checks are waiting: try again in a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks are waiting")]
pub struct Busy;

struct Check {
    hash: String,
    password: String,
    answer: oneshot::Sender<bool>,
}

fn checkers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1)
}

static QUEUE: LazyLock<SyncSender<Check>> = LazyLock::new(|| {
    // About half a second of checks waiting per thread.
    let (queue, checks) = sync_channel::<Check>(8 * checkers());
    let checks = std::sync::Arc::new(Mutex::new(checks));
    for n in 0..checkers() {
        let checks = checks.clone();
        let _ = std::thread::Builder::new()
            .name(format!("password-check-{n}"))
            .spawn(move || run_checks(&checks));
    }
    queue
});

fn run_checks(checks: &Mutex<Receiver<Check>>) {
    loop {
        let next = match checks.lock() {
            Ok(receiver) => receiver.recv(),
            // Another checker panicked while holding the lock: carry on with it.
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(check) = next else { return };
        let _ = check
            .answer
            .send(verify_password(&check.hash, &check.password));
    }
}

/// Checks `password` against `hash` on the checking threads.
pub async fn check(hash: String, password: String) -> Result<bool, Busy> {
    let (answer, answered) = oneshot::channel();
    match QUEUE.try_send(Check {
        hash,
        password,
        answer,
    }) {
        Ok(()) => Ok(answered.await.unwrap_or(false)),
        Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn checks_match_only_the_password_hashed() {
        let hash = hash_password("right");
        assert_eq!(check(hash.clone(), "right".into()).await, Ok(true));
        assert_eq!(check(hash, "wrong".into()).await, Ok(false));
        assert_eq!(check(decoy_hash().into(), "".into()).await, Ok(false));
        assert!(!verify_password("not a hash", "x"));
    }
}
