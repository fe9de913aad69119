//! Steps shared by the Profile scenarios: a Shopify and a SmartBill simulator on loopback that the
//! app reaches through `PUNTE_SHOPIFY_URL` / `PUNTE_BILLING_URL` (as a real shop would be reached
//! at its own host), and filling in the Connected services forms like a merchant.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use punte_sim::{ServiceKind, SimOptions, SimServer};

use crate::demo::tid;
use crate::harness::App;

/// The two simulators standing in for the merchant's real services; they stop when dropped.
pub struct Services {
    pub shop: SimServer,
    pub bill: SimServer,
    _runtime: tokio::runtime::Runtime,
}

impl Services {
    /// Starts both, seeded with the demo catalogue and orders.
    pub fn start() -> Services {
        Self::start_with(SimOptions {
            demo: true,
            shopify_bucket: (20_000.0, 2_000.0),
            ..SimOptions::default()
        })
    }

    /// Starts both with `options` (empty unless `options.demo`).
    pub fn start_with(options: SimOptions) -> Services {
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        let (shop, bill) = runtime.block_on(async {
            let shop = SimServer::start(ServiceKind::Shopify, options.clone()).await;
            let bill = SimServer::start(ServiceKind::SmartBill, options).await;
            (shop.expect("shopify sim"), bill.expect("smartbill sim"))
        });
        Services {
            shop,
            bill,
            _runtime: runtime,
        }
    }

    /// The environment that points the app at these simulators.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PUNTE_SHOPIFY_URL", self.shop.base_url()),
            ("PUNTE_BILLING_URL", self.bill.base_url()),
        ]
    }

    pub fn shop_token(&self) -> String {
        self.shop.credentials().get("static_token").to_owned()
    }

    pub fn bill_token(&self) -> String {
        self.bill.credentials().get("token").to_owned()
    }

    pub fn shop_domain(&self) -> String {
        self.shop.credentials().get("shop_domain").to_owned()
    }
}

/// Opens Profile → Connected services.
pub fn open_profile(app: &App) {
    app.click(&tid("nav-profile"));
    app.find(&tid("view-profile"));
    app.find(&tid("conn-shopify"));
}

/// Fills the Shopify form for a legacy custom app (Admin API token) and presses Test connection.
pub fn test_shopify(app: &App, domain: &str, token: &str) {
    app.click(&tid("conn-shopify-auth-legacy"));
    app.fill(&tid("conn-shopify-shop_domain"), domain);
    app.fill(&tid("conn-shopify-admin_token"), token);
    app.click(&tid("conn-shopify-test"));
}

/// Tests and saves the Shopify and the SmartBill connection of `services`, then waits for the
/// window to reload on the saved shop.
pub fn connect_both(app: &App, services: &Services) {
    open_profile(app);
    test_shopify(app, &services.shop_domain(), &services.shop_token());
    app.find(&tid("conn-shopify-result"));
    app.click(&tid("conn-shopify-save"));
    app.find(&tid("conn-shopify-admin_token-saved"));
    let c = services.bill.credentials();
    test_smartbill(app, c.get("email"), c.get("cif"), &services.bill_token());
    app.find(&tid("conn-billing-result"));
    app.click(&tid("conn-billing-save"));
    app.wait_for("Profile reloaded on the saved shop", || {
        let reloaded = app.text_now(&tid("conn-billing-result")).is_none();
        (reloaded && app.text_now(&tid("conn-billing-api_token-saved")).is_some()).then_some(())
    });
}

/// Fills the SmartBill form and presses Test connection.
pub fn test_smartbill(app: &App, email: &str, cif: &str, token: &str) {
    app.fill(&tid("conn-billing-email"), email);
    app.fill(&tid("conn-billing-cif"), cif);
    app.fill(&tid("conn-billing-api_token"), token);
    app.click(&tid("conn-billing-test"));
}

const KEYRING_SERVICE: &str = "[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/sh -c \"printf punte-test | exec gnome-keyring-daemon --foreground --unlock --components=secrets\"
";

/// The environment of one app start: the services, a fixed data folder and HOME, the keyring.
pub fn session_env(services: &Services, root: &Path, run: &str) -> Vec<(&'static str, String)> {
    let home = root.join("home");
    let data_home = home.join(".local/share");
    let services_dir = data_home.join("dbus-1/services");
    std::fs::create_dir_all(&services_dir).expect("services dir");
    std::fs::write(
        services_dir.join("org.freedesktop.secrets.service"),
        KEYRING_SERVICE,
    )
    .expect("keyring service file");
    let runtime = root.join(run);
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).expect("0700");
    let mut env = services.env();
    env.extend([
        ("PUNTE_DATA_DIR", root.join("data").display().to_string()),
        ("HOME", home.display().to_string()),
        ("XDG_DATA_HOME", data_home.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        ),
        ("XDG_CACHE_HOME", home.join(".cache").display().to_string()),
        ("XDG_RUNTIME_DIR", runtime.display().to_string()),
    ]);
    env
}

pub fn launch(name: &str, env: &[(&'static str, String)]) -> App {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    App::launch_with_env(name, &env)
}

/// The keychain needs gnome-keyring and dbus-run-session (installed by `cargo xtask test`).
pub fn require_tools() {
    for tool in ["gnome-keyring-daemon", "dbus-run-session"] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
        assert!(
            found,
            "{tool} is required on PATH for the keychain scenario"
        );
    }
}
