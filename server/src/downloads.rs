//! `GET /orders/{id}/downloads/{product}`: a digital product of one of the
//! signed-in customer's orders, once that order is fulfilled (an order of
//! downloads only opens them while its bank debit is still processing).
//! Revoked access (the debit failed) is `410 Gone`; anything else is `404`,
//! whoever asks, so the answer tells nothing about other customers' orders.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use shop::server::order_store::{self, DownloadAccess};
use shop::server::sessions;
use shop::server::AppState;

/// The files, by product id, built into the binary.
fn file(product: &str) -> Option<(&'static str, &'static str)> {
    match product {
        "brewing-guide" => Some((
            "rustic-roast-brewing-guide.txt",
            include_str!("../downloads/brewing-guide.txt"),
        )),
        _ => None,
    }
}

pub async fn download(
    State(state): State<AppState>,
    Path((order, product)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Ok(order), Some((filename, body))) = (order.parse::<i64>(), file(&product)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let customer = match sessions::customer_from_headers(&state.pool, &headers).await {
        Ok(Some(customer)) => customer,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Sign in to download.").into_response(),
        Err(err) => {
            tracing::error!(%err, "download: session");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match order_store::download_access(&state.pool, customer, order, &product).await {
        Ok(DownloadAccess::Granted) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Ok(DownloadAccess::Revoked) => (
            StatusCode::GONE,
            "This download was withdrawn: the payment failed.",
        )
            .into_response(),
        Ok(DownloadAccess::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(%err, order, "download");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
