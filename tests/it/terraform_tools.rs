//! Tools written for Terraform's JSON read gateform's, unchanged. The tools are the real ones,
//! pinned below and installed by the harness into venvs under the target directory, as moto is:
//!
//! - Checkov reads a file as a plan only when it has `terraform_version` and `planned_values`;
//!   it checks each resource's values in `planned_values` (root and `child_modules`), and follows
//!   `configuration`'s `references` for the checks that connect resources.
//! - terraform-compliance refuses a `format_version` or a `terraform_version` it does not know;
//!   it reads `planned_values`, `resource_changes`, `configuration` and `variables`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::harness::{Workspace, copy_dir, fixture_dir, install_venv};

/// The Checkov release the tests run.
const CHECKOV: &str = "checkov==3.3.30";

/// The terraform-compliance release the tests run.
const TERRAFORM_COMPLIANCE: &str = "terraform-compliance==1.16.0";

/// Every fixture that loads, by a name without slashes, with its directory under fixtures/.
fn loading_fixtures() -> Vec<(String, String)> {
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(fixture_dir("")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("invalid-") {
            continue;
        }
        if name != "real-world" {
            fixtures.push((name.clone(), name));
            continue;
        }
        for entry in std::fs::read_dir(fixture_dir("real-world")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            fixtures.push((
                format!("real-world-{name}"),
                format!("real-world/{name}/gateform"),
            ));
        }
    }
    fixtures.sort();
    fixtures
}

/// A failed check: the fixture, the check's id, and the resource without instance keys (Checkov
/// names a module's resources without them when it reads HCL).
type Finding = (String, String, String);

/// The failed checks of Checkov's JSON report on API Gateway v2 resources, by fixture: the first
/// part of each file's path.
fn failed_checks(report: &str) -> BTreeSet<Finding> {
    let report: serde_json::Value = serde_json::from_str(report)
        .unwrap_or_else(|error| panic!("Checkov's report is not JSON ({error}):\n{report}"));
    let keys = regex::Regex::new(r"\[[^\]]*\]").unwrap();
    report["results"]["failed_checks"]
        .as_array()
        .expect("Checkov ran checks")
        .iter()
        .filter(|check| check["resource"].as_str().unwrap().contains("apigatewayv2"))
        .map(|check| {
            let file = check["file_path"].as_str().unwrap().trim_start_matches('/');
            let fixture = file.split('/').next().unwrap().trim_end_matches(".json");
            let resource = keys.replace_all(check["resource"].as_str().unwrap(), "");
            let id = check["check_id"].as_str().unwrap();
            (fixture.to_owned(), id.to_owned(), resource.into_owned())
        })
        .collect()
}

fn checkov(venv: &Path, dir: &Path, args: &[&str]) -> String {
    let output = Command::new(venv.join("bin/checkov"))
        .current_dir(dir)
        .args(args)
        .args(["--output", "json", "--quiet", "--skip-download"])
        .output()
        .expect("run checkov");
    String::from_utf8(output.stdout).unwrap()
}

fn finding(fixture: &str, check: &str, resource: &str) -> Finding {
    (fixture.to_owned(), check.to_owned(), resource.to_owned())
}

#[test]
fn checkov_finds_the_same_failed_checks_in_the_json_plan_as_in_the_hcl() {
    let venv = install_venv("checkov-venv", CHECKOV);
    let scratch = tempfile::tempdir().unwrap();
    let (hcl, plans) = (scratch.path().join("hcl"), scratch.path().join("plans"));
    std::fs::create_dir_all(&plans).unwrap();
    for (name, fixture) in loading_fixtures() {
        std::fs::create_dir_all(hcl.join(&name)).unwrap();
        copy_dir(&fixture_dir(&fixture), &hcl.join(&name));
        let workspace = Workspace::new(&fixture);
        let plan = workspace
            .run(&["plan", "DIR", "--refresh=false", "--format", "json"])
            .expect_code(0);
        std::fs::write(plans.join(format!("{name}.json")), plan.stdout).unwrap();
    }
    let from_hcl = failed_checks(&checkov(
        &venv,
        &hcl,
        &["-d", ".", "--framework", "terraform"],
    ));
    let mut files: Vec<String> = std::fs::read_dir(&plans)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut args: Vec<&str> = files
        .iter()
        .flat_map(|file| ["-f", file.as_str()])
        .collect();
    args.extend(["--framework", "terraform_plan"]);
    let from_plans = failed_checks(&checkov(&venv, &plans, &args));

    // Where Checkov's reading of the HCL is not what the configuration plans, the plan is right:
    // a module called with `create = false` makes no route, and Checkov's HCL reader does not
    // evaluate `each.value.authorizer == null ? "NONE" : "JWT"` for the routes without one.
    let only_in_hcl = BTreeSet::from([finding(
        "real-world-vendored-apigateway-module",
        "CKV_AWS_309",
        "module.disabled.aws_apigatewayv2_route.this",
    )]);
    let only_in_plans = BTreeSet::from([finding(
        "real-world-company-http-api-module",
        "CKV_AWS_309",
        "module.http_api.aws_apigatewayv2_route.this",
    )]);
    let missing: BTreeSet<&Finding> = from_hcl.difference(&from_plans).collect();
    let extra: BTreeSet<&Finding> = from_plans.difference(&from_hcl).collect();
    assert_eq!(
        (missing, extra),
        (only_in_hcl.iter().collect(), only_in_plans.iter().collect()),
        "the failed checks differ between the HCL and the JSON plans"
    );
    // Each kind of check gateform's fixtures fail, in the root module and in child modules.
    for expected in [
        finding(
            "http-stages",
            "CKV_AWS_76",
            "aws_apigatewayv2_stage.default",
        ),
        finding(
            "seed-route-basic",
            "CKV_AWS_309",
            "aws_apigatewayv2_route.example",
        ),
        finding(
            "module-per-api",
            "CKV_AWS_309",
            "module.public.aws_apigatewayv2_route.this",
        ),
        finding(
            "real-world-serverless-websocket-chat",
            "CKV2_AWS_51",
            "aws_apigatewayv2_stage.chat",
        ),
    ] {
        assert!(
            from_plans.contains(&expected),
            "Checkov did not find {expected:?} in the plans"
        );
    }
    assert!(from_plans.len() > 40, "{from_plans:#?}");
}

