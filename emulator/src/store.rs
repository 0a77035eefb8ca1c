//! All emulator state, behind one mutex: objects, events, pending webhook
//! deliveries and idempotency records. Serializable, so `--state FILE`
//! survives a restart.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids;
use crate::test_values::{Decline, Outcome};

/// Why a look-up cannot fail: the handler found the object earlier, under
/// the same lock of the store, and nothing removes objects meanwhile.
pub const FOUND: &str = "an object looked up earlier under the same store lock";

pub fn now() -> i64 {
    now_ms() / 1000
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub created: i64,
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    pub address: Option<Value>,
    pub shipping: Option<Value>,
    pub preferred_locales: Vec<String>,
    pub metadata: Map<String, Value>,
    pub default_payment_method: Option<String>,
    pub deleted: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PaymentMethod {
    pub id: String,
    pub created: i64,
    /// `card`, `sepa_debit`, …
    pub kind: String,
    /// The sub-hash named after the type (`card{brand, last4, …}`).
    pub details: Value,
    pub billing_details: Value,
    pub customer: Option<String>,
    pub allow_redisplay: String,
    pub metadata: Map<String, Value>,
    /// What charging it does (from its test number).
    pub outcome: Outcome,
    /// Detached methods cannot be attached or used again.
    pub detached: bool,
    /// Used once without a customer: Stripe refuses to reuse it.
    pub consumed: bool,
}

/// What an intent waits for after `requires_action` or `processing`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Pending {
    /// The customer must complete 3-D Secure or a bank authorisation.
    Action {
        redirect: bool,
        then: Outcome,
        /// `then` comes from a named scenario: it decides even after a
        /// bank's page (which otherwise pays at once, or starts the debit).
        #[serde(default)]
        scripted: bool,
    },
    /// An asynchronous debit settles at `at_ms`.
    Settle {
        at_ms: i64,
        succeed: bool,
        failure: Option<Decline>,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub created: i64,
    pub amount: i64,
    pub currency: String,
    pub customer: Option<String>,
    pub description: Option<String>,
    pub metadata: Map<String, Value>,
    pub status: crate::intent_status::IntentStatus,
    pub client_secret: String,
    pub payment_method: Option<String>,
    pub payment_method_types: Vec<String>,
    /// `excluded_payment_method_types`, as given.
    #[serde(default)]
    pub excluded_payment_method_types: Option<Vec<String>>,
    pub automatic_payment_methods: Option<Value>,
    pub setup_future_usage: Option<String>,
    pub capture_method: String,
    pub confirmation_method: String,
    pub last_payment_error: Option<Value>,
    pub next_action: Option<Value>,
    pub latest_charge: Option<String>,
    pub canceled_at: Option<i64>,
    pub cancellation_reason: Option<String>,
    pub receipt_email: Option<String>,
    pub shipping: Option<Value>,
    pub statement_descriptor: Option<String>,
    pub statement_descriptor_suffix: Option<String>,
    pub amount_received: i64,
    pub return_url: Option<String>,
    pub pending: Option<Pending>,
    /// `allow_redisplay` for the method once the payment saves it.
    pub save_allow_redisplay: Option<String>,
    pub off_session: bool,
    /// Failed confirmations so far (Stripe cancels after too many).
    pub failed_attempts: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Charge {
    pub id: String,
    pub created: i64,
    pub amount: i64,
    pub currency: String,
    pub customer: Option<String>,
    pub payment_intent: String,
    pub payment_method: String,
    /// `succeeded`, `pending` or `failed`.
    pub status: String,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub billing_details: Value,
    pub payment_method_details: Value,
    /// Refunded so far (pending refunds included; a failed one gives it back).
    #[serde(default)]
    pub amount_refunded: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    pub created: i64,
    pub amount: i64,
    pub currency: String,
    pub charge: String,
    pub payment_intent: Option<String>,
    /// The charge's customer and method (absent from states saved before).
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub payment_method: Option<String>,
    pub reason: Option<String>,
    /// `pending`, `succeeded`, `failed` (or `canceled`).
    pub status: String,
    pub failure_reason: Option<String>,
    pub metadata: Map<String, Value>,
    /// The refunded payment method's type (`destination_details`).
    pub kind: String,
    /// When the refund changes next: a pending one settles, a doomed one fails.
    pub settle_at_ms: Option<i64>,
    /// Refunds of the refund-failure test card fail.
    pub fails: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CustomerSession {
    pub client_secret: String,
    pub created: i64,
    pub customer: String,
    pub expires_at: i64,
    pub components: Value,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub created: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub api_version: String,
    pub object: Value,
    pub previous_attributes: Option<Value>,
    pub request_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub pending_webhooks: i64,
    /// Insertion order, for a stable newest-first order within one second.
    pub seq: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub id: String,
    pub created: i64,
    pub url: String,
    pub enabled_events: Vec<String>,
    pub secret: String,
    pub status: String,
    pub description: Option<String>,
    pub metadata: Map<String, Value>,
    pub api_version: Option<String>,
}

impl WebhookEndpoint {
    pub fn wants(&self, event_type: &str) -> bool {
        self.status == "enabled"
            && self.enabled_events.iter().any(|e| {
                e == "*"
                    || e == event_type
                    || e.strip_suffix(".*")
                        .is_some_and(|p| event_type.starts_with(&format!("{p}.")))
            })
    }
}

/// One attempt (or retry) to POST an event to an endpoint.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Delivery {
    pub event_id: String,
    pub endpoint_id: String,
    pub attempt: u32,
    pub due_ms: i64,
    /// Sent while another copy of the same event is also queued (chaos: duplicate).
    pub duplicate: bool,
}

/// Faults injected into webhook delivery, for testing receivers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Chaos {
    /// Deliver every event twice.
    pub duplicate: bool,
    /// Deliver in a random order (each delivery waits a random 0..=shuffle_ms).
    pub shuffle: bool,
    /// Wait this long before the first attempt.
    pub delay_ms: u64,
    /// Treat each first attempt as failed, whatever the receiver answered, so
    /// every event arrives at least twice.
    pub fail_first: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum IdempotencyRecord {
    InFlight {
        fingerprint: String,
    },
    Done {
        fingerprint: String,
        status: u16,
        body: String,
        request_id: String,
        at: i64,
    },
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Store {
    pub customers: Vec<Customer>,
    pub payment_methods: Vec<PaymentMethod>,
    pub payment_intents: Vec<PaymentIntent>,
    pub charges: Vec<Charge>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
    pub customer_sessions: Vec<CustomerSession>,
    pub events: Vec<Event>,
    pub webhook_endpoints: Vec<WebhookEndpoint>,
    pub deliveries: Vec<Delivery>,
    pub idempotency: HashMap<String, IdempotencyRecord>,
    pub chaos: Chaos,
    pub next_seq: u64,
    /// Named scenarios waiting for confirmations (`/_emulator/scenarios`).
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// A named scenario waiting for its confirmations (`crate::scenarios`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// As asked for (`decline:insufficient_funds`).
    pub name: String,
    /// A `pi_…`, `pm_…` or `cus_…` id; `None`: the next confirmation of any.
    pub target: Option<String>,
    pub outcome: Outcome,
    /// Confirmations it still decides.
    pub remaining: u32,
}

/// What a request that causes events looks like, for `event.request`.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub api_version: String,
}

impl Store {
    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id == id)
    }
    pub fn customer_mut(&mut self, id: &str) -> Option<&mut Customer> {
        self.customers.iter_mut().find(|c| c.id == id)
    }
    pub fn payment_method(&self, id: &str) -> Option<&PaymentMethod> {
        self.payment_methods.iter().find(|p| p.id == id)
    }
    pub fn payment_method_mut(&mut self, id: &str) -> Option<&mut PaymentMethod> {
        self.payment_methods.iter_mut().find(|p| p.id == id)
    }
    pub fn payment_intent(&self, id: &str) -> Option<&PaymentIntent> {
        self.payment_intents.iter().find(|p| p.id == id)
    }
    pub fn payment_intent_mut(&mut self, id: &str) -> Option<&mut PaymentIntent> {
        self.payment_intents.iter_mut().find(|p| p.id == id)
    }
    pub fn charge(&self, id: &str) -> Option<&Charge> {
        self.charges.iter().find(|c| c.id == id)
    }
    pub fn charge_mut(&mut self, id: &str) -> Option<&mut Charge> {
        self.charges.iter_mut().find(|c| c.id == id)
    }
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }
    pub fn endpoint(&self, id: &str) -> Option<&WebhookEndpoint> {
        self.webhook_endpoints.iter().find(|e| e.id == id)
    }

    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Records an event and queues its delivery to every endpoint that wants it.
    pub fn emit(
        &mut self,
        kind: &str,
        object: Value,
        previous: Option<Value>,
        meta: &RequestMeta,
    ) -> String {
        let id = ids::new_id("evt");
        let now_ms = now_ms();
        let endpoints: Vec<String> = self
            .webhook_endpoints
            .iter()
            .filter(|e| e.wants(kind))
            .map(|e| e.id.clone())
            .collect();
        let chaos = self.chaos.clone();
        for endpoint_id in &endpoints {
            let copies = if chaos.duplicate { 2 } else { 1 };
            for copy in 0..copies {
                let jitter = if chaos.shuffle {
                    rand::random::<u64>() % 1500
                } else {
                    0
                };
                self.deliveries.push(Delivery {
                    event_id: id.clone(),
                    endpoint_id: endpoint_id.clone(),
                    attempt: 0,
                    due_ms: now_ms + (chaos.delay_ms + jitter) as i64,
                    duplicate: copy > 0,
                });
            }
        }
        let seq = self.next_seq();
        self.events.push(Event {
            id: id.clone(),
            created: now_ms / 1000,
            kind: kind.to_owned(),
            api_version: meta.api_version.clone(),
            object,
            previous_attributes: previous,
            request_id: meta.request_id.clone(),
            idempotency_key: meta.idempotency_key.clone(),
            pending_webhooks: endpoints.len() as i64,
            seq,
        });
        id
    }

    /// Drops idempotency records older than 24 hours, as Stripe may.
    pub fn prune_idempotency(&mut self) {
        let cutoff = now() - 24 * 3600;
        self.idempotency.retain(|_, r| match r {
            IdempotencyRecord::Done { at, .. } => *at > cutoff,
            IdempotencyRecord::InFlight { .. } => true,
        });
    }

    pub fn load(path: &Path) -> std::io::Result<Option<Self>> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let mut store: Store = serde_json::from_slice(&bytes)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
                // A request in flight when the process stopped never finished.
                store
                    .idempotency
                    .retain(|_, r| matches!(r, IdempotencyRecord::Done { .. }));
                Ok(Some(store))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes atomically: a crash leaves the old file or the new one, never half.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("tmp");
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(tmp, path)
    }
}
