//! Live updates follow the change feed: a ticket changed through one node reaches the open
//! streams on another node over the same database, each listener hearing only of the tickets
//! its person may see.

use std::time::Duration;

use serde_json::{Value, json};
use spoc::config::Settings;
use spoc_app::UserInput;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::both_backends;
use crate::harness::{Desk, Person, unique};

const PASSWORD: &str = "correct horse battery";

/// A second server over the desk's database, as another node of the same desk.
struct SecondNode {
    base: String,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<()>,
}

impl SecondNode {
    async fn start(desk: &Desk) -> Self {
        let settings = Settings {
            data_dir: desk.data_dir().to_path_buf(),
            database_url: desk.database_url.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            smtp_url: None,
            mail_from: None,
            public_url: "http://desk.spoc.test".to_owned(),
        };
        let app = spoc::server::open_app(&settings).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            spoc::server::serve_with(app, listener, None, Default::default(), async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Self {
            base,
            shutdown,
            server,
        }
    }

    async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.server.await;
    }
}

/// A person of `role` who can sign in with [`PASSWORD`]: their API token and e-mail.
async fn person_with_password(desk: &Desk, role: &str) -> (Person, String) {
    let email = format!("{}@example.test", unique(role));
    let id = desk
        .post(
            &desk.admin,
            "/users",
            json!({ "email": email, "name": format!("Live {role}"), "role": role, "password": PASSWORD }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let token = desk
        .app
        .issue_token(UserId::new(id), "tests")
        .await
        .unwrap();
    (
        Person {
            id,
            token: token.secret,
        },
        email,
    )
}

/// An open live-update stream and the text read from it so far.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(desk: &Desk, base: &str, path: &str, email: &str) -> Self {
        let (cookie, _) = desk.sign_in(email, PASSWORD).await;
        let response = desk
            .http
            .get(format!("{base}{path}"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next `ticket` event's data, within `wait`.
    async fn next_ticket(&mut self, wait: Duration) -> Option<Value> {
        let until = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                if event.lines().any(|l| l == "event: ticket") {
                    let data = event
                        .lines()
                        .find_map(|l| l.strip_prefix("data: "))
                        .expect("an event has data");
                    return Some(serde_json::from_str(data).unwrap());
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(until, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None)) => panic!("the live stream ended"),
                Ok(Err(e)) => panic!("reading the live stream: {e}"),
                Err(_) => return None,
            }
        }
    }
}

both_backends! {
    /// A ticket logged through one node reaches the live streams on another node: staff hear
    /// of every ticket they may see, a customer of their own ticket and never of another
    /// customer's.
    async fn a_change_on_one_node_reaches_the_streams_on_another(desk: Desk) {
        let mut desk = desk;
        let node = SecondNode::start(&desk).await;
        let (_, lead_email) = person_with_password(&desk, "lead").await;
        let (ana, ana_email) = person_with_password(&desk, "customer").await;
        let (bo, _) = person_with_password(&desk, "customer").await;
        let mut lead_live = Stream::open(&desk, &node.base, "/desk/live", &lead_email).await;
        let mut ana_live = Stream::open(&desk, &node.base, "/portal/live", &ana_email).await;

        // Both tickets are logged through the first node.
        let bos = desk.ticket(&bo, "incident", "Bo's laptop will not start").await;
        let anas = desk.ticket(&ana, "incident", "Ana's printer jams").await;
        let (bos, anas) = (bos["id"].as_i64().unwrap(), anas["id"].as_i64().unwrap());

        let mut heard = Vec::new();
        while heard.len() < 2 {
            let event = lead_live
                .next_ticket(Duration::from_secs(10))
                .await
                .unwrap_or_else(|| panic!("the lead heard only of {heard:?}"));
            assert_eq!(event["change"], "created", "{event}");
            heard.push(event["id"].as_i64().unwrap());
        }
        assert_eq!(heard, vec![bos, anas], "in commit order");

        let event = ana_live
            .next_ticket(Duration::from_secs(10))
            .await
            .expect("Ana hears of her own ticket");
        assert_eq!(event["id"], anas, "Ana never hears of Bo's ticket: {event}");

        // A change of Ana's ticket by staff on the first node reaches her on the second.
        desk.post(&desk.admin, &format!("/tickets/{anas}/comments"), json!({ "body": "We are on it." }))
            .await
            .expect(201);
        let event = ana_live
            .next_ticket(Duration::from_secs(10))
            .await
            .expect("Ana hears of the reply");
        assert_eq!((event["id"].as_i64(), event["change"].as_str()), (Some(anas), Some("commented")), "{event}");

        drop(lead_live);
        drop(ana_live);
        node.stop().await;
        desk.stop().await;
    }

    /// A lead of a second tenant hears of that tenant's tickets only: a ticket of the first
    /// tenant logged meanwhile never reaches their stream, though it sees "every ticket".
    async fn a_listener_hears_nothing_of_another_tenant(desk: Desk) {
        let mut desk = desk;
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let second = desk.app.store().create_tenant(&unique("Second"), now).await.unwrap();
        assert_ne!(second, TenantId::FIRST);
        desk.app.prepare_desk(second).await.unwrap();
        let email = format!("{}@example.test", unique("second-lead"));
        let lead = desk
            .app
            .system_create_user(
                second,
                UserInput {
                    email: Email::parse(&email).unwrap(),
                    name: Name::parse("Second Lead").unwrap(),
                    role: Role::Lead,
                    organization_id: None,
                    super_user: false,
                    password: Some(PASSWORD.to_owned()),
                },
            )
            .await
            .unwrap();
        let token = desk.app.issue_token(lead.id, "tests").await.unwrap();
        let lead_person = Person { id: lead.id.get(), token: token.secret };
        let mut live = Stream::open(&desk, &desk.base, "/desk/live", &email).await;

        // The first tenant's ticket is logged first, the second tenant's after it.
        let (first_customer, _) = person_with_password(&desk, "customer").await;
        desk.ticket(&first_customer, "incident", "First tenant's outage").await;
        let own = desk.ticket(&lead_person, "incident", "Second tenant's outage").await["id"].as_i64().unwrap();

        let event = live
            .next_ticket(Duration::from_secs(10))
            .await
            .expect("the lead hears of their own tenant's ticket");
        assert_eq!(event["id"], own, "nothing of the first tenant: {event}");
        drop(live);
        desk.stop().await;
    }
}
