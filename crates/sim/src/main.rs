//! `punte-sim`: serves all four simulators on loopback and prints their URLs and credentials.
fn main() {}
