//! A local module used twice, fed from an object-typed variable with for_each inside: the shape
//! of real API Gateway configurations.

use crate::harness::{Workspace, actions};

/// The addresses the fixture's 50-route terraform.tfvars declares.
fn expected_addresses() -> Vec<String> {
    let mut addresses = Vec::new();
    for (api, count) in [("public", 30), ("internal", 20)] {
        addresses.push(format!("module.{api}.aws_apigatewayv2_api.this"));
        for integration in ["orders", "pets"] {
            addresses.push(format!(
                "module.{api}.aws_apigatewayv2_integration.this[\"{integration}\"]"
            ));
        }
        for index in 0..count {
            let (method, integration) = match index % 2 {
                0 => ("GET", "pets"),
                _ => ("POST", "orders"),
            };
            addresses.push(format!(
                "module.{api}.aws_apigatewayv2_route.this[\"{method} /{integration}/{index}\"]"
            ));
        }
    }
    addresses.sort();
    addresses
}

fn planned(workspace: &Workspace, code: i32) -> Vec<(String, Vec<String>)> {
    let plan = workspace
        .run(&["plan", "DIR", "--format", "json", "--detailed-exitcode"])
        .expect_code(code);
    actions(&serde_json::from_str(&plan.stdout).unwrap())
}

#[test]
fn a_module_used_twice_plans_applies_and_changes_one_instance() {
    let workspace = Workspace::new("module-per-api");
    let changes = planned(&workspace, 2);
    let addresses: Vec<String> = changes.iter().map(|(address, _)| address.clone()).collect();
    assert_eq!(addresses, expected_addresses());
    assert!(changes.iter().all(|(_, actions)| actions == &["create"]));

    workspace.converge();
    let aws = workspace.aws();
    let mut apis: Vec<(String, usize)> = aws
        .apis()
        .into_iter()
        .map(|api| (api.name, api.route_keys.len()))
        .collect();
    apis.sort();
    assert_eq!(
        apis,
        [("internal".to_owned(), 20), ("public".to_owned(), 30)]
    );
    let public = workspace.state_values("module.public.aws_apigatewayv2_api.this");
    assert_eq!(
        public["cors_configuration"][0]["allow_origins"],
        serde_json::json!(["https://shop.example.com"])
    );
    let internal = workspace.state_values("module.internal.aws_apigatewayv2_api.this");
    assert_eq!(internal["cors_configuration"], serde_json::json!([]));

    // One route now goes to the other integration: exactly that instance changes.
    workspace.edit(
        "terraform.tfvars",
        "\"GET /pets/20\"    = { integration = \"pets\" }",
        "\"GET /pets/20\"    = { integration = \"orders\" }",
    );
    let changed: Vec<(String, Vec<String>)> = planned(&workspace, 2)
        .into_iter()
        .filter(|(_, actions)| actions != &["no-op"])
        .collect();
    assert_eq!(
        changed,
        [(
            "module.public.aws_apigatewayv2_route.this[\"GET /pets/20\"]".to_owned(),
            vec!["update".to_owned()]
        )]
    );
    workspace.converge();
}

/// A module's `validation` blocks check what each call passes, and the error points at the call.
#[test]
fn module_inputs_meet_the_modules_validations() {
    let workspace = Workspace::empty("module-validation");
    workspace.write(
        "main.hcl",
        r#"
module "good" {
  source   = "./api"
  name     = "orders"
  protocol = "HTTP"
}

module "bad" {
  source   = "./api"
  name     = "Orders API"
  protocol = "HTTP"
}

module "unknown" {
  source   = "./api"
  name     = module.good.id
  protocol = "HTTP"
}
"#,
    );
    workspace.write(
        "api/main.hcl",
        r#"
variable "name" {
  type = string

  validation {
    condition     = can(regex("^[a-z0-9-]+$", var.name))
    error_message = "The api name must be lowercase letters, digits and dashes."
  }
}

variable "protocol" {
  type = string
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = var.protocol
}

output "id" {
  value = aws_apigatewayv2_api.this.id
}
"#,
    );
    // The value known only after apply (`module.good.id`) is checked then, not now.
    let validate = workspace.run(&["validate", "DIR"]).expect_code(1);
    assert_eq!(
        validate.stderr,
        "error: invalid value for variable `name`: The api name must be lowercase letters, digits and dashes.\n  \
         --> module-validation/main.hcl:10:14\n   \
         |\n\
         10 |   name     = \"Orders API\"\n   \
         |              ^^^^^^^^^^^^\n   \
         |\n   \
         = hint: the module's validation condition was false for this value\n\n"
    );
}

