//! One module per page. Each page is a server component that loads its own
//! data inside [`crate::page::Page`]; the parts that run in the browser are
//! the islands of `crate::islands`.

mod account;
mod cart;
mod catalog;
mod checkout;
mod complete;
mod messages;
mod not_found;
mod order;
mod orders;
mod sign_in;
mod sign_in_code;

pub use account::{AccountPage, MailboxPage};
pub use cart::CartPage;
pub use catalog::CatalogPage;
pub use checkout::CheckoutPage;
pub use complete::CompletePage;
pub use messages::MessagesPage;
pub use not_found::NotFound;
pub use order::{LocalTime, OrderPage};
pub use orders::OrdersPage;
pub use sign_in::SignInPage;
pub use sign_in_code::{SignInCodePage, SignInLinkPage, WelcomePage};