/// terraform-compliance's run of one feature on a JSON file: its exit code and its report.
fn compliance(venv: &Path, plan: &Path, feature: &str) -> (i32, String) {
    let features = tempfile::tempdir().unwrap();
    std::fs::write(features.path().join("routes.feature"), feature).unwrap();
    let output = Command::new(venv.join("bin/terraform-compliance"))
        .arg("--planfile")
        .arg(plan)
        .arg("--features")
        .arg(features.path())
        .arg("--no-ansi")
        .output()
        .expect("run terraform-compliance");
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), report)
}

const AUTHORIZED_ROUTES: &str = "\
Feature: Every route says who may call it
  Scenario: A route's authorization type is not NONE
    Given I have aws_apigatewayv2_route defined
    Then it must contain authorization_type
    And its value must not be NONE
";

#[test]
fn terraform_compliance_reads_the_json_plan_and_the_state() {
    let venv = install_venv("terraform-compliance-venv", TERRAFORM_COMPLIANCE);
    let scratch = tempfile::tempdir().unwrap();
    let plan_of = |fixture: &str| {
        let workspace = Workspace::new(fixture);
        let plan = workspace
            .run(&["plan", "DIR", "--refresh=false", "--format", "json"])
            .expect_code(0);
        let path = scratch.path().join(format!("{fixture}.json"));
        std::fs::write(&path, plan.stdout).unwrap();
        path
    };

    let (code, report) = compliance(&venv, &plan_of("http-authorizers"), AUTHORIZED_ROUTES);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("1 scenarios (1 passed)"), "{report}");

    // In a child module, per instance, with the addresses Terraform gives them.
    let (_, report) = compliance(&venv, &plan_of("module-per-api"), AUTHORIZED_ROUTES);
    assert!(
        report.contains("1 scenarios (0 passed, 1 failed)"),
        "{report}"
    );
    assert!(
        report.contains(
            r#"authorization_type property in module.public.aws_apigatewayv2_route.this["POST /orders/1"] resource matches with ^NONE$"#
        ),
        "{report}"
    );

    // The state, as `show --json` prints it after an apply.
    let workspace = Workspace::new("seed-route-basic");
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let state = scratch.path().join("state.json");
    std::fs::write(
        &state,
        workspace.run_offline(&["show", "DIR", "--json"]).stdout,
    )
    .unwrap();
    let (_, report) = compliance(&venv, &state, AUTHORIZED_ROUTES);
    assert!(
        report.contains("authorization_type property in aws_apigatewayv2_route.example resource matches with ^NONE$ case insensitive regex. It is set to NONE."),
        "{report}"
    );
}

#[test]
fn the_configuration_of_the_json_plan_follows_providers_into_modules() {
    let workspace = Workspace::new("real-world/multi-region-aliases/gateform");
    let plan = workspace
        .run(&["plan", "DIR", "--refresh=false", "--format", "json"])
        .expect_code(0);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let configuration = &plan["configuration"];
    assert_eq!(
        configuration["provider_config"]["aws.west"]["expressions"]["region"],
        serde_json::json!({"constant_value": "us-west-2"})
    );
    for (call, key) in [("east", "aws.east"), ("west", "aws.west")] {
        let module = &configuration["root_module"]["module_calls"][call]["module"];
        let api = module["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|resource| resource["address"] == "aws_apigatewayv2_api.this")
            .unwrap();
        assert_eq!(api["provider_config_key"], key, "{call}");
    }
    // References, with every prefix down to the object they name, as Terraform lists them.
    let route = configuration["root_module"]["module_calls"]["east"]["module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["type"] == "aws_apigatewayv2_route")
        .unwrap();
    assert_eq!(
        route["expressions"]["api_id"],
        serde_json::json!({"references": ["aws_apigatewayv2_api.this.id", "aws_apigatewayv2_api.this"]})
    );
}

/// A module call given only its source has no `expressions`, as Terraform leaves the key out
/// (terraform show -json of such a plan, tried with Terraform 1.11).
#[test]
fn a_module_call_without_arguments_has_no_expressions() {
    let workspace = Workspace::empty("bare-call");
    workspace.write("main.hcl", "module \"api\" {\n  source = \"./api\"\n}\n");
    workspace.write(
        "api/main.hcl",
        "resource \"aws_apigatewayv2_api\" \"this\" {\n  name          = \"bare\"\n  protocol_type = \"HTTP\"\n}\n",
    );
    let plan = workspace
        .run(&["plan", "DIR", "--refresh=false", "--format", "json"])
        .expect_code(0);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let call = &plan["configuration"]["root_module"]["module_calls"]["api"];
    assert_eq!(call["source"], "./api");
    assert_eq!(call.get("expressions"), None, "{call}");
    let api = &call["module"]["resources"][0];
    assert_eq!(
        api["expressions"]["name"],
        serde_json::json!({"constant_value": "bare"})
    );
}
