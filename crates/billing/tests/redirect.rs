//! A redirect never carries a credential away: none of the three clients follows `3xx`, so
//! SmartBill's Basic auth, Oblio's client secret and FGO's hashed body stay where they were sent.

mod common;

use std::time::Duration;

use punte_billing::{Connection, Options, Secret, connect, fgo, oblio, smartbill};
use punte_sim::redirect::{redirector, target};

const SECRET: &str = "leakcheck-secret-0042";

fn connections(base: &str) -> Vec<Connection> {
    vec![
        Connection::SmartBill(smartbill::Config {
            base_url: base.into(),
            email: "ana@example.ro".into(),
            token: Secret::new(SECRET),
            cif: "RO12345678".into(),
            unit: "buc".into(),
        }),
        Connection::Oblio(oblio::Config {
            base_url: base.into(),
            email: "ana@example.ro".into(),
            secret: Secret::new(SECRET),
            cif: "RO12345678".into(),
            unit: "buc".into(),
        }),
        Connection::Fgo(fgo::Config {
            base_url: base.into(),
            cod_unic: "12345678".into(),
            private_key: Secret::new(SECRET),
            platform_url: "https://punte.local".into(),
            unit: "buc".into(),
            series: vec!["PNT".into()],
        }),
    ]
}

fn quick() -> Options {
    Options {
        timeout: Duration::from_secs(3),
        max_attempts: 1,
        max_wait: Duration::from_secs(1),
        backoff: Duration::from_millis(10),
        time_scale: 1.0,
        journal: None,
    }
}

/// What `seen` must not contain for `connection`: the secret and what is derived from it.
fn forbidden(connection: &Connection) -> Vec<String> {
    let mut out = vec![SECRET.to_owned(), "Authorization".to_lowercase()];
    if let Connection::Fgo(c) = connection {
        out.push(fgo::hash(&[&c.cod_unic, SECRET]));
        out.push(fgo::hash(&[&c.cod_unic, SECRET, "Ion Popescu"]));
    }
    out
}

#[tokio::test]
async fn no_client_follows_a_redirect_with_its_credentials() {
    for status in [
        "307 Temporary Redirect",
        "308 Permanent Redirect",
        "302 Found",
    ] {
        for which in 0..3 {
            let (elsewhere, seen) = target().await;
            let base = redirector(status, elsewhere).await;
            let connection = connections(&base).swap_remove(which);
            let kind = connection.kind();
            let service = connect(connection.clone(), quick()).expect("loopback connection");
            let tested = service.test_connection().await;
            let draft = common::draft(1001, &[("SKU-1", 1, "10.00")], None);
            let issued = service.issue_invoice(&draft, "PNT").await;
            let got = seen.lock().expect("log").to_lowercase();
            for secret in forbidden(&connection) {
                assert!(
                    !got.contains(&secret.to_lowercase()),
                    "{kind:?} {status}: {secret} reached the redirect target"
                );
            }
            assert!(
                got.is_empty(),
                "{kind:?} {status}: sent to the target: {got}"
            );
            assert!(
                tested.is_err(),
                "{kind:?} {status}: a redirect is not an answer"
            );
            assert!(
                issued.is_err(),
                "{kind:?} {status}: a redirect is not an invoice"
            );
        }
    }
}
