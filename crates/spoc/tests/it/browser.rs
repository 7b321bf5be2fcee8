//! A small W3C WebDriver client for end-to-end tests: drives Debian's headless Chromium through
//! `chromedriver`, speaking the WebDriver JSON protocol over HTTP.
//!
//! Start a [`Browser`], go to a page, find [`Element`]s by CSS selector, click and type. Every
//! protocol failure panics with what was being done and the driver's own message, so a failing
//! test explains itself. The browser and its driver are shut down when the [`Browser`] drops.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// The Tab key, for [`Browser::keys`] and [`Element::send_keys`].
pub const TAB: &str = "\u{E004}";
/// The Enter key.
pub const ENTER: &str = "\u{E007}";
/// The space bar.
pub const SPACE: &str = "\u{E00D}";
/// The Escape key.
pub const ESCAPE: &str = "\u{E00C}";
/// The (left) Shift key; see [`Browser::shift_tab`].
const SHIFT: &str = "\u{E008}";

/// The key under which W3C WebDriver wraps an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long [`Browser::find`] and [`Element::find`] wait for an element to appear.
const FIND_TIMEOUT: Duration = Duration::from_secs(5);
/// How often waits look again.
const POLL: Duration = Duration::from_millis(50);

/// An error the driver answered with: its error code (`"no such element"`, …) and message.
#[derive(Debug)]
struct WireError {
    error: String,
    message: String,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

/// One WebDriver session's endpoint, shared by the browser and its elements.
#[derive(Clone)]
struct Wire {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
}

impl Wire {
    /// Sends one command; the answer's `value`, or the driver's error.
    async fn send(
        http: &reqwest::Client,
        method: Method,
        url: &str,
        body: Option<Value>,
    ) -> Result<Value, WireError> {
        let mut request = http.request(method.clone(), url);
        if method == Method::POST {
            request = request.json(&body.unwrap_or_else(|| json!({})));
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("chromedriver unreachable at {method} {url}: {e}"));
        let ok = response.status().is_success();
        let mut answer: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("chromedriver sent no JSON for {method} {url}: {e}"));
        let value = answer["value"].take();
        if ok {
            return Ok(value);
        }
        let text = |key: &str| value[key].as_str().unwrap_or("?").to_owned();
        Err(WireError {
            error: text("error"),
            message: text("message"),
        })
    }

