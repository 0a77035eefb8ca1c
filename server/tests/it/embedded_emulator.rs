//! The emulator the shop embeds is the shop's alone: its own secret key, and
//! answers readable by the shop's pages only.

use crate::support;

use support::shop;

#[tokio::test]
async fn the_embedded_emulator_refuses_the_documented_key_and_other_origins() {
    let shop = shop().await;
    let emulator = shop.started.emulator.as_ref().expect("emulator mode");
    let http = reqwest::Client::new();
    let customers = format!("{}/v1/customers", emulator.base_url);

    let documented = http
        .get(&customers)
        .bearer_auth(stripe_emulator::DEFAULT_SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(documented.status().as_u16(), 401);
    assert!(emulator.secret_key.starts_with("sk_test_") && emulator.secret_key.len() > 30);
    let own = http
        .get(&customers)
        .bearer_auth(&emulator.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status().as_u16(), 200);

    let preflight = |origin: &str| {
        http.request(reqwest::Method::OPTIONS, &customers)
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let foreign = preflight("http://127.0.0.1:9999").await.unwrap();
    assert_eq!(foreign.status().as_u16(), 403);
    assert!(foreign
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let shop_origin = shop.base.clone();
    let allowed = preflight(&shop_origin).await.unwrap();
    assert_eq!(allowed.status().as_u16(), 204);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"]
            .to_str()
            .unwrap(),
        shop_origin
    );
}
