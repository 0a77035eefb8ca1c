//! The shop's own listener: HTTP/1.1 connections with limits and timeouts,
//! so that sockets that send nothing, or trickle, cannot take a shop that
//! faces the internet directly down (README, "Security").
//!
//! - At most `max_connections` at once (below the process's file limit,
//!   which start-up raises to its hard limit), and `max_connections_per_client`
//!   from one address; a connection beyond either is closed as it is
//!   accepted, costing nothing after.
//! - `header_read_timeout`: a connection that has not sent a whole request
//!   head this long after it became ready for one (new, or idle between
//!   keep-alive requests) is closed (hyper's own timer).
//! - `body_timeout`: a request body still arriving after this fails, and
//!   its request with it (its connection is closed).

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// The listener's limits (`Config::transport`; each has an environment variable).
#[derive(Clone, Debug, PartialEq)]
pub struct TransportLimits {
    /// Connections open at once, over all clients.
    pub max_connections: usize,
    /// Connections open at once from one client address. Connections from
    /// a trusted proxy are not counted: they carry every shopper's requests.
    pub max_connections_per_client: usize,
    /// How long a connection may take to send a request head, counted
    /// from when it is ready for one: new, or idle after a response.
    pub header_read_timeout: Duration,
    /// How long a request body may take to arrive.
    pub body_timeout: Duration,
    /// How long open requests get to finish at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for TransportLimits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            max_connections_per_client: 64,
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Files the process keeps for itself beyond client connections: the
/// database pool, the emulator and Stripe connections, logs, static files.
pub const RESERVED_FILES: u64 = 128;

/// Raises the soft limit of open files to the hard limit (a service often
/// starts with 1,024), and returns the soft limit now in force.
pub fn raise_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(err) => {
            tracing::warn!(%err, "could not raise the limit of open files");
            rlimit::getrlimit(rlimit::Resource::NOFILE)
                .ok()
                .map(|(soft, _)| soft)
        }
    }
}

/// The connection cap to use: the configured one, lowered if needed to
/// leave [`RESERVED_FILES`] of the process's file limit free.
pub fn connection_cap(configured: usize, file_limit: Option<u64>) -> usize {
    match file_limit {
        Some(limit) => {
            let room = limit.saturating_sub(RESERVED_FILES).max(1);
            configured.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        None => configured,
    }
}

/// Open connections per client address.
#[derive(Default)]
struct PerClient {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// A client's place among the open connections, given back on drop.
struct ClientSlot {
    clients: Arc<PerClient>,
    ip: IpAddr,
}

impl PerClient {
    fn take(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<ClientSlot> {
        // A poisoned lock only means another connection's task panicked
        // while counting: the counts are still whole numbers.
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(ip).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            clients: self.clone(),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.clients.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open
/// requests finish for `limits.shutdown_grace`. Each request carries its
/// connection's address (`ConnectInfo<SocketAddr>`), as with `axum::serve`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: TransportLimits,
    trusted_proxies: Vec<IpAddr>,
    shutdown: impl Future<Output = ()>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let clients = Arc::new(PerClient::default());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    let mut refused_logged = false;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of files (EMFILE) or a connection reset before it was
                    // accepted: wait a moment rather than spin.
                    tracing::warn!(%err, "accept error");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            if !refused_logged {
                tracing::warn!(
                    max = limits.max_connections,
                    "connection limit reached: new connections are closed"
                );
                refused_logged = true;
            }
            continue;
        };
        let slot = if trusted_proxies.contains(&peer.ip()) {
            None
        } else {
            match clients.take(peer.ip(), limits.max_connections_per_client) {
                Some(slot) => Some(slot),
                None => {
                    tracing::debug!(client = %peer.ip(), "per-client connection limit reached");
                    continue;
                }
            }
        };
        refused_logged = false;
        let _ = stream.set_nodelay(true);
        let service = connection_service(app.clone(), peer, limits.body_timeout);
        // No upgrades: the shop has no WebSocket (live pages use server-sent events).
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(hold_until_closed(connection, permit, slot));
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still open at the end of the shutdown grace period");
    }
}

/// Runs a connection to its end, holding its places in the limits.
async fn hold_until_closed<F, E>(
    connection: F,
    _permit: OwnedSemaphorePermit,
    _slot: Option<ClientSlot>,
) where
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    if let Err(err) = connection.await {
        // Timeouts and clients that went away: ordinary on the internet.
        tracing::debug!(%err, "connection ended");
    }
}

/// The app for one connection: each request gets the peer's address, and
/// a body that fails once `body_timeout` has passed.
fn connection_service(
    app: Router,
    peer: SocketAddr,
    body_timeout: Duration,
) -> hyper_util::service::TowerToHyperService<
    impl tower::Service<
            hyper::Request<hyper::body::Incoming>,
            Response = axum::response::Response,
            Error = Infallible,
            Future = impl Send,
        > + Clone,
> {
    let service = app.map_request(move |request: hyper::Request<hyper::body::Incoming>| {
        let mut request: Request = request.map(|body| {
            axum::body::Body::new(tower_http::timeout::TimeoutBody::new(body_timeout, body))
        });
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    hyper_util::service::TowerToHyperService::new(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_under_the_file_limit() {
        assert_eq!(
            connection_cap(4096, Some(1024)),
            1024 - RESERVED_FILES as usize
        );
        assert_eq!(connection_cap(4096, Some(1 << 20)), 4096);
        assert_eq!(connection_cap(4096, None), 4096);
        assert_eq!(connection_cap(4096, Some(10)), 1, "never zero");
    }

    #[test]
    fn a_client_gets_its_places_back_when_its_connections_close() {
        let clients = Arc::new(PerClient::default());
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let first = clients.take(ip, 2).unwrap();
        let second = clients.take(ip, 2).unwrap();
        assert!(clients.take(ip, 2).is_none());
        assert!(clients.take("192.0.2.8".parse().unwrap(), 2).is_some());
        drop(first);
        let third = clients.take(ip, 2);
        assert!(third.is_some());
        drop((second, third));
        assert!(
            clients.open.lock().unwrap().is_empty(),
            "forgotten when closed"
        );
    }
}
