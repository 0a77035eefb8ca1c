//! `/v1/customers`: create, retrieve, update, delete, list, and the saved
//! payment methods of a customer.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{address, address_param, find_live, opt, payment_methods, previous_attributes};
use crate::auth::require_secret;
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, Ctx};
use crate::ids;
use crate::state::Shared;
use crate::store::FOUND;
use crate::store::{now, Customer, Store};

pub fn render(customer: &Customer) -> Value {
    if customer.deleted {
        return json!({ "id": customer.id, "object": "customer", "deleted": true });
    }
    // A stable invoice prefix derived from the id, as Stripe assigns one per customer.
    let prefix: String = hex::encode(Sha256::digest(customer.id.as_bytes()))[..8].to_uppercase();
    json!({
        "id": customer.id,
        "object": "customer",
        "address": customer.address.as_ref().map(|a| address(Some(a))),
        "balance": 0,
        "created": customer.created,
        "currency": null,
        "default_source": null,
        "delinquent": false,
        "description": opt(&customer.description),
        "discount": null,
        "email": opt(&customer.email),
        "invoice_prefix": prefix,
        "invoice_settings": {
            "custom_fields": null,
            "default_payment_method": opt(&customer.default_payment_method),
            "footer": null,
            "rendering_options": null,
        },
        "livemode": false,
        "metadata": customer.metadata,
        "name": opt(&customer.name),
        "next_invoice_sequence": 1,
        "phone": opt(&customer.phone),
        "preferred_locales": customer.preferred_locales,
        "shipping": customer.shipping,
        "tax_exempt": "none",
        "test_clock": null,
    })
}

/// The customer, or Stripe's 404 (deleted customers still exist for retrieve).
pub fn find<'s>(store: &'s Store, id: &str, param: &str) -> ApiResult<&'s Customer> {
    store
        .customer(id)
        .ok_or_else(|| ApiError::no_such("customer", id, param))
}

const WRITABLE: &[&str] = &[
    "email",
    "name",
    "phone",
    "description",
    "metadata",
    "address",
    "shipping",
    "preferred_locales",
    "invoice_settings",
    "expand",
];

fn apply(ctx: &Ctx, customer: &mut Customer, store: &Store) -> ApiResult<()> {
    let p = &ctx.params;
    if let Some(v) = p.nullable_str("email")? {
        if let Some(email) = &v {
            if !email.contains('@') || email.len() > 512 {
                return Err(ApiError::invalid_request(
                    format!("Invalid email address: {email}"),
                    Some("email".into()),
                )
                .with_code("email_invalid"));
            }
        }
        customer.email = v;
    }
    if let Some(v) = p.nullable_str("name")? {
        customer.name = v;
    }
    if let Some(v) = p.nullable_str("phone")? {
        customer.phone = v;
    }
    if let Some(v) = p.nullable_str("description")? {
        customer.description = v;
    }
    if p.contains("address") {
        customer.address = address_param(p, "address")?;
    }
    if let Some(shipping) = p.hash("shipping")? {
        shipping.allow(&["name", "phone", "address"])?;
        customer.shipping = Some(json!({
            "address": address(address_param(&shipping, "address")?.as_ref()),
            "name": shipping.required("name")?,
            "phone": shipping.str("phone")?,
        }));
    }
    if let Some(locales) = p.list("preferred_locales")? {
        customer.preferred_locales = locales;
    }
    if let Some(settings) = p.hash("invoice_settings")? {
        settings.allow(&["default_payment_method"])?;
        if let Some(pm) = settings.nullable_str("default_payment_method")? {
            if let Some(id) = &pm {
                match store.payment_method(id) {
                    Some(m) if m.customer.as_deref() == Some(customer.id.as_str()) => {}
                    _ => {
                        return Err(ApiError::invalid_request(
                            format!("No such PaymentMethod: '{id}'; It's possible this PaymentMethod exists on one of your connected accounts, in which case you should retry this request on that connected account."),
                            Some("invoice_settings[default_payment_method]".into()),
                        ).with_code("resource_missing"))
                    }
                }
            }
            customer.default_payment_method = pm;
        }
    }
    p.apply_metadata(&mut customer.metadata)
}

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    let mut known = WRITABLE.to_vec();
    known.push("payment_method");
    ctx.params.allow(&known)?;
    let mut store = state.store();
    let mut customer = Customer {
        id: ids::new_id("cus"),
        created: now(),
        email: None,
        name: None,
        phone: None,
        description: None,
        address: None,
        shipping: None,
        preferred_locales: Vec::new(),
        metadata: Map::new(),
        default_payment_method: None,
        deleted: false,
    };
    apply(&ctx, &mut customer, &store)?;
    let attach = ctx.params.non_empty("payment_method")?;
    let id = customer.id.clone();
    store.customers.push(customer);
    let rendered = render(store.customer(&id).expect(FOUND));
    store.emit("customer.created", rendered, None, &ctx.meta);
    if let Some(pm) = attach {
        payment_methods::attach_to(&mut store, &pm, &id, &ctx.meta, "payment_method")?;
    }
    Ok(Json(render(store.customer(&id).expect(FOUND))))
}

