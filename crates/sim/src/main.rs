//! `punte-sim`: serves the simulators on loopback with the demo shop and prints their URLs and
//! credentials. Flags: `--empty` (no demo data), `--time-scale N` (simulated seconds per second),
//! `--port-base N` (Shopify on N, SmartBill N+1, Oblio N+2, FGO N+3; default: ephemeral ports).

use punte_sim::{ServiceKind, SimOptions, SimServer};

const KINDS: [ServiceKind; 4] = [
    ServiceKind::Shopify,
    ServiceKind::SmartBill,
    ServiceKind::Oblio,
    ServiceKind::Fgo,
];

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = SimOptions {
        demo: !args.iter().any(|a| a == "--empty"),
        ..SimOptions::default()
    };
    if let Some(scale) = flag(&args, "--time-scale") {
        options.time_scale = scale.parse().unwrap_or(1.0);
    }
    let port_base: Option<u16> = flag(&args, "--port-base").and_then(|p| p.parse().ok());
    let mut running = Vec::new();
    for (offset, kind) in (0u16..).zip(KINDS) {
        let port = port_base.map(|p| p.saturating_add(offset));
        match SimServer::start(
            kind,
            SimOptions {
                port,
                ..options.clone()
            },
        )
        .await
        {
            Ok(sim) => {
                println!("{kind:?}");
                for (name, value) in &sim.credentials().pairs {
                    println!("  {name:<14} {value}");
                }
                println!("  {:<14} {}", "control_url", sim.control_url());
                running.push(sim);
            }
            Err(e) => println!("{kind:?}: not started ({e})"),
        }
    }
    println!("Serving on 127.0.0.1; Ctrl-C stops.");
    let _ = tokio::signal::ctrl_c().await;
}

/// The value after `name` on the command line.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
}
