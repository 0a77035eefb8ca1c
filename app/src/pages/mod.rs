//! One module per page.

mod cart;
mod catalog;
mod checkout;
mod not_found;
mod sign_in;

pub use cart::CartPage;
pub use catalog::CatalogPage;
pub use checkout::CheckoutPage;
pub use not_found::NotFound;
pub use sign_in::SignInPage;