/// Each module instance reads its own data sources, with its own inputs.
#[test]
fn data_sources_in_a_module_are_read_per_instance() {
    let workspace = Workspace::empty("module-data");
    let aws = workspace.aws();
    let ids = ["orders", "pets"].map(|name| aws.create_http_api(name));
    workspace.write(
        "main.hcl",
        r#"
module "reader" {
  for_each = toset(["orders", "pets"])
  source   = "./reader"
  name     = each.key
}

output "ids" {
  value = { for name, reader in module.reader : name => reader.ids }
}
"#,
    );
    workspace.write(
        "reader/main.hcl",
        r#"
variable "name" {
  type = string
}

data "aws_apigatewayv2_apis" "named" {
  name = var.name
}

output "ids" {
  value = data.aws_apigatewayv2_apis.named.ids
}
"#,
    );
    workspace.converge();
    let output = workspace
        .run_offline(&["-C", "DIR", "output", "ids", "--json"])
        .expect_code(0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&output.stdout).unwrap(),
        serde_json::json!({ "orders": [ids[0]], "pets": [ids[1]] })
    );
}

/// `path.module`, `path.root` and `path.cwd` are what Terraform says, whether gateform runs
/// beside the configuration or inside it: a module reads its own OpenAPI file with
/// `file("${path.module}/openapi.yaml")`, as real configurations do.
#[test]
fn issue_11_a_module_reads_its_files_through_path_module_from_anywhere() {
    let workspace = Workspace::empty("paths");
    workspace.write(
        "main.tf",
        r#"module "api" {
  source = "./modules/api"
}

output "root" {
  value = path.root
}

output "module" {
  value = module.api.module
}

output "cwd" {
  value = path.cwd
}
"#,
    );
    workspace.write(
        "modules/api/main.tf",
        r#"resource "aws_apigatewayv2_api" "pets" {
  name          = "pets"
  protocol_type = "HTTP"
  body          = file("${path.module}/openapi.yaml")
}

output "module" {
  value = path.module
}
"#,
    );
    workspace.write(
        "modules/api/openapi.yaml",
        "openapi: 3.0.1\ninfo:\n  title: pets\n  version: '1.0'\npaths: {}\n",
    );
    let absolute = workspace.dir.canonicalize().unwrap().display().to_string();
    let beside = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    let inside = workspace
        .command(&["plan"])
        .current_dir(&workspace.dir)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let inside = crate::harness::Run::from(inside).expect_code(0);
    for (from, plan) in [("beside", &beside.stdout), ("inside", &inside.stdout)] {
        assert!(plan.contains("\"title\": \"pets\""), "{from}: {plan}");
        assert!(
            plan.contains("  + module = \"modules/api\"\n"),
            "{from}: {plan}"
        );
        assert!(plan.contains("  + root   = \".\"\n"), "{from}: {plan}");
        assert!(
            plan.contains(&format!("  + cwd    = \"{absolute}\"\n")),
            "{from}: {plan}"
        );
    }
}

/// The files Terraform reads are configuration, and no others: not the lock file `terraform init`
/// writes, hidden files, or Terraform's test and query files.
#[test]
fn issue_11_lock_hidden_test_and_query_files_are_not_configuration() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        ".terraform.lock.hcl",
        "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"6.0.0\"\n  hashes = []\n}\n",
    );
    workspace.write(".draft.tf", "this is not HCL {{{\n");
    workspace.write("api.tftest.hcl", "run \"plan\" {\n  command = plan\n}\n");
    workspace.write("api.tfquery.hcl", "list \"aws_instance\" \"all\" {}\n");
    let plan = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
}