    /// Sends a command to a path under the session.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, WireError> {
        Self::send(&self.http, method, &format!("{}{path}", self.session), body).await
    }

    /// Sends a command, panicking with `doing` and the driver's message when it fails.
    async fn cmd(&self, method: Method, path: &str, body: Option<Value>, doing: &str) -> Value {
        self.call(method, path, body).await.unwrap_or_else(|e| {
            if e.error == "stale element reference" {
                panic!(
                    "stale element while {doing}: the page replaced it since it was found; \
                     find it again ({})",
                    e.message
                );
            }
            panic!("WebDriver failed while {doing}: {e}")
        })
    }

    /// Reads something, panicking with `doing` when that fails.
    async fn get(&self, path: &str, doing: &str) -> Value {
        self.cmd(Method::GET, path, None, doing).await
    }

    /// Sends `body`, panicking with `doing` when that fails; the answer.
    async fn post(&self, path: &str, body: Value, doing: &str) -> Value {
        self.cmd(Method::POST, path, Some(body), doing).await
    }

    /// Reads a string, panicking with `doing` when that fails.
    async fn string(&self, path: &str, doing: &str) -> String {
        let value = self.get(path, doing).await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Looks up elements matching `css` under `scope` (`""` for the page, `/element/ID` for
    /// an element); `all` for every match, else at most the first.
    async fn find(&self, scope: &str, css: &str, all: bool) -> Result<Vec<Element>, WireError> {
        let path = format!("{scope}/element{}", if all { "s" } else { "" });
        let body = json!({ "using": "css selector", "value": css });
        match self.call(Method::POST, &path, Some(body)).await {
            Ok(Value::Array(found)) => Ok(found.iter().map(|v| self.element(v, css)).collect()),
            Ok(found) => Ok(vec![self.element(&found, css)]),
            Err(e) if e.error == "no such element" => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The element a WebDriver reference stands for.
    fn element(&self, reference: &Value, css: &str) -> Element {
        let id = reference[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("not an element reference for `{css}`: {reference}"));
        Element {
            wire: self.clone(),
            path: format!("/element/{id}"),
            id: id.to_owned(),
            css: css.to_owned(),
        }
    }

    /// Waits up to `timeout` for the first element matching `css` under `scope`.
    async fn wait_for(&self, scope: &str, css: &str, timeout: Duration) -> Element {
        let found = poll(timeout, async || match self.find(scope, css, false).await {
            Ok(mut found) => found.pop(),
            Err(e) => panic!("WebDriver failed looking for `{css}`: {e}"),
        });
        found
            .await
            .unwrap_or_else(|| panic!("no element matches `{css}` after {timeout:?}"))
    }
}

/// Calls `probe` until it gives a value or `timeout` passes.
async fn poll<T>(timeout: Duration, mut probe: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = probe().await {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// A headless Chromium driven through its own `chromedriver`; both end when this drops.
pub struct Browser {
    wire: Wire,
    /// `127.0.0.1:PORT`, for the blocking goodbye in [`Drop`].
    driver_addr: String,
    /// `/session/ID`.
    session_path: String,
    /// Killed when dropped.
    _driver: Child,
}

/// The binary at `$var`, or `default`; panics if it is not there.
fn binary(var: &str, default: &str) -> String {
    let path = std::env::var(var).unwrap_or_else(|_| default.to_owned());
    assert!(
        Path::new(&path).is_file(),
        "{path} is missing: browser tests need the Debian packages `chromium chromium-driver` \
         (apt-get install chromium chromium-driver), or {var} set to the binary"
    );
    path
}

impl Browser {
    /// Starts `chromedriver` on a free port and opens a headless Chromium session (1280×900,
    /// en-US). `SPOC_CHROMIUM` and `SPOC_CHROMEDRIVER` override the binaries' paths.
    pub async fn start() -> Self {
        let chromium = binary("SPOC_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = binary("SPOC_CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for chromedriver")
            .port();
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
        let driver_addr = format!("127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        let ready = poll(Duration::from_secs(20), async || {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("{chromedriver} exited at start with {status}");
            }
            let status = http
                .get(format!("http://{driver_addr}/status"))
                .send()
                .await;
            let ready = match status {
                Ok(answer) => answer.json::<Value>().await.ok(),
                Err(_) => None,
            };
            ready.filter(|v| v["value"]["ready"] == true)
        });
        assert!(
            ready.await.is_some(),
            "{chromedriver} on port {port} not ready within 20 s"
        );
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "timeouts": { "pageLoad": 30_000, "script": 30_000 },
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US"],
            },
        }}});
        let url = format!("http://{driver_addr}/session");
        let session = Wire::send(&http, Method::POST, &url, Some(capabilities))
            .await
            .unwrap_or_else(|e| panic!("{chromedriver} could not start {chromium}: {e:?}"));
        let id = session["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {session}"));
        let session_path = format!("/session/{id}");
        Self {
            wire: Wire {
                http,
                session: format!("http://{driver_addr}{session_path}"),
            },
            driver_addr,
            session_path,
            _driver: driver,
        }
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        let doing = format!("opening {url}");
        self.wire.post("/url", json!({ "url": url }), &doing).await;
    }

    /// The current page's URL.
    pub async fn current_url(&self) -> String {
        self.wire.string("/url", "reading the URL").await
    }

    /// The current page's title.
    pub async fn title(&self) -> String {
        self.wire.string("/title", "reading the title").await
    }

    /// The current DOM, serialised as HTML.
    pub async fn page_source(&self) -> String {
        self.wire.string("/source", "reading the source").await
    }

    /// Goes back one page in history.
    pub async fn back(&self) {
        self.wire.post("/back", json!({}), "going back").await;
    }

    /// Reloads the page.
    pub async fn refresh(&self) {
        self.wire.post("/refresh", json!({}), "reloading").await;
    }

    /// The first element matching `css`, waiting up to 5 s for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        self.wire.wait_for("", css, FIND_TIMEOUT).await
    }

    /// The first element matching `css` right now, if any.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let found = self.wire.find("", css, false).await;
        found
            .unwrap_or_else(|e| panic!("WebDriver failed finding `{css}`: {e}"))
            .pop()
    }

    /// Every element matching `css` right now, in document order.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.wire.find("", css, true).await;
        found.unwrap_or_else(|e| panic!("WebDriver failed finding `{css}`: {e}"))
    }

    /// The first element matching `css`, waiting up to `timeout` for it to appear.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        self.wire.wait_for("", css, timeout).await
    }

    /// Waits up to `timeout` until nothing in the DOM matches `css`.
    pub async fn wait_until_gone(&self, css: &str, timeout: Duration) {
        let gone = poll(timeout, async || {
            self.try_find(css).await.is_none().then_some(())
        });
        assert!(
            gone.await.is_some(),
            "`{css}` still there after {timeout:?}"
        );
    }

    /// Waits up to `timeout` until an element matching `css` has text containing `needle`,
    /// tolerating the element being re-rendered meanwhile (live updates).
    pub async fn wait_for_text(&self, css: &str, needle: &str, timeout: Duration) -> Element {
        let mut last = None;
        let found = poll(timeout, async || {
            let element = self.try_find(css).await?;
            let path = format!("{}/text", element.path);
            let text = element.wire.call(Method::GET, &path, None).await.ok()?;
            let text = text.as_str()?.to_owned();
            let hit = text.contains(needle);
            last = Some(text);
            hit.then_some(element)
        })
        .await;
        found.unwrap_or_else(|| {
            panic!("`{css}` has no text containing {needle:?} after {timeout:?}; last: {last:?}")
        })
    }

    /// Waits up to `timeout` until the current URL satisfies `wanted`; the URL.
    pub async fn wait_for_url(&self, wanted: impl Fn(&str) -> bool, timeout: Duration) -> String {
        let mut last = String::new();
        let found = poll(timeout, async || {
            last = self.current_url().await;
            wanted(&last).then(|| last.clone())
        })
        .await;
        found.unwrap_or_else(|| panic!("URL still {last} after {timeout:?}"))
    }

    /// The element that has the keyboard focus.
    pub async fn active_element(&self) -> Element {
        let found = self.wire.get("/element/active", "finding the focus").await;
        self.wire.element(&found, ":focus")
    }

    /// Presses `keys` (text and key constants such as [`TAB`]) one by one on the keyboard, so
    /// they go where the focus is.
    pub async fn keys(&self, keys: &str) {
        let actions = keys.chars().flat_map(|key| {
            let key = key.to_string();
            [
                json!({ "type": "keyDown", "value": key }),
                json!({ "type": "keyUp", "value": key }),
            ]
        });
        self.key_actions(actions.collect(), &format!("pressing {keys:?}"))
            .await;
    }

    /// Presses Shift+Tab, moving the focus backwards.
    pub async fn shift_tab(&self) {
        let actions = vec![
            json!({ "type": "keyDown", "value": SHIFT }),
            json!({ "type": "keyDown", "value": TAB }),
            json!({ "type": "keyUp", "value": TAB }),
            json!({ "type": "keyUp", "value": SHIFT }),
        ];
        self.key_actions(actions, "pressing Shift+Tab").await;
    }

    /// Performs keyboard actions, then releases every key.
    async fn key_actions(&self, actions: Vec<Value>, doing: &str) {
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.wire.post("/actions", body, doing).await;
        self.wire
            .cmd(Method::DELETE, "/actions", None, "releasing keys")
            .await;
    }

    /// Runs `script` as a function body with `arguments` = `args` (pass elements with
    /// [`Element::arg`]); what it returns.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        let body = json!({ "script": script, "args": args });
        let doing = format!("running script {script:?}");
        self.wire.post("/execute/sync", body, &doing).await
    }

    /// Runs `script` with `args` plus a callback as the last argument; what it passes that.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        let body = json!({ "script": script, "args": args });
        let doing = format!("running async script {script:?}");
        self.wire.post("/execute/async", body, &doing).await
    }

    /// Saves a PNG of the viewport to `path`.
    pub async fn screenshot(&self, path: impl AsRef<Path>) {
        let png = self.wire.get("/screenshot", "taking a screenshot").await;
        let png = base64_decode(png.as_str().unwrap_or_default());
        let path = path.as_ref();
        std::fs::write(path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }

    /// Saves a PNG of the whole page, laid out `width` wide, to `path`: the window grows to the
    /// page's height for the shot and then returns to its size.
    pub async fn screenshot_full(&self, path: impl AsRef<Path>, width: u32) {
        let rect = self.wire.get("/window/rect", "reading the window").await;
        let size = |key: &str| rect[key].as_u64().and_then(|n| u32::try_from(n).ok());
        let (Some(old_width), Some(old_height)) = (size("width"), size("height")) else {
            panic!("no window size in {rect}");
        };
        self.set_window_size(width, old_height).await;
        let script = "return Math.max(document.documentElement.scrollHeight, \
                      document.body ? document.body.scrollHeight : 0) \
                      + window.outerHeight - window.innerHeight";
        let height = self.execute(script, vec![]).await;
        let height = height
            .as_u64()
            .and_then(|h| u32::try_from(h).ok())
            .unwrap_or(old_height);
        self.set_window_size(width, height).await;
        self.screenshot(path).await;
        self.set_window_size(old_width, old_height).await;
    }

    /// Resizes the window to `width` × `height` CSS pixels.
    pub async fn set_window_size(&self, width: u32, height: u32) {
        let body = json!({ "width": width, "height": height });
        let doing = format!("resizing the window to {width}×{height}");
        self.wire.post("/window/rect", body, &doing).await;
    }

    /// The current page's cookies, as WebDriver describes them (`name`, `value`, `httpOnly`…).
    pub async fn cookies(&self) -> Vec<Value> {
        let cookies = self.wire.get("/cookie", "reading cookies").await;
        cookies.as_array().cloned().unwrap_or_default()
    }

    /// Deletes the current page's cookies.
    pub async fn delete_cookies(&self) {
        self.wire
            .cmd(Method::DELETE, "/cookie", None, "deleting cookies")
            .await;
    }
}

