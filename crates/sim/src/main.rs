//! `punte-sim`: serves the simulators on loopback with the demo shop and prints their URLs and
//! credentials. Flags: `--empty` (no demo data), `--time-scale N` (simulated seconds per second).

use punte_sim::{ServiceKind, SimOptions, SimServer};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = SimOptions {
        demo: !args.iter().any(|a| a == "--empty"),
        ..SimOptions::default()
    };
    if let Some(scale) = args
        .iter()
        .position(|a| a == "--time-scale")
        .and_then(|i| args.get(i + 1))
    {
        options.time_scale = scale.parse().unwrap_or(1.0);
    }
    let mut running = Vec::new();
    for kind in [
        ServiceKind::Shopify,
        ServiceKind::SmartBill,
        ServiceKind::Oblio,
        ServiceKind::Fgo,
    ] {
        match SimServer::start(kind, options.clone()).await {
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
