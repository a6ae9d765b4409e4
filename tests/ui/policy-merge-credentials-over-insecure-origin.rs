use cors_runtime::{cors, policy, CorsPolicy};

const LAN: CorsPolicy = policy!(origins = ["http://printer.lan"]);

#[cors(policy = LAN, credentials = true)]
async fn handler() {}

fn main() {}