impl Drop for Browser {
    /// Ends the session, which makes chromedriver quit Chromium; dropping the driver's [`Child`]
    /// then kills chromedriver. A plain blocking request, as there is no runtime to await on.
    fn drop(&mut self) {
        let goodbye = || -> std::io::Result<()> {
            let mut stream = std::net::TcpStream::connect(&self.driver_addr)?;
            stream.set_read_timeout(Some(Duration::from_secs(20)))?;
            write!(
                stream,
                "DELETE {} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session_path, self.driver_addr
            )?;
            // The driver answers once Chromium is gone.
            let _ = stream.read(&mut [0; 512])?;
            Ok(())
        };
        if let Err(e) = goodbye() {
            eprintln!(
                "could not end the WebDriver session {}: {e}",
                self.session_path
            );
        }
    }
}

/// An element of the page, found by a CSS selector.
#[derive(Clone)]
pub struct Element {
    wire: Wire,
    /// The driver's id for it.
    id: String,
    /// `/element/ID`.
    path: String,
    /// The selector it was found by, for messages.
    css: String,
}

impl Element {
    /// Sends a command about this element, panicking with the selector and `doing`.
    async fn cmd(&self, method: Method, what: &str, body: Option<Value>, doing: &str) -> Value {
        let path = format!("{}{what}", self.path);
        let doing = format!("{doing} `{}`", self.css);
        self.wire.cmd(method, &path, body, &doing).await
    }

