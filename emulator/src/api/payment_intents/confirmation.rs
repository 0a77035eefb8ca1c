//! Confirming an intent: which method, whether it fits, and what the test
//! value makes of it (paid, declined, an action first, or a bank debit).

use super::*;
use crate::store::FOUND;

pub(super) fn incompatible(pi: &PaymentIntent, kind: &str) -> ApiError {
    ApiError::invalid_request(
        format!(
            "The PaymentMethod provided ({kind}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: {}. Alternatively, update the allowed payment_method_types for this PaymentIntent to include \"{kind}\".",
            pi.payment_method_types.join(", ")
        ),
        Some("payment_method".into()),
    )
    .with_code("payment_intent_incompatible_payment_method")
}

/// Confirms an intent and runs it as far as it goes without the customer.
pub(super) fn confirm_intent(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    c: Confirmation<'_>,
    meta: &RequestMeta,
) -> ApiResult<()> {
    let view = view_for(c.role);
    let pi = find(store, id)?.clone();
    if !pi.status.is_confirmable() {
        return Err(ApiError::unexpected_state(format!(
            "You cannot confirm this PaymentIntent because it has a status of {}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.",
            pi.status
        ))
        .with_payment_intent(render(store, &pi, view, &[])));
    }
    let pm_id = chosen_method(store, &c, &pi, view)?;
    let pm = store.payment_method(&pm_id).expect(FOUND).clone();
    check_method_fits(store, &pi, &pm, view)?;
    let mut attempt = Attempt::from_params(&c, &pi, &pm)?;
    attempt.record(store, id, &pi, &pm);
    attempt.scenario = crate::scenarios::take(store, &pi, &pm);
    next_step(store, shared, &pi, &pm, attempt, meta, view)
}

/// The method to confirm with: new details, a given id, or the intent's own.
fn chosen_method(
    store: &mut Store,
    c: &Confirmation<'_>,
    pi: &PaymentIntent,
    view: View,
) -> ApiResult<String> {
    let p = c.params;
    let pm_id = if let Some(data) = p.hash("payment_method_data")? {
        let pm = payment_methods::build(&data)?;
        let id = pm.id.clone();
        store.payment_methods.push(pm);
        Some(id)
    } else if let Some(pm) = p.non_empty("payment_method")? {
        Some(match c.role {
            Role::Secret => payment_methods::resolve(store, &pm, "payment_method")?,
            Role::Publishable => store
                .payment_method(&pm)
                .map(|m| m.id.clone())
                .ok_or_else(|| ApiError::no_such("PaymentMethod", &pm, "payment_method"))?,
        })
    } else {
        pi.payment_method.clone()
    };
    pm_id.ok_or_else(|| {
        ApiError::invalid_request(
            "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
            Some("payment_method".into()),
        )
        .with_code("payment_intent_unexpected_state")
        .with_payment_intent(render(store, pi, view, &[]))
    })
}

/// Stripe's refusals of a method: spent, someone else's, or of a type the
/// intent does not allow.
fn check_method_fits(
    store: &Store,
    pi: &PaymentIntent,
    pm: &PaymentMethod,
    view: View,
) -> ApiResult<()> {
    if pm.detached || pm.consumed {
        return Err(ApiError::invalid_request(
            "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.",
            Some("payment_method".into()),
        ));
    }
    if let Some(owner) = &pm.customer {
        if pi.customer.as_deref() != Some(owner.as_str()) {
            return Err(ApiError::invalid_request(
                format!("The provided PaymentMethod belongs to a Customer ({owner}), but this PaymentIntent is for {}. Use a PaymentMethod of the PaymentIntent's Customer.", pi.customer.as_deref().unwrap_or("no Customer")),
                Some("payment_method".into()),
            ));
        }
    }
    if !pi.payment_method_types.contains(&pm.kind) {
        return Err(incompatible(pi, &pm.kind).with_payment_intent(render(store, pi, view, &[])));
    }
    Ok(())
}

