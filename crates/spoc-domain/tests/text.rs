//! Text limits at their boundaries, in characters (not bytes), for every validated text type.

use proptest::prelude::*;
use spoc_domain::text::{Body, Email, Label, Name, Reason, SupplierReference, Title};

macro_rules! limits {
    ($test:ident, $ty:ty, $max:expr, $field:literal, $multiline:expr) => {
        #[test]
        fn $test() {
            assert_eq!(<$ty>::MAX_CHARS, $max);
            // Exactly at the limit passes, in ASCII and in multi-byte characters.
            assert!(<$ty>::parse(&"a".repeat($max)).is_ok());
            assert!(<$ty>::parse(&"é".repeat($max)).is_ok());
            assert!(<$ty>::parse(&"🖨".repeat($max)).is_ok());
            // One more is refused with the field's name and a sentence.
            let err = <$ty>::parse(&"é".repeat($max + 1)).unwrap_err();
            assert_eq!(err.field, $field);
            assert_eq!(err.message, format!("must be at most {} characters", $max));
            // Surrounding whitespace does not count and is trimmed.
            let padded = format!("  {}\n", "a".repeat($max));
            assert_eq!(<$ty>::parse(&padded).unwrap().as_str().len(), $max);
            // Empty and blank are refused.
            for blank in ["", "   ", "\n\t"] {
                assert_eq!(
                    <$ty>::parse(blank).unwrap_err().message,
                    "must not be empty"
                );
            }
            // Control characters: never NUL or ESC; newlines only in multi-line text.
            assert!(<$ty>::parse("a\u{0}b").is_err());
            assert!(<$ty>::parse("a\u{1b}[31mb").is_err());
            assert_eq!(<$ty>::parse("a\nb").is_ok(), $multiline);
            // Another field name can be used for the same rule.
            assert_eq!(<$ty>::parse_as("other", "").unwrap_err().field, "other");
        }
    };
}

limits!(title_limits, Title, 200, "title", false);
limits!(name_limits, Name, 200, "name", false);
limits!(reason_limits, Reason, 2_000, "reason", true);
limits!(label_limits, Label, 100, "label", false);
limits!(
    supplier_reference_limits,
    SupplierReference,
    100,
    "supplier_reference",
    false
);
limits!(body_limits, Body, 100_000, "body", true);

#[test]
fn email_limits() {
    let local = "a".repeat(64);
    assert!(Email::parse(&format!("{local}@example.org")).is_ok());
    assert!(Email::parse(&format!("a{local}@example.org")).is_err());
    let long_domain = format!("{}.org", "d".repeat(250));
    assert!(
        Email::parse(&format!("a@{long_domain}")).is_err(),
        "over 254"
    );
    assert_eq!(
        Email::parse("nope").unwrap_err().message,
        "must be an e-mail address like name@example.org"
    );
}

proptest! {
    /// Parsing never panics, and what it accepts is trimmed, within limits and free of control
    /// characters; parsing its own output gives the same value.
    #[test]
    fn titles_are_clean_and_stable(input in "\\PC{0,260}|[\\x00-\\x7f]{0,20}") {
        if let Ok(title) = Title::parse(&input) {
            let s = title.as_str();
            prop_assert!(s.chars().count() <= Title::MAX_CHARS);
            prop_assert!(!s.is_empty() && s.trim() == s);
            prop_assert!(!s.chars().any(char::is_control));
            prop_assert_eq!(Title::parse(s), Ok(title.clone()));
        }
    }

    #[test]
    fn emails_are_normalised_and_stable(input in "[A-Za-z0-9.@ _-]{0,40}") {
        if let Ok(email) = Email::parse(&input) {
            let s = email.as_str();
            prop_assert_eq!(s, s.to_lowercase());
            prop_assert_eq!(s.matches('@').count(), 1);
            prop_assert_eq!(Email::parse(s), Ok(email.clone()));
        }
    }
}