pub async fn retrieve(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["expand"])?;
    let store = state.store();
    Ok(Json(render(find(&store, &id, "id")?)))
}

pub async fn update(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(WRITABLE)?;
    let mut store = state.store();
    let mut customer = find_live(&store, &id, "id")?.clone();
    let before = render(&customer);
    apply(&ctx, &mut customer, &store)?;
    let after = render(&customer);
    *store.customer_mut(&id).expect(FOUND) = customer;
    let previous = previous_attributes(&before, &after);
    if previous.as_object().is_some_and(|m| !m.is_empty()) {
        store.emit("customer.updated", after.clone(), Some(previous), &ctx.meta);
    }
    Ok(Json(after))
}

pub async fn delete(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&[])?;
    let mut store = state.store();
    let rendered = render(find_live(&store, &id, "id")?);
    store.customer_mut(&id).expect(FOUND).deleted = true;
    store.emit("customer.deleted", rendered, None, &ctx.meta);
    Ok(Json(
        json!({ "id": id, "object": "customer", "deleted": true }),
    ))
}

pub async fn list(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow_list(&["email", "created"])?;
    let email = ctx.params.str("email")?;
    let created = ctx.params.created()?;
    let store = state.store();
    let items = store
        .customers
        .iter()
        .rev()
        .filter(|c| !c.deleted && created.contains(c.created))
        .filter(|c| {
            email
                .as_ref()
                .is_none_or(|e| c.email.as_deref() == Some(e.as_str()))
        })
        .map(|c| (c.id.clone(), render(c)))
        .collect();
    Ok(Json(paginate(&ctx.params, items, "/v1/customers")?))
}

/// `GET /v1/customers/:id/payment_methods`, filtered by `type` and `allow_redisplay`.
pub async fn list_payment_methods(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow_list(&["type", "allow_redisplay"])?;
    let kind = ctx.params.non_empty("type")?;
    let redisplay = ctx
        .params
        .one_of("allow_redisplay", &["always", "limited", "unspecified"])?;
    let store = state.store();
    find_live(&store, &id, "customer")?;
    let items = payment_methods::of_customer(&store, &id, kind.as_deref(), redisplay.as_deref());
    Ok(Json(paginate(
        &ctx.params,
        items,
        &format!("/v1/customers/{id}/payment_methods"),
    )?))
}

pub async fn retrieve_payment_method(
    State(state): State<Arc<Shared>>,
    Path((id, pm)): Path<(String, String)>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["expand"])?;
    let store = state.store();
    find_live(&store, &id, "customer")?;
    match store.payment_method(&pm) {
        Some(m) if m.customer.as_deref() == Some(id.as_str()) => {
            Ok(Json(payment_methods::render(m)))
        }
        _ => Err(ApiError::no_such("PaymentMethod", &pm, "payment_method")),
    }
}

/// `/v1/customers` and a customer's payment methods.
pub fn router() -> axum::Router<std::sync::Arc<crate::state::Shared>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/customers", post(create).get(list))
        .route("/customers/{id}", get(retrieve).post(update).delete(delete))
        .route("/customers/{id}/payment_methods", get(list_payment_methods))
        .route(
            "/customers/{id}/payment_methods/{pm}",
            get(retrieve_payment_method),
        )
}
