use cors_runtime::cors;

#[cors(origins = [APP_ORIGIN])]
async fn handler() {}
const APP_ORIGIN: &str = "https://app.example.com";
fn main() {}
