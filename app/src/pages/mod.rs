//! One module per page.

mod cart;
mod catalog;
mod checkout;
mod complete;
mod messages;
mod not_found;
mod orders;
mod payment_form;
mod sign_in;

pub use cart::CartPage;
pub use catalog::CatalogPage;
pub use checkout::CheckoutPage;
pub use complete::CompletePage;
pub use messages::MessagesPage;
pub use not_found::NotFound;
pub use orders::OrdersPage;
pub use sign_in::SignInPage;
