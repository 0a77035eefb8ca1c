//! Enums the shop stores in its database and sends to the browser by a
//! short code (`awaiting_payment`, `card_declined`): each code is written
//! once, in the enum's declaration, and `code()`, `from_code()` and `ALL`
//! are derived from that list.

/// Declares an enum whose variants each carry a code:
///
/// ```
/// shop::coded_enum! {
///     #[derive(Clone, Copy, Debug, PartialEq, Eq)]
///     pub enum Light {
///         Red = "red",
///         Green = "green",
///     }
/// }
/// assert_eq!(Light::Green.code(), "green");
/// assert_eq!(Light::from_code("red"), Some(Light::Red));
/// assert_eq!(Light::from_code("Red"), None);
/// assert_eq!(Light::ALL, &[Light::Red, Light::Green]);
/// ```
///
/// `from_code` is exact: what is read back must be what `code` wrote. An
/// enum with serde derives keeps `rename_all = "snake_case"` (or
/// `"lowercase"`), which gives the same names; each such enum has a test
/// that says so.
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $code:literal,)+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// Its code, as stored and sent.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }

            /// The variant whose code this is, exactly.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}
