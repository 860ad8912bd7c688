//! `gateform init`: modules from git repositories and from a registry are installed into
//! `.gateform/modules/`, and plan as the same modules do as local sources. The repository is a
//! local one and the registry a small server of the registry's module protocol on loopback, both
//! made by the test: nothing reaches the internet.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::harness::Workspace;

/// The module in each version: an api and one route whose key says the version.
fn module(version: &str) -> String {
    format!(
        r#"variable "name" {{
  type = string
}}

resource "aws_apigatewayv2_api" "this" {{
  name          = var.name
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_route" "this" {{
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "GET /{version}"
}}

output "api_id" {{
  value = aws_apigatewayv2_api.this.id
}}
"#
    )
}

const VERSIONS: [&str; 3] = ["1.0.0", "1.1.0", "2.0.0"];

/// A git repository with the module in `modules/api`, one commit and tag `vVERSION` per version.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("api-modules");
    std::fs::create_dir_all(repo.join("modules/api")).unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(["-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "--quiet"]);
    for version in VERSIONS {
        std::fs::write(repo.join("modules/api/main.tf"), module(version)).unwrap();
        git(&["add", "."]);
        git(&["commit", "--quiet", "-m", version]);
        git(&["tag", &format!("v{version}")]);
    }
    (temp, repo)
}

fn call(source: &str, version: Option<&str>) -> String {
    let version = version.map_or(String::new(), |version| {
        format!("  version = \"{version}\"\n")
    });
    format!("module \"orders\" {{\n  source  = \"{source}\"\n{version}  name    = \"orders\"\n}}\n")
}

/// The plan of the same module as a local source, in `version`.
fn local_plan(version: &str) -> String {
    let workspace = Workspace::empty("local-module");
    workspace.write("main.tf", &call("./modules/api", None));
    workspace.write("modules/api/main.tf", &module(version));
    workspace.run(&["plan", "DIR"]).expect_code(0).stdout
}

#[test]
fn issue_11_init_installs_a_git_module_at_its_ref() {
    let (_temp, repo) = repository();
    let source = format!("git::file://{}//modules/api?ref=v1.0.0", repo.display());
    let workspace = Workspace::empty("git-module");
    workspace.write("main.tf", &call(&source, None));
    let before = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert!(
        before.stderr.contains(&format!(
            "error: module `orders` comes from `{source}`, which is not installed"
        )) && before
            .stderr
            .contains("hint: run `gateform init git-module` to install it"),
        "{}",
        before.stderr
    );
    let init = workspace.run(&["init", "DIR"]).expect_code(0);
    assert_eq!(init.stdout, "gateform has been successfully initialized!\n");
    assert!(
        init.stderr
            .contains("- orders in .gateform/modules/orders/modules/api"),
        "{}",
        init.stderr
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.file(".gateform/modules/modules.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["Modules"],
        serde_json::json!([{
            "Key": "orders",
            "Source": source,
            "Dir": ".gateform/modules/orders/modules/api",
        }])
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.stdout, local_plan("1.0.0"));

    // A source the manifest does not have is not installed, however near it is.
    workspace.write("main.tf", &call(&source.replace("v1.0.0", "v2.0.0"), None));
    workspace.run(&["plan", "DIR"]).expect_code(1);
    workspace.run(&["init", "DIR"]).expect_code(0);
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.stdout, local_plan("2.0.0"));
}

/// A registry of the module protocol (service discovery, versions, download) serving
/// `acme/api/aws` from `repo`, and the requests it was sent.
fn registry(repo: &Path) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (log, repo) = (requests.clone(), repo.to_path_buf());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut line).unwrap();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
            }
            let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
            log.lock().unwrap().push(path.clone());
            let versions = serde_json::json!({"modules": [{"versions":
                VERSIONS.iter().map(|version| serde_json::json!({"version": version})).collect::<Vec<_>>()
            }]});
            let download = path
                .strip_prefix("/v1/modules/acme/api/aws/")
                .and_then(|rest| rest.strip_suffix("/download"));
            let response = match (path.as_str(), download) {
                ("/.well-known/terraform.json", _) => {
                    ok(r#"{"modules.v1": "/v1/modules/"}"#.to_owned())
                }
                ("/v1/modules/acme/api/aws/versions", _) => ok(versions.to_string()),
                (_, Some(version)) => format!(
                    "HTTP/1.1 204 No Content\r\nX-Terraform-Get: git::file://{}//modules/api?ref=v{version}\r\nConnection: close\r\n\r\n",
                    repo.display()
                ),
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned(),
            };
            stream.write_all(response.as_bytes()).unwrap();
        }
    });
    (host, requests)
}

fn ok(body: String) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn issue_11_init_installs_a_registry_module_in_the_newest_version_allowed() {
    let (_temp, repo) = repository();
    let (host, requests) = registry(&repo);
    let source = format!("{host}/acme/api/aws");
    let workspace = Workspace::empty("registry-module");
    workspace.write("main.tf", &call(&source, Some("~> 1.0")));
    let init = workspace.run(&["init", "DIR"]).expect_code(0);
    assert!(
        init.stderr
            .contains(&format!("Downloading {source} 1.1.0 for orders...")),
        "{}",
        init.stderr
    );
    assert_eq!(
        *requests.lock().unwrap(),
        [
            "/.well-known/terraform.json",
            "/v1/modules/acme/api/aws/versions",
            "/v1/modules/acme/api/aws/1.1.0/download",
        ]
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.stdout, local_plan("1.1.0"));

    // A constraint nothing matches names what the registry has.
    workspace.write("main.tf", &call(&source, Some(">= 3.0")));
    let init = workspace.run(&["init", "DIR"]).expect_code(1);
    assert!(
        init.stderr.contains(&format!(
            "error: cannot install module `orders`: no version of acme/api/aws at {host} is allowed by the constraint; it has 1.0.0, 1.1.0, 2.0.0"
        )),
        "{}",
        init.stderr
    );
}
