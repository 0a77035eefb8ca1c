//! The hosted pages `next_action` URLs point to: a 3-D Secure challenge and
//! a bank authorisation page (iDEAL, Bancontact, Sofort), each with
//! "Authorize" and "Fail" choices. Clearly marked as test pages, in English
//! and French.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;

use crate::api::payment_intents;
use crate::state::Shared;
use crate::store::FOUND;
use crate::store::{PaymentIntent, Pending, RequestMeta};

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    En,
    Fr,
}

fn lang(query: &HashMap<String, String>, headers: &HeaderMap) -> Lang {
    let wanted = query.get("locale").cloned().or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    match wanted {
        Some(l) if l.trim_start().to_ascii_lowercase().starts_with("fr") => Lang::Fr,
        _ => Lang::En,
    }
}

/// Text for an element or a quoted attribute (`&`, `<`, `>`, `"`, `'` escaped).
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_quoted_attribute(text)
}

fn money(amount: i64, currency: &str, lang: Lang) -> String {
    let value = format!("{}.{:02}", amount / 100, amount % 100);
    match lang {
        Lang::En => format!("{} {value}", currency.to_uppercase()),
        Lang::Fr => format!("{} {}", value.replace('.', ","), currency.to_uppercase()),
    }
}

fn page(lang: Lang, title: &str, body: &str) -> Html<String> {
    let code = if lang == Lang::Fr { "fr" } else { "en" };
    let banner = if lang == Lang::Fr {
        "Mode test : page de l’émulateur Stripe. Aucun paiement réel n’a lieu."
    } else {
        "Test mode: a Stripe emulator page. No real payment takes place."
    };
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; background: #f6f9fc; color: #1a1f36; }}
  .banner {{ background: #ffde92; color: #5d4200; padding: .6rem 1rem; text-align: center; font-weight: 600; }}
  main {{ max-width: 28rem; margin: 2.5rem auto; background: #fff; border-radius: 12px; padding: 1.75rem;
          box-shadow: 0 2px 8px rgba(0,0,0,.08); }}
  h1 {{ font-size: 1.3rem; margin-top: 0; }}
  dl {{ display: grid; grid-template-columns: auto 1fr; gap: .3rem 1rem; }}
  dt {{ color: #697386; }} dd {{ margin: 0; font-weight: 600; }}
  .actions {{ display: flex; gap: .75rem; margin-top: 1.5rem; flex-wrap: wrap; }}
  button {{ font: inherit; font-weight: 600; border-radius: 8px; padding: .7rem 1.2rem; cursor: pointer; border: 1px solid #635bff; }}
  .ok {{ background: #635bff; color: #fff; }} .fail {{ background: #fff; color: #b3093c; border-color: #b3093c; }}
  button:focus-visible {{ outline: 3px solid #1a1f36; outline-offset: 2px; }}
</style>
</head>
<body>
<div class="banner" role="note">{banner}</div>
<main>
{body}
</main>
</body>
</html>"#
    ))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    ThreeDs,
    Bank,
}

struct Texts {
    title: String,
    intro: String,
    ok: &'static str,
    fail: &'static str,
}

fn texts(kind: Kind, method: &str, lang: Lang) -> Texts {
    let bank = match method {
        "ideal" => "iDEAL",
        "bancontact" => "Bancontact",
        "sofort" => "Sofort",
        _ => "",
    };
    match (kind, lang) {
        (Kind::ThreeDs, Lang::En) => Texts {
            title: "3D Secure 2 Test Page".into(),
            intro: "Your bank asks you to confirm this payment. Choose the outcome to simulate.".into(),
            ok: "Complete authentication",
            fail: "Fail authentication",
        },
        (Kind::ThreeDs, Lang::Fr) => Texts {
            title: "Page de test 3D Secure 2".into(),
            intro: "Votre banque vous demande de confirmer ce paiement. Choisissez le résultat à simuler.".into(),
            ok: "Valider l’authentification",
            fail: "Faire échouer l’authentification",
        },
        (Kind::Bank, Lang::En) => Texts {
            title: format!("{bank} test payment"),
            intro: format!("You are paying with {bank}. Choose the outcome the bank should report."),
            ok: "Authorize Test Payment",
            fail: "Fail Test Payment",
        },
        (Kind::Bank, Lang::Fr) => Texts {
            title: format!("Paiement de test {bank}"),
            intro: format!("Vous payez avec {bank}. Choisissez le résultat que la banque doit renvoyer."),
            ok: "Autoriser le paiement de test",
            fail: "Faire échouer le paiement de test",
        },
    }
}

fn not_found(lang: Lang) -> Response {
    let (title, text) = if lang == Lang::Fr {
        (
            "Introuvable",
            "Ce paiement n’existe pas ou le lien n’est pas valide.",
        )
    } else {
        (
            "Not found",
            "This payment does not exist or the link is not valid.",
        )
    };
    (
        StatusCode::NOT_FOUND,
        page(lang, title, &format!("<h1>{title}</h1><p>{text}</p>")),
    )
        .into_response()
}

async fn show(
    shared: Arc<Shared>,
    kind: Kind,
    id: String,
    query: HashMap<String, String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang(&query, &headers);
    let store = shared.store();
    let Some(pi) = store.payment_intent(&id) else {
        return not_found(lang);
    };
    if query.get("client_secret") != Some(&pi.client_secret) {
        return not_found(lang);
    }
    let method = pi
        .payment_method
        .as_deref()
        .and_then(|p| store.payment_method(p))
        .map(|m| m.kind.clone())
        .unwrap_or_default();
    let t = texts(kind, &method, lang);
    if !matches!(pi.pending, Some(Pending::Action { .. })) {
        let text = if lang == Lang::Fr {
            "Cette action n’est plus en attente."
        } else {
            "This action is no longer pending."
        };
        let body = format!("<h1>{}</h1><p>{text}</p>", escape(&t.title));
        return page(lang, &t.title, &body).into_response();
    }
    let return_url = query
        .get("return_url")
        .map(String::as_str)
        .unwrap_or_default();
    let body = action_form(kind, pi, &t, lang, &shared.config.display_name, return_url);
    page(lang, &t.title, &body).into_response()
}

/// The page's body: what is asked, for how much, by whom, and the two
/// buttons (authorise or fail the test payment).
fn action_form(
    kind: Kind,
    pi: &PaymentIntent,
    t: &Texts,
    lang: Lang,
    merchant: &str,
    return_url: &str,
) -> String {
    let (amount_label, merchant_label) = if lang == Lang::Fr {
        ("Montant", "Marchand")
    } else {
        ("Amount", "Merchant")
    };
    let action = match kind {
        Kind::ThreeDs => "3ds",
        Kind::Bank => "authorize",
    };
    // The ids and test ids of Stripe's own test pages, so tests written
    // against them find these buttons.
    let (ok_id, fail_id) = match kind {
        Kind::ThreeDs => (
            r#"id="test-source-authorize-3ds""#,
            r#"id="test-source-fail-3ds""#,
        ),
        Kind::Bank => (
            r#"data-testid="authorize-test-payment-button""#,
            r#"data-testid="fail-test-payment-button""#,
        ),
    };
    format!(
        r#"<h1>{title}</h1>
<p>{intro}</p>
<dl><dt>{amount_label}</dt><dd>{amount}</dd><dt>{merchant_label}</dt><dd data-testid="merchant-name">{merchant}</dd></dl>
<form method="post" action="/_emulator/{action}/{id}">
<input type="hidden" name="client_secret" value="{secret}">
<input type="hidden" name="return_url" value="{return_url}">
<div class="actions">
<button class="ok" type="submit" name="outcome" value="authorize" {ok_id}>{ok}</button>
<button class="fail" type="submit" name="outcome" value="fail" {fail_id}>{fail}</button>
</div>
</form>"#,
        title = escape(&t.title),
        intro = escape(&t.intro),
        amount = escape(&money(pi.amount, &pi.currency, lang)),
        merchant = escape(merchant),
        return_url = escape(return_url),
        id = escape(&pi.id),
        secret = escape(&pi.client_secret),
        ok = t.ok,
        fail = t.fail,
    )
}

/// Appends the return parameters to `return_url`, keeping its own query.
pub fn return_location(return_url: &str, pi_id: &str, secret: &str, status: &str) -> String {
    let separator = if return_url.contains('?') { '&' } else { '?' };
    format!("{return_url}{separator}payment_intent={pi_id}&payment_intent_client_secret={secret}&redirect_status={status}")
}

async fn finish(
    shared: Arc<Shared>,
    kind: Kind,
    id: String,
    form: HashMap<String, String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang(&form, &headers);
    let authorized = form.get("outcome").map(String::as_str) == Some("authorize");
    let (return_url, secret, status) = {
        let mut store = shared.store();
        let Some(pi) = store.payment_intent(&id).cloned() else {
            return not_found(lang);
        };
        if form.get("client_secret") != Some(&pi.client_secret) {
            return not_found(lang);
        }
        let meta = RequestMeta {
            api_version: crate::http::DEFAULT_API_VERSION.into(),
            ..Default::default()
        };
        if let Err(err) =
            payment_intents::complete_action(&mut store, &shared, &id, authorized, &meta)
        {
            return (
                StatusCode::CONFLICT,
                page(
                    lang,
                    "Error",
                    &format!("<h1>Error</h1><p>{}</p>", escape(&err.body.message)),
                ),
            )
                .into_response();
        }
        let pi = store.payment_intent(&id).expect(FOUND);
        let from_action = pi.return_url.clone();
        let explicit = form.get("return_url").filter(|u| !u.is_empty()).cloned();
        // A bank redirect always returns; 3-D Secure returns when it was a redirect.
        let return_url = match kind {
            Kind::Bank => explicit.or(from_action),
            Kind::ThreeDs => explicit,
        };
        use crate::intent_status::IntentStatus;
        let status = if matches!(
            pi.status,
            IntentStatus::Succeeded | IntentStatus::Processing | IntentStatus::RequiresCapture
        ) {
            "succeeded"
        } else {
            "failed"
        };
        (return_url, pi.client_secret.clone(), status)
    };
    // Persisted, and the webhook worker woken, by `persist_after` around
    // every POST.
    match return_url {
        Some(url) => Redirect::to(&return_location(&url, &id, &secret, status)).into_response(),
        None => {
            // Inside Stripe.js's modal: tell the page that opened it.
            let text = if lang == Lang::Fr {
                "Authentification terminée."
            } else {
                "Authentication finished."
            };
            let body = format!(
                r#"<h1>{text}</h1><script>window.parent.postMessage({{"type":"stripe-emulator-action-complete","payment_intent":"{id}","status":"{status}"}}, "*");</script>"#,
                id = escape(&id)
            );
            page(lang, text, &body).into_response()
        }
    }
}

pub async fn three_ds_page(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    h: HeaderMap,
) -> Response {
    show(s, Kind::ThreeDs, id, q, h).await
}

pub async fn three_ds_submit(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    h: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    finish(s, Kind::ThreeDs, id, f, h).await
}

pub async fn bank_page(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    h: HeaderMap,
) -> Response {
    show(s, Kind::Bank, id, q, h).await
}

pub async fn bank_submit(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    h: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    finish(s, Kind::Bank, id, f, h).await
}