/// What this confirmation asks for, beyond the method.
struct Attempt {
    off_session: bool,
    return_url: Option<String>,
    setup_future_usage: Option<String>,
    error_on_action: bool,
    use_stripe_sdk: bool,
    receipt_email: Option<Option<String>>,
    shipping: Option<Option<Value>>,
    /// The method redirects the customer to their bank (iDEAL, Bancontact…).
    redirects: bool,
    /// What a named scenario waiting for this confirmation makes of it
    /// (instead of the method's test value).
    scenario: Option<Outcome>,
}

impl Attempt {
    fn from_params(
        c: &Confirmation<'_>,
        pi: &PaymentIntent,
        pm: &PaymentMethod,
    ) -> ApiResult<Self> {
        let p = c.params;
        let off_session = match p.str("off_session")?.as_deref() {
            None | Some("false") | Some("") => false,
            Some("true") | Some("one_off") | Some("recurring") => true,
            Some(other) => {
                return Err(ApiError::invalid_enum(
                    "off_session",
                    other,
                    &["true", "false", "one_off", "recurring"],
                ))
            }
        };
        if off_session && c.role == Role::Publishable {
            return Err(ApiError::unknown_param("off_session"));
        }
        let redirects = REDIRECT_TYPES.contains(&pm.kind.as_str());
        let return_url = Self::return_url(c, pi, redirects, off_session)?;
        let sfu = match sfu_param(p)? {
            Some(v) => v,
            None => pi.setup_future_usage.clone(),
        };
        // Stripe.js's save_payment_method: keep the method, off-session unless said otherwise.
        let setup_future_usage =
            if c.role == Role::Publishable && p.bool("save_payment_method")? == Some(true) {
                Some(sfu.unwrap_or_else(|| "off_session".into()))
            } else {
                sfu
            };
        if (pm.kind == "sepa_debit" || pm.kind == "us_bank_account") && p.contains("mandate_data") {
            p.hash("mandate_data")?;
        }
        Ok(Self {
            off_session,
            return_url,
            setup_future_usage,
            error_on_action: p.bool("error_on_requires_action")?.unwrap_or(false),
            use_stripe_sdk: p
                .bool("use_stripe_sdk")?
                .unwrap_or(c.role == Role::Publishable),
            receipt_email: receipt_email(p)?,
            shipping: shipping_param(p)?,
            redirects,
            scenario: None,
        })
    }

    /// The given `return_url` or the intent's, required when the customer
    /// may have to leave the page.
    fn return_url(
        c: &Confirmation<'_>,
        pi: &PaymentIntent,
        redirects: bool,
        off_session: bool,
    ) -> ApiResult<Option<String>> {
        let return_url = match c.params.nullable_str("return_url")? {
            Some(v) => v,
            None => pi.return_url.clone(),
        };
        if let Some(url) = &return_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ApiError::invalid_request(
                    "Not a valid URL",
                    Some("return_url".into()),
                )
                .with_code("url_invalid"));
            }
        }
        let automatic_with_redirects = pi
            .automatic_payment_methods
            .as_ref()
            .is_some_and(|a| a["allow_redirects"] == "always");
        if return_url.is_none()
            && (redirects || (c.role == Role::Secret && automatic_with_redirects && !off_session))
        {
            return Err(ApiError::invalid_request(
                "A return_url must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
                Some("return_url".into()),
            ));
        }
        Ok(return_url)
    }

    /// Writes the attempt onto the intent; a method used without a customer
    /// to keep it is spent.
    fn record(&self, store: &mut Store, id: &str, pi: &PaymentIntent, pm: &PaymentMethod) {
        let intent = store.payment_intent_mut(id).expect(FOUND);
        intent.payment_method = Some(pm.id.clone());
        intent.return_url = self.return_url.clone();
        intent.setup_future_usage = self.setup_future_usage.clone();
        intent.last_payment_error = None;
        intent.next_action = None;
        intent.pending = None;
        intent.off_session = self.off_session;
        if let Some(v) = &self.receipt_email {
            intent.receipt_email = v.clone();
        }
        if let Some(v) = &self.shipping {
            intent.shipping = v.clone();
        }
        if pm.allow_redisplay == "always" {
            intent.save_allow_redisplay = Some("always".into());
        }
        if pm.customer.is_none() && (pi.customer.is_none() || self.setup_future_usage.is_none()) {
            store.payment_method_mut(&pm.id).expect(FOUND).consumed = true;
        }
    }
}

