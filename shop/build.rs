// `sqlx::migrate!` embeds shop/migrations at compile time: rebuild when a
// migration is added or changed, not only when Rust code is.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
