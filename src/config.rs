//! One mechanism for the by-value setters and the getters of config types
//! (private fields, `Default` + setters, validated once where they are used).

/// Writes, for each `field: Type => "description"` of a config type, a
/// `#[must_use]` by-value setter `field(self, value) -> Self` and a getter
/// `get_field(&self)`, returning a copy (`copy`) or a reference (`ref`).
///
/// ```text
/// accessors!(Prices {
///     unit_price get_unit_price: Decimal [copy] => "the price of one purchase";
/// });
/// ```
macro_rules! accessors {
    ($ty:ty { $( $field:ident $getter:ident : $t:ty [$kind:ident] => $doc:literal ;)* }) => {
        impl $ty {
            $(
                #[doc = concat!("Sets ", $doc, ".")]
                #[must_use]
                pub fn $field(mut self, value: $t) -> Self {
                    self.$field = value;
                    self
                }

                accessors!(@get $kind $field $getter [$t] $doc);
            )*
        }
    };
    (@get copy $field:ident $getter:ident [$t:ty] $doc:literal) => {
        #[doc = concat!("Returns ", $doc, ".")]
        pub fn $getter(&self) -> $t {
            self.$field
        }
    };
    (@get ref $field:ident $getter:ident [$t:ty] $doc:literal) => {
        #[doc = concat!("Returns ", $doc, ".")]
        pub fn $getter(&self) -> &$t {
            &self.$field
        }
    };
}
