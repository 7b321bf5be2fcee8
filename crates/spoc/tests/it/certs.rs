//! Throwaway TLS certificates for the test servers (`slapd`, Dovecot), made with `openssl`: a CA
//! and a certificate for `localhost` / `127.0.0.1` signed by it.

use std::path::Path;
use std::process::Command;

/// Runs a command and fails the test with its error output if it fails.
pub fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A throwaway CA in `dir` (`{name}.crt`, `{name}.key`); its certificate, PEM.
pub fn make_ca(dir: &Path, name: &str) -> String {
    let d = |file: &str| dir.join(file).display().to_string();
    run(Command::new("openssl").args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        &format!("/CN=Spoc test {name}"),
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        &d(&format!("{name}.key")),
        "-out",
        &d(&format!("{name}.crt")),
    ]));
    std::fs::read_to_string(dir.join(format!("{name}.crt"))).unwrap()
}

/// A CA `ca` and a server certificate for `localhost` and `127.0.0.1` signed by it, in `dir`:
/// `ca.crt`, `ca.key`, `server.crt`, `server.key`. Returns the CA's certificate, PEM.
pub fn make_server_certificate(dir: &Path) -> String {
    let d = |name: &str| dir.join(name).display().to_string();
    let ca_pem = make_ca(dir, "ca");
    run(Command::new("openssl").args([
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        &d("server.key"),
        "-out",
        &d("server.csr"),
    ]));
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(Command::new("openssl").args([
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        &d("server.csr"),
        "-CA",
        &d("ca.crt"),
        "-CAkey",
        &d("ca.key"),
        "-CAcreateserial",
        "-extfile",
        &d("ext.cnf"),
        "-out",
        &d("server.crt"),
    ]));
    ca_pem
}
