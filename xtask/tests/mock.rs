//! `cargo xtask mock --spec FILE --port PORT`: the generated mock of a description,
//! served until Ctrl-C. It says where it listens only once it answers, it answers as the
//! description says, and SIGINT stops it.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

#[cfg(unix)]
#[test]
fn the_mock_listens_answers_and_stops_on_ctrl_c() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/camunda-users.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["mock", "--spec", spec, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let address = first
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("not the line it should print: {first}"))
        .to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{first}");
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(
            b"GET /users/jo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("\"username\""), "{answer}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(
        exit.success(),
        "the mock did not stop cleanly on SIGINT: {exit:?}"
    );
}
