//! A QR code as inline SVG for the pages: drawn with attributes only (the pages' Content
//! Security Policy allows no inline style), hidden from assistive technology inside an element
//! that names it.

use maud::{Markup, PreEscaped, html};
use qrcode::QrCode;
use qrcode::render::svg;

/// The code's side in CSS pixels (at least; a larger code keeps whole modules).
const SIDE: u32 = 200;

/// The SVG of `text` as a QR code (medium error correction, with its quiet zone), or `None`
/// when the text is too long for one.
pub(crate) fn svg_of(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(SIDE, SIDE)
        .build();
    // An element of the page, not a document: no XML declaration; its name is its wrapper's.
    let start = image.find("<svg")?;
    let hidden = "<svg aria-hidden=\"true\" focusable=\"false\" "; // i18n: not text
    Some(image[start..].replacen("<svg ", hidden, 1))
}

/// `text` as a QR code named `label` (`role="img"`), or nothing when it cannot be one.
pub(crate) fn qr_code(text: &str, label: &str) -> Markup {
    html! {
        @if let Some(svg) = svg_of(text) {
            div class="qr-code" role="img" aria-label=(label) { (PreEscaped(svg)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_uses_attributes_only_and_is_named_by_its_wrapper() {
        let uri = "otpauth://totp/Spoc:ann%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Spoc";
        let svg = svg_of(uri).unwrap();
        assert!(svg.starts_with("<svg aria-hidden=\"true\""), "{svg}");
        assert!(svg.ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("style"), "no inline style: {svg}");
        assert!(!svg.contains("<?xml"), "{svg}");
        assert!(svg.contains("<path fill=\"#000\" d=\"M"), "{svg}");
        let markup = qr_code(uri, "the key").into_string();
        assert!(markup.starts_with("<div class=\"qr-code\" role=\"img\" aria-label=\"the key\">"));
        assert!(
            svg_of(&"x".repeat(10_000)).is_none(),
            "too long for a QR code"
        );
        assert!(
            qr_code(&"x".repeat(10_000), "the key")
                .into_string()
                .is_empty()
        );
    }
}
