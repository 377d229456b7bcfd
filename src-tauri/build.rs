use std::path::Path;

/// Shown when the app was built before the UI (`npm run build` in ui/ replaces it).
const PLACEHOLDER: &str = "<!doctype html>
<!-- Placeholder written by src-tauri/build.rs: ui/dist did not exist when the app was built. -->
<html lang=\"en\">
  <head><meta charset=\"utf-8\"><title>Ferry</title></head>
  <body><p>Ferry: the UI is not built yet. Run <code>npm run build</code> in <code>ui/</code>, then build the app again.</p></body>
</html>
";

fn main() {
    // tauri::generate_context! embeds ../ui/dist (frontendDist) and fails when it is missing, as
    // in a fresh clone before the UI is built: give it a placeholder page so that the shell
    // still builds and its tests run.
    let dist = Path::new("../ui/dist");
    if !dist.exists() {
        std::fs::create_dir_all(dist).expect("create ui/dist");
        std::fs::write(dist.join("index.html"), PLACEHOLDER).expect("write ui/dist/index.html");
        println!(
            "cargo:warning=ui/dist did not exist: the app embeds a placeholder page. Run `npm run \
             build` in ui/ and build again for the real UI."
        );
    }
    tauri_build::build()
}
