//! The domain's words that both the pages and the e-mails say, in every language: one table of
//! the catalogue (see `spoc-i18n`), so a resolution or a service-level target is called the
//! same on the ticket page and in the mail about it.

use spoc_domain::sla::SlaTarget;
use spoc_domain::ticket::ResolutionCode;
use spoc_i18n::{Language, Message, catalogue};

catalogue! {
    /// A word of the domain shared by pages and e-mails.
    DomainWord {
        Solved => "Solved", "Gelöst";
        Workaround => "Workaround provided", "Umgehungslösung bereitgestellt";
        NotReproducible => "Could not reproduce", "Nicht reproduzierbar";
        Duplicate => "Duplicate of another ticket", "Duplikat eines anderen Tickets";
        Advice => "Advice given", "Beratung gegeben";
        Rejected => "Rejected", "Abgelehnt";
        FirstResponse => "first response", "Erste Reaktion";
        Resolution => "resolution", "Lösung";
        NextResponse => "next response", "Nächste Reaktion";
    }
}

/// How a ticket was resolved, in `language`.
pub fn resolution(code: ResolutionCode, language: Language) -> &'static str {
    match code {
        ResolutionCode::Solved => DomainWord::Solved,
        ResolutionCode::Workaround => DomainWord::Workaround,
        ResolutionCode::NotReproducible => DomainWord::NotReproducible,
        ResolutionCode::Duplicate => DomainWord::Duplicate,
        ResolutionCode::Advice => DomainWord::Advice,
        ResolutionCode::Rejected => DomainWord::Rejected,
    }
    .text(language)
}

/// A service-level target's name in `language` (`first response`, `resolution`…: lower case
/// in English, as sentences take it).
pub fn sla_target(target: SlaTarget, language: Language) -> &'static str {
    match target {
        SlaTarget::FirstResponse => DomainWord::FirstResponse,
        SlaTarget::Resolution => DomainWord::Resolution,
        SlaTarget::NextResponse => DomainWord::NextResponse,
    }
    .text(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_domains_own_wording() {
        for &code in ResolutionCode::ALL {
            assert_eq!(resolution(code, Language::En), code.label());
        }
        for target in [
            SlaTarget::FirstResponse,
            SlaTarget::Resolution,
            SlaTarget::NextResponse,
        ] {
            assert_eq!(
                sla_target(target, Language::En),
                crate::sla::target_label(target)
            );
        }
        assert_eq!(sla_target(SlaTarget::Resolution, Language::De), "Lösung");
    }
}
