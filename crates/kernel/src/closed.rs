//! Closed sets of values stored as text: statuses, kinds, outcomes, phases.
//!
//! [`closed_enum!`](crate::closed_enum) declares such a set once: the Rust enum, the text each
//! value is stored and spoken as (API, both databases), the list of all values (for CHECK
//! constraints and the OpenAPI document) and the parse that refuses any other text.

use std::fmt;

/// A closed enum: each value has exactly one text, and every text names at most one value.
pub trait ClosedEnum: Sized + Copy + 'static {
    /// The enum's name, for error messages.
    const NAME: &'static str;
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The stored and spoken text of the value.
    fn as_str(self) -> &'static str;
    /// The value whose text this is, if any.
    fn parse(text: &str) -> Option<Self>;
}

/// Text that names no value of a closed enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub enum_name: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a {}", self.value, self.enum_name)
    }
}

impl std::error::Error for UnknownValue {}

/// Parses the text of a closed enum, naming the enum and the text when it is unknown.
pub fn parse_closed<T: ClosedEnum>(text: &str) -> Result<T, UnknownValue> {
    T::parse(text).ok_or_else(|| UnknownValue { enum_name: T::NAME, value: text.to_owned() })
}

/// Declares a closed enum stored as text:
///
/// ```
/// ggzy_kernel::closed_enum! {
///     /// A traffic light.
///     pub enum Light {
///         /// Stop.
///         Red = "red",
///         Green = "green",
///     }
/// }
/// assert_eq!(Light::Red.as_str(), "red");
/// assert_eq!(<Light as ggzy_kernel::ClosedEnum>::parse("green"), Some(Light::Green));
/// assert_eq!(Light::ALL.len(), 2);
/// ```
///
/// The enum derives serde (as its text) and utoipa's `ToSchema` (a string enum of the texts),
/// so the crate using the macro depends on `serde` and `utoipa`.
#[macro_export]
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and spoken text of the value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value whose text this is, if any.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::ClosedEnum for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownValue;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::parse_closed(text)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::closed_enum! {
        /// Test set.
        pub enum Sample {
            First = "first",
            /// With a doc.
            SecondOne = "second_one",
        }
    }

    #[test]
    fn text_round_trips_and_unknown_text_is_named() {
        for value in Sample::ALL {
            assert_eq!(Sample::parse(value.as_str()), Some(*value));
            assert_eq!(<Sample as ClosedEnum>::parse(value.as_str()), Some(*value));
            assert_eq!(value.as_str().parse::<Sample>(), Ok(*value));
        }
        assert_eq!(
            "Second_One".parse::<Sample>(),
            Err(UnknownValue { enum_name: "Sample", value: "Second_One".into() })
        );
        assert_eq!(
            parse_closed::<Sample>("third").map_err(|e| e.to_string()),
            Err("`third` is not a Sample".to_owned())
        );
    }

    #[test]
    fn serde_speaks_the_stored_text() {
        assert_eq!(serde_json::to_string(&Sample::SecondOne).ok().as_deref(), Some("\"second_one\""));
        assert_eq!(serde_json::from_str::<Sample>("\"first\"").ok(), Some(Sample::First));
        assert!(serde_json::from_str::<Sample>("\"First\"").is_err());
    }
}