    /// Reads something about this element.
    async fn get(&self, what: &str, doing: &str) -> Value {
        self.cmd(Method::GET, what, None, doing).await
    }

    /// Clicks it (scrolling it into view first).
    pub async fn click(&self) {
        self.cmd(Method::POST, "/click", None, "clicking").await;
    }

    /// Focuses it and types `keys` (text and key constants such as [`ENTER`]).
    pub async fn send_keys(&self, keys: &str) {
        let (body, doing) = (json!({ "text": keys }), format!("typing {keys:?} into"));
        self.cmd(Method::POST, "/value", Some(body), &doing).await;
    }

    /// Empties an input or text area.
    pub async fn clear(&self) {
        self.cmd(Method::POST, "/clear", None, "clearing").await;
    }

    /// Its rendered text (what a user sees, without hidden parts).
    pub async fn text(&self) -> String {
        let text = self.get("/text", "reading the text of").await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// The attribute `name`; `None` when it is absent (boolean attributes read `"true"`).
    pub async fn attr(&self, name: &str) -> Option<String> {
        let (what, doing) = (format!("/attribute/{name}"), format!("reading @{name} of"));
        self.get(&what, &doing).await.as_str().map(str::to_owned)
    }

    /// A DOM property (`value`, `checked`, …) as JSON.
    pub async fn prop(&self, name: &str) -> Value {
        self.get(&format!("/property/{name}"), &format!("reading .{name} of"))
            .await
    }

    /// Whether it is shown.
    pub async fn is_displayed(&self) -> bool {
        self.get("/displayed", "checking the visibility of").await == true
    }

    /// Whether it is enabled (not `disabled`).
    pub async fn is_enabled(&self) -> bool {
        self.get("/enabled", "checking whether enabled").await == true
    }

    /// The first element inside matching `css`, waiting up to 5 s for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        self.wire.wait_for(&self.path, css, FIND_TIMEOUT).await
    }

