//! Debian's `slapd`, started on loopback for one test: its own `slapd.conf` and database in a
//! temporary folder, a certificate signed by a throwaway CA made with `openssl`, LDAPS on one
//! port and StartTLS on another, seeded with `slapadd`. Changed while running with `ldapmodify`
//! over the root account. Stops when dropped. `.ci/run` installs `slapd` and `ldap-utils`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The directory's suffix.
pub const SUFFIX: &str = "dc=example,dc=org";
/// Where people are.
pub const PEOPLE: &str = "ou=people,dc=example,dc=org";
/// Where groups are.
pub const GROUPS: &str = "ou=groups,dc=example,dc=org";
/// The service account Spoc binds as.
pub const READER_DN: &str = "cn=reader,dc=example,dc=org";
/// Its password.
pub const READER_PASSWORD: &str = "reader secret 42";
/// The group whose members are agents in Spoc.
pub const STAFF_DN: &str = "cn=staff,ou=groups,dc=example,dc=org";

const ROOT_DN: &str = "cn=admin,dc=example,dc=org";
const ROOT_PASSWORD: &str = "root secret 42";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub use crate::certs::make_ca;
use crate::certs::{make_server_certificate, run};

/// A person of the seed: uid, name, e-mail, password.
pub struct Seeded {
    pub uid: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

/// Ann is in the staff group; Bob and Carol are not.
pub const ANN: Seeded = Seeded {
    uid: "ann",
    name: "Ann Lee",
    email: "ann@example.org",
    password: "ann password 1",
};
pub const BOB: Seeded = Seeded {
    uid: "bob",
    name: "Bob Stone",
    email: "bob@example.org",
    password: "bob password 2",
};
pub const CAROL: Seeded = Seeded {
    uid: "carol",
    name: "Carol White",
    email: "carol@example.org",
    password: "carol password 3",
};

/// A person's DN.
pub fn dn(person: &Seeded) -> String {
    format!("uid={},{PEOPLE}", person.uid)
}

fn seed() -> String {
    let mut ldif = format!(
        "dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n\
         dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n\n\
         dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n\n\
         dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n\
         cn: reader\nuserPassword: {READER_PASSWORD}\n\n"
    );
    for person in [ANN, BOB, CAROL] {
        let surname = person.name.split(' ').next_back().unwrap();
        ldif.push_str(&format!(
            "dn: {}\nobjectClass: inetOrgPerson\nuid: {}\ncn: {}\nsn: {surname}\nmail: {}\n\
             userPassword: {}\n\n",
            dn(&person),
            person.uid,
            person.name,
            person.email,
            person.password
        ));
    }
    ldif.push_str(&format!(
        "dn: {STAFF_DN}\nobjectClass: groupOfNames\ncn: staff\nmember: {}\n\n",
        dn(&ANN)
    ));
    ldif
}

/// A running `slapd`.
pub struct Slapd {
    dir: PathBuf,
    child: Child,
    /// The LDAPS port.
    pub tls_port: u16,
    /// The plain port (Spoc uses it with StartTLS only; the tests' own `ldapmodify` without).
    pub plain_port: u16,
    /// The CA that signed the server's certificate, PEM.
    pub ca_pem: String,
}

impl Slapd {
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(crate::harness::unique("slapd"));
        std::fs::create_dir_all(dir.join("db")).unwrap();
        let d = |name: &str| dir.join(name).display().to_string();
        let ca_pem = make_server_certificate(&dir);
        let config = format!(
            "include /etc/ldap/schema/core.schema\n\
             include /etc/ldap/schema/cosine.schema\n\
             include /etc/ldap/schema/inetorgperson.schema\n\
             modulepath /usr/lib/ldap\nmoduleload back_mdb\n\
             pidfile {pid}\n\
             TLSCACertificateFile {ca}\nTLSCertificateFile {cert}\nTLSCertificateKeyFile {key}\n\
             database mdb\nmaxsize 10485760\nsuffix \"{SUFFIX}\"\n\
             rootdn \"{ROOT_DN}\"\nrootpw \"{ROOT_PASSWORD}\"\ndirectory {db}\n",
            pid = d("slapd.pid"),
            ca = d("ca.crt"),
            cert = d("server.crt"),
            key = d("server.key"),
            db = d("db"),
        );
        std::fs::write(dir.join("slapd.conf"), config).unwrap();
        std::fs::write(dir.join("seed.ldif"), seed()).unwrap();
        run(Command::new("slapadd").args(["-f", &d("slapd.conf"), "-l", &d("seed.ldif")]));
        let tls_port = free_port();
        let plain_port = free_port();
        let log = std::fs::File::create(dir.join("slapd.log")).unwrap();
        let child = Command::new("slapd")
            .args([
                "-f",
                &d("slapd.conf"),
                "-h",
                &format!("ldap://127.0.0.1:{plain_port}/ ldaps://127.0.0.1:{tls_port}/"),
                "-d",
                "0",
            ])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("slapd runs (apt-get install slapd ldap-utils)");
        let slapd = Self {
            dir,
            child,
            tls_port,
            plain_port,
            ca_pem,
        };
        slapd.wait_for(tls_port);
        slapd.wait_for(plain_port);
        slapd
    }

    fn wait_for(&self, port: u16) {
        for _ in 0..400 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "slapd did not listen on {port}: {}",
            std::fs::read_to_string(self.dir.join("slapd.log")).unwrap_or_default()
        );
    }

    /// `ldaps://127.0.0.1:…`
    pub fn ldaps_url(&self) -> String {
        format!("ldaps://127.0.0.1:{}", self.tls_port)
    }

    /// `ldap://127.0.0.1:…` (StartTLS).
    pub fn starttls_url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.plain_port)
    }

    /// Applies `ldif` (changetype records) as the root account.
    pub fn modify(&self, ldif: &str) {
        let mut child = Command::new("ldapmodify")
            .args([
                "-x",
                "-H",
                &format!("ldap://127.0.0.1:{}", self.plain_port),
                "-D",
                ROOT_DN,
                "-w",
                ROOT_PASSWORD,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ldapmodify runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(ldif.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "ldapmodify failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A temporary folder of this server's, for other files a test makes.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
