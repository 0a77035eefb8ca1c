//! `/v1/payment_intents`: synchronous cards, 3-D Secure and bank redirects
//! (`requires_action`), asynchronous debits (`processing` → settled later),
//! declines (HTTP 402 with the intent back in `requires_payment_method`).
//! The status machine itself is `crate::intent_status`; here are the
//! parameters (`params`), the JSON (`render`), the handlers (`handlers`),
//! creating and updating (`changes`), confirmation (`confirmation`) and
//! what follows an outcome (`outcomes`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::{opt, payment_methods};
use crate::auth::{require_secret, Role};
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, ApiVersion, Ctx};
use crate::ids;
use crate::intent_status::{self, IntentStatus, Step};
use crate::params::Params;
use crate::state::Shared;
use crate::store::{
    now, now_ms, Charge, PaymentIntent, PaymentMethod, Pending, RequestMeta, Store,
};
use crate::test_values::{Decline, Outcome, ThreeDsMode};

mod changes;
mod confirmation;
mod handlers;
mod outcomes;
mod params;
mod render;

pub use self::handlers::{cancel, capture, confirm, create, list, retrieve, update};
pub use self::outcomes::{complete_action, settle, settle_due};
pub use self::render::{check_expand, render, render_charge, render_current, View};
use self::{changes::*, confirmation::*, outcomes::*, params::*};

pub(super) fn find<'s>(store: &'s Store, id: &str) -> ApiResult<&'s PaymentIntent> {
    store
        .payment_intent(id)
        .ok_or_else(|| ApiError::no_such("payment_intent", id, "intent"))
}

/// The intent as the caller may see it, for embedding in errors.
pub(super) fn view_for(role: Role) -> View {
    match role {
        Role::Secret => View::Secret,
        Role::Publishable => View::Client,
    }
}

/// `/v1/payment_intents`.
pub fn router() -> axum::Router<std::sync::Arc<crate::state::Shared>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/payment_intents", post(create).get(list))
        .route("/payment_intents/{id}", get(retrieve).post(update))
        .route("/payment_intents/{id}/confirm", post(confirm))
        .route("/payment_intents/{id}/cancel", post(cancel))
        .route("/payment_intents/{id}/capture", post(capture))
}