    /// Every element inside matching `css` right now.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.wire.find(&self.path, css, true).await;
        found.unwrap_or_else(|e| panic!("WebDriver failed finding `{css}` in `{}`: {e}", self.css))
    }

    /// Chooses the option with `value` in this `<select>`.
    pub async fn select_by_value(&self, value: &str) {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        self.find(&format!("option[value=\"{escaped}\"]"))
            .await
            .click()
            .await;
    }

    /// This element as an argument for [`Browser::execute`].
    pub fn arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// Decodes standard base64 (as screenshots come), ignoring padding and line breaks.
fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\r' | b'\n' => continue,
            _ => panic!("not base64: byte {byte:#04x}"),
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("TWE=\n"), b"Ma");
    assert_eq!(base64_decode("TQ=="), b"M");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}

/// The self-test's form page: a text input, a select, a live-updating line, a hidden element,
/// and a line showing the last key pressed.
const FORM_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><title>Self-test</title></head><body>
<h1 id="hello">Hello, browser</h1>
<form action="/done" method="get">
  <input id="name" name="name" value="x">
  <select id="colour" name="colour"><option value="red">Red</option><option value="blue">Blue</option></select>
  <button id="go" type="submit">Go</button>
</form>
<p id="live">waiting</p>
<p id="lastkey"></p>
<div id="doomed" style="display: none">bye</div>
<script>
  setTimeout(() => { document.getElementById("live").textContent = "updated live"; }, 3000);
  document.addEventListener("keydown", (e) => { document.getElementById("lastkey").textContent = e.key; });
</script>
</body></html>"#;

