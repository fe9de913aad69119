//! The connected shop for the real app binary: a fixed data folder and HOME, and a desktop
//! session whose Secret Service is an unlocked gnome-keyring-daemon started by the session bus
//! from a service file under the bench's `XDG_DATA_HOME` (as tests/e2e/keychain_restart.rs
//! does). The connections are saved once through the app's own Profile screen, driven through
//! WebDriver, so the descriptor, settings and keychain entries are exactly what the app writes;
//! the secrets live only in that keyring. Later starts on the same folder run on the shop.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::App;
use crate::shop::{Credentials, Services, wait};

const KEYRING_SERVICE: &str = "[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/sh -c \"printf punte-bench | exec gnome-keyring-daemon --foreground --unlock --components=secrets\"
";

pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// The bench's desktop: its folders live until dropped. The keychain namespace the app uses
/// follows the data folder's path, so every start uses the same `data` folder.
pub struct Desktop {
    root: tempfile::TempDir,
}

impl Desktop {
    pub fn new() -> Desktop {
        for tool in ["gnome-keyring-daemon", "dbus-run-session"] {
            let found = std::env::var_os("PATH")
                .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
            assert!(
                found,
                "{tool} is required on PATH for the connected-shop benches"
            );
        }
        let root = tempfile::Builder::new()
            .prefix("punte-bench-shop-")
            .tempdir()
            .expect("temp");
        let services = root.path().join("home/.local/share/dbus-1/services");
        std::fs::create_dir_all(&services).expect("services dir");
        std::fs::write(
            services.join("org.freedesktop.secrets.service"),
            KEYRING_SERVICE,
        )
        .expect("keyring service file");
        Desktop { root }
    }

    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// A fresh data folder holding `db` as `punte.db` (its -wal too, if any).
    pub fn fresh_data(&self, db: &Path) {
        let _ = std::fs::remove_dir_all(self.data());
        std::fs::create_dir_all(self.data()).expect("data dir");
        std::fs::copy(db, self.data().join("punte.db")).expect("copy the store");
    }

    /// The environment of one app start (`run` names its own XDG_RUNTIME_DIR).
    pub fn env(&self, services: &Services, run: &str) -> Vec<(&'static str, String)> {
        let home = self.root.path().join("home");
        let runtime = self.root.path().join(run);
        std::fs::create_dir_all(&runtime).expect("runtime dir");
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).expect("0700");
        let mut env = services.env();
        env.retain(|(k, _)| !k.starts_with("PUNTE_BENCH_"));
        env.extend([
            ("PUNTE_DATA_DIR", self.data().display().to_string()),
            ("HOME", home.display().to_string()),
            (
                "XDG_DATA_HOME",
                home.join(".local/share").display().to_string(),
            ),
            (
                "XDG_CONFIG_HOME",
                home.join(".config").display().to_string(),
            ),
            ("XDG_CACHE_HOME", home.join(".cache").display().to_string()),
            ("XDG_RUNTIME_DIR", runtime.display().to_string()),
        ]);
        env
    }

    pub fn launch(&self, services: &Services, name: &str, run: &str) -> App {
        let env = self.env(services, run);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        App::launch_with_env(name, &env)
    }

    /// Starts the app on `db` (no connection saved: the demo shop), connects Shopify and
    /// SmartBill in Profile like the merchant, waits until it runs on the saved shop, and stops
    /// it. The data folder then holds the connected `punte.db`, also kept as the returned copy
    /// for [`Desktop::fresh_data`]; the keyring holds the secrets.
    pub fn save_connections(&self, services: &Services, db: &Path) -> PathBuf {
        self.fresh_data(db);
        let c = credentials(services);
        let app = self.launch(services, "bench-profile", "setup");
        app.click(&tid("nav-profile"));
        app.find(&tid("conn-shopify"));
        app.click(&tid("conn-shopify-auth-legacy"));
        app.fill(&tid("conn-shopify-shop_domain"), &c.domain);
        app.fill(&tid("conn-shopify-admin_token"), &c.shop_token);
        app.click(&tid("conn-shopify-test"));
        app.find(&tid("conn-shopify-result"));
        app.click(&tid("conn-shopify-save"));
        app.find(&tid("conn-shopify-admin_token-saved"));
        app.fill(&tid("conn-billing-email"), &c.email);
        app.fill(&tid("conn-billing-cif"), &c.cif);
        app.fill(&tid("conn-billing-api_token"), &c.bill_token);
        app.click(&tid("conn-billing-test"));
        app.find(&tid("conn-billing-result"));
        app.click(&tid("conn-billing-save"));
        // Both saved: the backend leaves the demo and the window reloads on Profile.
        wait("Profile reloaded on the saved shop", 180, || {
            let reloaded = app.text_now(&tid("conn-billing-result")).is_none();
            (reloaded && app.text_now(&tid("conn-billing-api_token-saved")).is_some()).then_some(())
        });
        assert!(
            app.text_now(&tid("demo-banner")).is_none(),
            "still in demo mode after saving both connections"
        );
        drop(app);
        // Fold the WAL into punte.db, so the copies made from it are complete.
        drop(punte_store::Store::open(&self.data().join("punte.db")).expect("reopen the store"));
        let connected = self.root.path().join("connected.db");
        std::fs::copy(self.data().join("punte.db"), &connected).expect("keep the connected store");
        connected
    }
}

fn credentials(services: &Services) -> Credentials {
    let (s, b) = (services.shop.credentials(), services.bill.credentials());
    Credentials {
        domain: s.get("shop_domain").to_owned(),
        shop_token: s.get("static_token").to_owned(),
        email: b.get("email").to_owned(),
        cif: b.get("cif").to_owned(),
        bill_token: b.get("token").to_owned(),
    }
}
