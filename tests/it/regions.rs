//! Regions: `provider "aws" { alias = ... }` with `provider = aws.ALIAS`, `providers = { ... }` on
//! a module call, and `region` on a resource (AWS provider v6). Each object lives in one region,
//! recorded in the state, and is read, changed and deleted there.

use crate::harness::{REGION, Workspace};

const WEST: &str = "us-west-2";

const TWO_REGIONS: &str = r#"
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_apigatewayv2_api" "home" {
  name          = "home"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_api" "away" {
  provider      = aws.west
  name          = "away"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "away" {
  provider  = aws.west
  api_id    = aws_apigatewayv2_api.away.id
  route_key = "GET /away"
}
"#;

/// The names of the apis in `region`, with their route keys.
fn apis_in(workspace: &Workspace, region: &str) -> Vec<(String, Vec<String>)> {
    workspace
        .aws_in(region)
        .apis()
        .into_iter()
        .map(|api| (api.name, api.route_keys))
        .collect()
}

fn api(name: &str, routes: &[&str]) -> (String, Vec<String>) {
    (
        name.to_owned(),
        routes.iter().map(|route| (*route).to_owned()).collect(),
    )
}

#[test]
fn an_aliased_provider_manages_its_resources_in_its_region() {
    let workspace = Workspace::empty("provider-alias");
    workspace.write("main.hcl", TWO_REGIONS);
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    insta::assert_snapshot!("alias_create", plan.stdout);

    workspace.converge();
    assert_eq!(apis_in(&workspace, REGION), [api("home", &[])]);
    assert_eq!(apis_in(&workspace, WEST), [api("away", &["GET /away"])]);
    let away = workspace.state_values("aws_apigatewayv2_api.away");
    assert_eq!(away["region"], WEST);
    assert!(
        away["arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:apigateway:us-west-2::/apis/"),
        "{away}"
    );

    // Without `provider`, the api and its route belong in the default region: both are replaced,
    // deleted where they were and created where they now belong.
    workspace.edit("main.hcl", "  provider      = aws.west\n", "");
    workspace.edit("main.hcl", "  provider  = aws.west\n", "");
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    insta::assert_snapshot!("alias_move_home", workspace.redact_state_ids(&plan.stdout));
    workspace.converge();
    assert_eq!(apis_in(&workspace, WEST), []);
    assert_eq!(
        apis_in(&workspace, REGION),
        [api("away", &["GET /away"]), api("home", &[])]
    );
}

#[test]
fn region_on_a_resource_overrides_its_provider_and_destroy_finds_it_there() {
    let workspace = Workspace::empty("resource-region");
    workspace.write(
        "main.hcl",
        r#"
variable "region" {
  type    = string
  default = "ap-southeast-2"
}

resource "aws_apigatewayv2_api" "far" {
  region        = var.region
  name          = "far"
  protocol_type = "WEBSOCKET"

  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_model" "far" {
  region       = var.region
  api_id       = aws_apigatewayv2_api.far.id
  content_type = "application/json"
  name         = "far"
  schema       = jsonencode({ type = "object" })
}
"#,
    );
    workspace.converge();
    assert_eq!(apis_in(&workspace, "ap-southeast-2"), [api("far", &[])]);
    assert_eq!(apis_in(&workspace, REGION), []);

    // The region can come from a variable; destroy deletes where the state says the objects are,
    // whatever the configuration says now.
    workspace.write("main.hcl", "");
    let destroy = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(
        destroy
            .stdout
            .contains("Apply complete! Resources: 0 added, 0 changed, 2 destroyed.\n"),
        "{}",
        destroy.stdout
    );
    assert_eq!(apis_in(&workspace, "ap-southeast-2"), []);
}