/// Serves the self-test's pages on a free port; their base URL.
async fn serve_test_pages() -> String {
    use axum::extract::RawQuery;
    use axum::http::{HeaderMap, header};
    use axum::response::Html;
    use axum::routing::get;

    let app = axum::Router::new()
        .route("/", get(async || Html(FORM_PAGE)))
        .route(
            "/done",
            get(async |RawQuery(query): RawQuery| {
                Html(format!(
                    "<title>Done</title><p id=\"got\">{}</p>",
                    query.unwrap_or_default()
                ))
            }),
        )
        .route(
            "/tall",
            get(async || Html(r#"<body style="margin: 0"><div style="height: 3000px">tall</div>"#)),
        )
        .route(
            "/set-cookie",
            get(async || {
                let cookie = "t=1; Path=/; HttpOnly; Secure; SameSite=Lax";
                (
                    [(header::SET_COOKIE, cookie)],
                    Html("<p id=\"set\">set</p>"),
                )
            }),
        )
        .route(
            "/echo-cookie",
            get(async |headers: HeaderMap| {
                let cookie = headers.get(header::COOKIE).and_then(|c| c.to_str().ok());
                Html(format!(
                    "<p id=\"cookie\">[{}]</p>",
                    cookie.unwrap_or_default()
                ))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// A PNG's width and height, after checking its signature.
fn png_size(path: &Path) -> (u32, u32) {
    let png = std::fs::read(path).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is no PNG",
        path.display()
    );
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_drives_a_page() {
    let base = serve_test_pages().await;
    let browser = Browser::start().await;
    let second = Duration::from_secs(1);
    browser.goto(&format!("{base}/")).await;
    assert_eq!(browser.title().await, "Self-test");
    assert!(browser.page_source().await.contains("Hello, browser"));
    assert_eq!(browser.find("#hello").await.text().await, "Hello, browser");
    assert!(browser.try_find("#nothing").await.is_none());

    // Typing, the keyboard and focus.
    let name = browser.find("#name").await;
    assert_eq!(name.attr("value").await.as_deref(), Some("x"));
    assert_eq!(name.attr("data-missing").await, None);
    assert!(name.is_displayed().await && name.is_enabled().await);
    name.clear().await;
    name.send_keys("Ada").await;
    assert_eq!(name.prop("value").await, "Ada");
    browser.keys(TAB).await;
    let focused = browser.active_element().await.attr("id").await;
    assert_eq!(focused.as_deref(), Some("colour"));
    browser.shift_tab().await;
    let focused = browser.active_element().await.attr("id").await;
    assert_eq!(focused.as_deref(), Some("name"));
    // Tabbing into a text input selects its text, so typing replaces it.
    browser.keys(&format!("Ada{SPACE}Lovelace")).await;
    assert_eq!(name.prop("value").await, "Ada Lovelace");
    browser.keys(ESCAPE).await;
    assert_eq!(browser.find("#lastkey").await.text().await, "Escape");

    // Within an element, and selects.
    let colour = browser.find("form").await.find("#colour").await;
    assert_eq!(colour.find_all("option").await.len(), 2);
    assert_eq!(browser.find_all("option").await.len(), 2);
    colour.select_by_value("blue").await;
    assert_eq!(colour.prop("value").await, "blue");

    // Waiting for live updates and removals; stale elements.
    browser
        .wait_for_text("#live", "updated", Duration::from_secs(15))
        .await;
    let doomed = browser.wait_for("#doomed", second).await;
    assert!(!doomed.is_displayed().await);
    browser
        .execute("arguments[0].remove()", vec![doomed.arg()])
        .await;
    browser.wait_until_gone("#doomed", second).await;
    eprintln!("(the stale-element panic below is expected)");
    let stale = tokio::spawn(async move { doomed.text().await }).await;
    let panic = stale.unwrap_err().into_panic();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("stale element while reading the text of `#doomed`"),
        "{message}"
    );

    // Scripts.
    assert_eq!(
        browser
            .execute("return arguments[0] + 1", vec![json!(41)])
            .await,
        42
    );
    let script = "arguments[arguments.length - 1](document.title)";
    assert_eq!(browser.execute_async(script, vec![]).await, "Self-test");

    // Enter submits the form; history.
    browser.find("#name").await.click().await;
    browser.keys(ENTER).await;
    let url = browser
        .wait_for_url(|url| url.contains("/done"), 5 * second)
        .await;
    assert!(
        url.ends_with("/done?name=Ada+Lovelace&colour=blue"),
        "{url}"
    );
    assert_eq!(browser.current_url().await, url);
    browser.back().await;
    browser
        .wait_for_url(|url| url == format!("{base}/"), 5 * second)
        .await;
    browser.refresh().await;
    assert_eq!(browser.find("#live").await.text().await, "waiting");

    // Screenshots: the viewport, then a whole tall page; the window returns to its size.
    let dir = std::env::temp_dir().join(crate::harness::unique("spoc-browser"));
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join("form.png");
    browser.screenshot(&shot).await;
    let (width, height) = png_size(&shot);
    browser.goto(&format!("{base}/tall")).await;
    let full = dir.join("tall.png");
    browser.screenshot_full(&full, 800).await;
    let (full_width, full_height) = png_size(&full);
    assert_eq!(full_width, 800);
    assert!(
        full_height >= 3000,
        "whole page in {full_width}×{full_height}"
    );
    let restored = browser.execute("return [window.innerWidth, window.innerHeight]", vec![]);
    assert_eq!(restored.await, json!([width, height]));
    std::fs::remove_dir_all(&dir).unwrap();

    // Cookies: Chromium keeps a Secure, HttpOnly cookie set over plain HTTP on 127.0.0.1 (a
    // "potentially trustworthy" origin) and sends it back.
    browser.goto(&format!("{base}/set-cookie")).await;
    let cookies = browser.cookies().await;
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert_eq!(cookies[0]["name"], "t");
    assert_eq!(cookies[0]["secure"], true);
    assert_eq!(cookies[0]["httpOnly"], true);
    browser.goto(&format!("{base}/echo-cookie")).await;
    assert_eq!(browser.find("#cookie").await.text().await, "[t=1]");
    browser.delete_cookies().await;
    assert!(browser.cookies().await.is_empty());

    drop(browser);
}
