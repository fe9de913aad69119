//! Steps shared by the Profile scenarios: a Shopify and a SmartBill simulator on loopback that the
//! app reaches through `PUNTE_SHOPIFY_URL` / `PUNTE_BILLING_URL` (as a real shop would be reached
//! at its own host), and filling in the Connected services forms like a merchant.

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

/// Fills the SmartBill form and presses Test connection.
pub fn test_smartbill(app: &App, email: &str, cif: &str, token: &str) {
    app.fill(&tid("conn-billing-email"), email);
    app.fill(&tid("conn-billing-cif"), cif);
    app.fill(&tid("conn-billing-api_token"), token);
    app.click(&tid("conn-billing-test"));
}