#[test]
fn a_module_given_an_aliased_provider_creates_everything_in_its_region() {
    let workspace = Workspace::empty("module-providers");
    workspace.write(
        "main.hcl",
        r#"
provider "aws" {
  alias  = "west"
  region = "us-west-2"

  default_tags {
    tags = { team = "west" }
  }
}

module "home" {
  source = "./api"
  name   = "home"
}

module "away" {
  source    = "./api"
  name      = "away"
  providers = { aws = aws.west }
}
"#,
    );
    workspace.write(
        "api/main.hcl",
        r#"
variable "name" {
  type = string
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "this" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "GET /${var.name}"
}
"#,
    );
    workspace.converge();
    assert_eq!(apis_in(&workspace, REGION), [api("home", &["GET /home"])]);
    assert_eq!(apis_in(&workspace, WEST), [api("away", &["GET /away"])]);
    // The aliased configuration's default tags go with it, and only with it.
    let tags = |module: &str| {
        workspace.state_values(&format!("module.{module}.aws_apigatewayv2_api.this"))["tags_all"]
            .clone()
    };
    assert_eq!(tags("away"), serde_json::json!({ "team": "west" }));
    assert_eq!(tags("home"), serde_json::Value::Null);

    // A data source reads in its provider configuration's region.
    let main = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    workspace.write(
        "main.hcl",
        &format!(
            "{main}\ndata \"aws_apigatewayv2_apis\" \"away\" {{\n  provider = aws.west\n}}\n\noutput \"away\" {{\n  value = data.aws_apigatewayv2_apis.away.ids\n}}\n"
        ),
    );
    workspace.converge();
    let output = workspace
        .run_offline(&["-C", "DIR", "output", "away", "--json"])
        .expect_code(0);
    let away = workspace.state_values("module.away.aws_apigatewayv2_api.this");
    assert_eq!(
        output.stdout,
        format!("[\"{}\"]\n", away["id"].as_str().unwrap())
    );
}

#[test]
fn an_import_id_may_name_the_region_after_an_at_sign() {
    let workspace = Workspace::empty("import-region");
    let id = workspace.aws_in(WEST).create_http_api("elsewhere");
    workspace.write(
        "main.hcl",
        r#"
resource "aws_apigatewayv2_api" "elsewhere" {
  region        = "us-west-2"
  name          = "elsewhere"
  protocol_type = "HTTP"
}
"#,
    );
    // The resource's `region` says where to look.
    workspace
        .run(&["import", "aws_apigatewayv2_api.elsewhere", &id, "DIR"])
        .expect_code(0);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    // `ID@REGION` says it for a resource configured elsewhere; the plan then moves it.
    std::fs::remove_file(workspace.state_path()).unwrap();
    workspace.edit("main.hcl", "  region        = \"us-west-2\"\n", "");
    let wrong = workspace
        .run(&["import", "aws_apigatewayv2_api.elsewhere", &id, "DIR"])
        .expect_code(1);
    assert_eq!(
        wrong.stderr,
        format!(
            "aws_apigatewayv2_api.elsewhere: Importing from ID \"{id}\"...\n\
             error: there is no aws_apigatewayv2_api with id `{id}` in {REGION} (an object in another region is imported as `ID@REGION`)\n"
        )
    );
    workspace
        .run(&[
            "import",
            "aws_apigatewayv2_api.elsewhere",
            &format!("{id}@{WEST}"),
            "DIR",
        ])
        .expect_code(0);
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("Plan: 1 to add, 0 to change, 1 to destroy.\n"),
        "{}",
        plan.stdout
    );
}

#[test]
fn a_state_from_before_regions_were_recorded_is_in_the_default_region() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    let connection = rusqlite::Connection::open(workspace.state_path()).unwrap();
    let stripped = connection
        .execute(
            "UPDATE resources SET attributes = json_remove(attributes, '$.region')",
            [],
        )
        .unwrap();
    assert_eq!(stripped, 2);
    drop(connection);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode", "--refresh=false"])
        .expect_code(0);
}

#[test]
fn provider_mistakes_are_errors_with_hints() {
    let workspace = Workspace::empty("provider-mistakes");
    workspace.write(
        "main.hcl",
        r#"
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

provider "aws" {
  alias  = "west"
  region = "us-west-1"
}

provider "aws" {
  alias  = "moon"
  region = "moon-base"
}

resource "aws_apigatewayv2_api" "east" {
  provider      = aws.east
  name          = "east"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_api" "quoted" {
  provider      = "aws.west"
  name          = "quoted"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_api" "google" {
  provider      = google.west
  name          = "google"
  protocol_type = "HTTP"
}

module "api" {
  source    = "./api"
  providers = { aws = aws.north }
}

resource "aws_apigatewayv2_api" "home" {
  name          = "home"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "astray" {
  region    = "us-east-2"
  api_id    = aws_apigatewayv2_api.home.id
  route_key = "GET /astray"
}
"#,
    );
    workspace.write(
        "api/main.hcl",
        r#"
provider "aws" {
  region = "eu-central-1"
}

resource "aws_apigatewayv2_api" "this" {
  provider      = aws.inner
  name          = "inner"
  protocol_type = "HTTP"
}
"#,
    );
    let validate = workspace.run(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!("provider_mistakes", validate.stderr);
}