/// After the attempt is recorded: the bank's page, 3-D Secure, or the
/// outcome straight away: the named scenario's, when one was waiting for
/// this confirmation, else the method's test value's.
fn next_step(
    store: &mut Store,
    shared: &Shared,
    pi: &PaymentIntent,
    pm: &PaymentMethod,
    attempt: Attempt,
    meta: &RequestMeta,
    view: View,
) -> ApiResult<()> {
    let id = pi.id.as_str();
    let scripted = attempt.scenario.is_some();
    let outcome = attempt
        .scenario
        .clone()
        .unwrap_or_else(|| pm.outcome.clone());
    if attempt.redirects {
        let url = format!(
            "{}/_emulator/authorize/{}?client_secret={}",
            shared.base_url, id, pi.client_secret
        );
        return require_action(
            store,
            id,
            json!({
                "type": "redirect_to_url",
                "redirect_to_url": { "return_url": attempt.return_url, "url": url },
            }),
            Pending::Action {
                redirect: true,
                then: outcome,
                scripted,
            },
            meta,
        );
    }
    let Outcome::ThreeDs { mode, then } = outcome else {
        return run_outcome(store, shared, id, &outcome, meta, view);
    };
    let saved_for_customer = pm.customer.is_some() && pm.customer == pi.customer;
    let passes_off_session = mode == ThreeDsMode::RequiredUnlessSetUp && saved_for_customer;
    if attempt.off_session && passes_off_session {
        return run_outcome(store, shared, id, &then, meta, view);
    }
    if attempt.off_session || attempt.error_on_action {
        let d = Decline {
            code: "authentication_required".into(),
            decline_code: Some("authentication_required".into()),
            message: "Your card was declined. This transaction requires authentication.".into(),
        };
        return fail_attempt(store, id, &d, meta, true, view);
    }
    let url = format!(
        "{}/_emulator/3ds/{}?client_secret={}",
        shared.base_url, id, pi.client_secret
    );
    let next_action = if attempt.use_stripe_sdk {
        json!({
            "type": "use_stripe_sdk",
            "use_stripe_sdk": { "type": "three_d_secure_redirect", "stripe_js": url, "source": pm.id },
        })
    } else {
        json!({ "type": "redirect_to_url", "redirect_to_url": { "return_url": attempt.return_url, "url": url } })
    };
    require_action(
        store,
        id,
        next_action,
        Pending::Action {
            redirect: false,
            then: *then,
            scripted,
        },
        meta,
    )
}

pub(super) fn require_action(
    store: &mut Store,
    id: &str,
    next_action: Value,
    pending: Pending,
    meta: &RequestMeta,
) -> ApiResult<()> {
    let pi = store.payment_intent_mut(id).expect(FOUND);
    pi.status = IntentStatus::RequiresAction;
    pi.next_action = Some(next_action);
    pi.pending = Some(pending);
    let rendered = render(
        store,
        store.payment_intent(id).expect(FOUND),
        View::Secret,
        &[],
    );
    store.emit("payment_intent.requires_action", rendered, None, meta);
    Ok(())
}

/// Runs a method's outcome once nothing more is needed from the customer.
pub(super) fn run_outcome(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    outcome: &Outcome,
    meta: &RequestMeta,
    view: View,
) -> ApiResult<()> {
    match outcome {
        Outcome::Succeed => {
            succeed(store, id, meta);
            Ok(())
        }
        Outcome::Decline(d) => fail_attempt(store, id, d, meta, true, view),
        Outcome::AttachOkChargeFails => {
            fail_attempt(store, id, &Decline::generic(), meta, true, view)
        }
        Outcome::ThreeDs { then, .. } => run_outcome(store, shared, id, then, meta, view),
        Outcome::FailAuthentication => fail_authentication(store, id, false, meta),
        Outcome::Async {
            succeed: ok,
            delayed,
            failure,
        } => {
            start_processing(store, shared, id, *ok, *delayed, failure.clone(), meta);
            Ok(())
        }
    }
}
