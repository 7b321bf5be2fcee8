//! Property tests: the parser never panics, whatever the bytes — random ones, corpus messages
//! with random damage, and random MIME-shaped text — and what it returns keeps its promises.
//! The sanitiser's output is stable when sanitised again.

// Test helpers fail loudly on a broken corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use spoc_mail::{Limits, parse, sanitize_html};

/// The corpus messages, read once.
fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut paths: Vec<_> = fs::read_dir(dir)
            .expect("the corpus directory exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| fs::read(p).expect("a readable message"))
            .collect()
    })
}

/// Small limits, so that the limit paths run too.
fn small_limits() -> Limits {
    Limits {
        max_message_bytes: 64 * 1024,
        max_attachment_bytes: 100,
        max_attachments: 2,
        max_total_attachment_bytes: 150,
        max_html_bytes: 300,
        max_text_bytes: 200,
    }
}

/// Parses with both default and small limits and checks the result's promises.
fn check(raw: &[u8]) {
    for limits in [Limits::default(), small_limits()] {
        let Ok(inbound) = parse(raw, &limits) else {
            continue;
        };
        assert!(!inbound.text.is_empty());
        assert!(inbound.attachments.len() <= limits.max_attachments);
        let total: usize = inbound.attachments.iter().map(|a| a.bytes.len()).sum();
        assert!(total <= limits.max_total_attachment_bytes);
        for attachment in &inbound.attachments {
            assert!(attachment.bytes.len() <= limits.max_attachment_bytes);
            assert!(!attachment.filename.is_empty());
            assert!(!attachment.filename.starts_with('.'));
            assert!(!attachment.filename.contains(['/', '\\']));
            assert!(!attachment.content_type.contains(['<', '>', '"', ' ']));
        }
        assert!(!inbound.subject.contains(['\r', '\n']));
        if let Some(html) = &inbound.html {
            assert!(!html.to_ascii_lowercase().contains("<script"));
        }
    }
}

/// Pieces of MIME and HTML that random messages are assembled from.
const PIECES: &[&str] = &[
    "From: a@b.c\r\n",
    "From: =?utf-8?B?w6k=?= <x@y.z>\r\n",
    "To: undisclosed-recipients:;\r\n",
    "Subject: =?iso-8859-1?Q?caf=E9?=\r\n",
    "Subject: =?utf-8?B?invalid\r\n",
    "Return-Path: <>\r\n",
    "Message-ID: <a@b>\r\n",
    "In-Reply-To: <\r\n",
    "Content-Type: multipart/mixed; boundary=\"b\"\r\n",
    "Content-Type: multipart/alternative; boundary=b\r\n",
    "Content-Type: multipart/related; boundary=\"b\"; start=\"<c>\"\r\n",
    "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n",
    "Content-Type: message/rfc822\r\n",
    "Content-Type: text/html; charset=shift_jis\r\n",
    "Content-Type: text/plain; charset=x-unknown\r\n",
    "Content-Type: image/png; name=\"../x.png\"\r\n",
    "Content-Type: application/ms-tnef\r\n",
    "Content-Disposition: attachment; filename*=utf-8''%E2%80%AEx\r\n",
    "Content-ID: <c>\r\n",
    "Content-Transfer-Encoding: base64\r\n",
    "Content-Transfer-Encoding: quoted-printable\r\n",
    "\r\n",
    "--b\r\n",
    "--b--\r\n",
    "SGVsbG8gd29ybGQ=\r\n",
    "=E9=\r\n",
    "<p>hi<img src=\"cid:c\"><img src=\"https://t.example/x.gif\">",
    "<div><div><div><b><i>",
    "<script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "\u{202e}\u{200b}",
    "plain text line\r\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&raw);
    }

    #[test]
    fn random_header_like_bytes_never_panic(
        raw in proptest::collection::vec(
            prop_oneof![Just(b':'), Just(b'\r'), Just(b'\n'), Just(b' '), Just(b'='), Just(b'-'), b'A'..=b'z', any::<u8>()],
            0..2048,
        )
    ) {
        check(&raw);
    }

    #[test]
    fn assembled_mime_never_panics(
        pieces in proptest::collection::vec(0..PIECES.len(), 0..60)
    ) {
        let raw: String = pieces.iter().map(|&i| PIECES[i]).collect();
        check(raw.as_bytes());
    }

    #[test]
    fn damaged_corpus_messages_never_panic(
        index in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..20),
        cut in any::<prop::sample::Index>(),
        do_cut in any::<bool>(),
        splice in any::<Option<(prop::sample::Index, prop::sample::Index)>>(),
    ) {
        let corpus = corpus();
        let mut raw = corpus[index.index(corpus.len())].clone();
        for (at, byte) in flips {
            let at = at.index(raw.len().max(1));
            if at < raw.len() {
                raw[at] = byte;
            }
        }
        if let Some((from, to)) = splice {
            // Duplicate a stretch, as a broken relay might.
            let a = from.index(raw.len().max(1));
            let b = to.index(raw.len().max(1));
            let (a, b) = (a.min(b), a.max(b));
            let stretch = raw[a..b].to_vec();
            raw.splice(b..b, stretch);
        }
        if do_cut {
            raw.truncate(cut.index(raw.len().max(1)));
        }
        check(&raw);
    }

    #[test]
    fn sanitised_html_is_stable(
        pieces in proptest::collection::vec(0..PIECES.len(), 0..40)
    ) {
        let html: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let once = sanitize_html(&html);
        prop_assert_eq!(sanitize_html(&once), once);
    }
}
