//! `gateform migrate terraform`: a Terraform state's API Gateway v2 objects taken into
//! gateform's state at their addresses, with no AWS call; the plan after it is empty.

use crate::harness::Workspace;

const STAGE: &str = r#"resource "aws_apigatewayv2_stage" "live" {
  api_id      = module.public.api_id
  name        = "live"
  auto_deploy = true
  tags = {
    team = "edge"
  }
}
"#;

/// What Terraform's state records beside API Gateway: another kind's resource and a data
/// source, which stay Terraform's.
fn with_other_resources(mut state: serde_json::Value) -> serde_json::Value {
    let provider = "provider[\"registry.terraform.io/hashicorp/aws\"]";
    let resources = state["resources"].as_array_mut().unwrap();
    resources.push(serde_json::json!({
        "mode": "managed", "type": "aws_lambda_function", "name": "handler", "provider": provider,
        "instances": [{"schema_version": 0, "attributes": {"id": "handler", "function_name": "handler"}}],
    }));
    resources.push(serde_json::json!({
        "mode": "data", "type": "aws_caller_identity", "name": "current", "provider": provider,
        "instances": [{"schema_version": 0, "attributes": {"id": "123456789012"}}],
    }));
    state
}

#[test]
fn a_terraform_state_migrates_and_the_next_plan_is_empty() {
    let workspace = Workspace::new("module-per-api");
    workspace.write("stage.hcl", STAGE);
    workspace.converge();
    let managed = workspace.state_resources();
    let calls = workspace.aws().apis().len();
    // Terraform's record of these objects: Terraform's state format, as `state pull` writes it.
    let chdir = format!("-chdir={}", workspace.dir.display());
    let pulled = workspace
        .run_offline(&[&chdir, "state", "pull"])
        .expect_code(0)
        .stdout;
    let terraform = with_other_resources(serde_json::from_str(&pulled).unwrap());
    let source = workspace.file("terraform.tfstate");
    std::fs::write(&source, terraform.to_string()).unwrap();
    std::fs::remove_file(workspace.file("gateform.db")).unwrap();

    let migrate = workspace
        .run_offline(&["migrate", "terraform", source.to_str().unwrap(), "DIR"])
        .expect_code(0);
    let count = managed.len();
    assert!(
        migrate.stdout.starts_with(&format!(
            "Migrated {count} resource instance(s) from `{}` into gateform's state, without any change in AWS:\n",
            source.display()
        )),
        "{}",
        migrate.stdout
    );
    assert!(
        migrate.stdout.contains(
            "\nLeft to Terraform, as gateform manages only API Gateway v2: 1 resource(s):\n  aws_lambda_function.handler\n"
        ),
        "{}",
        migrate.stdout
    );
    assert!(
        migrate.stdout.contains(
            "  terraform state rm 'aws_apigatewayv2_stage.live' 'module.internal.aws_apigatewayv2_api.this' 'module.internal.aws_apigatewayv2_integration.this' 'module.internal.aws_apigatewayv2_route.this' 'module.public.aws_apigatewayv2_api.this' 'module.public.aws_apigatewayv2_integration.this' 'module.public.aws_apigatewayv2_route.this'\n"
        ),
        "{}",
        migrate.stdout
    );
    // Every argument as Terraform recorded it, at the same addresses. Terraform records what a
    // resource depends on by resource, so an instance now waits for every instance of each.
    let migrated = workspace.state_resources();
    assert_eq!(migrated.len(), managed.len());
    for (migrated, managed) in migrated.iter().zip(&managed) {
        let without = |resource: &serde_json::Value| {
            let mut resource = resource.clone();
            resource.as_object_mut().unwrap().remove("depends_on");
            resource
        };
        assert!(
            without(migrated) == without(managed),
            "{}",
            managed["address"]
        );
        let waits = |resource: &serde_json::Value| -> Vec<String> {
            let each = resource["depends_on"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            each.iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect()
        };
        let before = waits(managed);
        assert!(
            before
                .iter()
                .all(|address| waits(migrated).contains(address)),
            "{} waited for {before:?}",
            managed["address"]
        );
    }
    for resource in terraform["resources"].as_array().unwrap() {
        if !resource["type"]
            .as_str()
            .unwrap()
            .starts_with("aws_apigatewayv2_")
        {
            continue;
        }
        for instance in resource["instances"].as_array().unwrap() {
            let shown = managed
                .iter()
                .find(|shown| shown["values"]["id"] == instance["attributes"]["id"])
                .unwrap();
            for (name, value) in instance["attributes"].as_object().unwrap() {
                assert_eq!(&shown["values"][name], value, "{} {name}", shown["address"]);
            }
        }
    }
    // Nothing changed in AWS, and reading every object from it finds nothing to do.
    assert_eq!(workspace.aws().apis().len(), calls);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    // Migrating again is refused, and records nothing.
    let again = workspace
        .run_offline(&["migrate", "terraform", source.to_str().unwrap(), "DIR"])
        .expect_code(1);
    assert!(
        again
            .stderr
            .starts_with("error: gateform's state already records `aws_apigatewayv2_stage.live`, "),
        "{}",
        again.stderr
    );
    assert_eq!(workspace.state_resources().len(), managed.len());
    // The same object at another address is refused too: two addresses, one object, and the
    // next plan would destroy it at one of them.
    workspace
        .run_offline(&[
            &chdir,
            "state",
            "mv",
            "aws_apigatewayv2_stage.live",
            "aws_apigatewayv2_stage.moved",
        ])
        .expect_code(0);
    let moved = workspace
        .run_offline(&["migrate", "terraform", source.to_str().unwrap(), "DIR"])
        .expect_code(1);
    assert!(
        moved.stderr.starts_with(
            "error: gateform's state already records `aws_apigatewayv2_stage.live`'s object, at `aws_apigatewayv2_stage.moved`, "
        ),
        "{}",
        moved.stderr
    );
}

#[test]
fn what_is_not_a_terraform_state_of_format_4_is_refused() {
    let workspace = Workspace::empty("not-terraform");
    for (text, error) in [
        (
            "{\"version\": 3, \"modules\": []}",
            "a Terraform state of format 3; gateform migrates format 4 (Terraform 0.12 and later): run `terraform apply` with a newer Terraform first",
        ),
        (
            "not json",
            "not a Terraform state file (expected ident at line 1 column 2)",
        ),
        (
            "{\"version\": 4, \"resources\": []}",
            "records no aws_apigatewayv2_* resource: nothing to migrate",
        ),
    ] {
        workspace.write("terraform.tfstate", text);
        let source = workspace.file("terraform.tfstate");
        let run = workspace
            .run_offline(&["migrate", "terraform", source.to_str().unwrap(), "DIR"])
            .expect_code(1);
        assert!(run.stderr.contains(error), "{text}: {}", run.stderr);
        assert!(
            !workspace.file("gateform.db").exists(),
            "nothing was recorded"
        );
    }
}

/// Where Terraform's s3 backend keeps it: read from the bucket with the AWS environment's
/// credentials and endpoint (moto's S3 here).
#[test]
fn a_terraform_state_in_s3_migrates() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    let chdir = format!("-chdir={}", workspace.dir.display());
    let pulled = workspace
        .run_offline(&[&chdir, "state", "pull"])
        .expect_code(0)
        .stdout;
    workspace
        .aws()
        .put_object("team-states", "api/terraform.tfstate", &pulled);
    std::fs::remove_file(workspace.file("gateform.db")).unwrap();
    let missing = workspace
        .run(&[
            "migrate",
            "terraform",
            "s3://team-states/nope.tfstate",
            "DIR",
        ])
        .expect_code(1);
    assert_eq!(
        missing.stderr,
        "error: there is no Terraform state at `s3://team-states/nope.tfstate`\n"
    );
    let migrate = workspace
        .run(&[
            "migrate",
            "terraform",
            "s3://team-states/api/terraform.tfstate",
            "DIR",
        ])
        .expect_code(0);
    assert!(
        migrate.stdout.starts_with(
            "Migrated 2 resource instance(s) from `s3://team-states/api/terraform.tfstate` into gateform's state, without any change in AWS:\n"
        ),
        "{}",
        migrate.stdout
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

/// What the recorded server reports of the objects fixtures/terraform-migration's state records.
const SHOP: &[(&str, &str)] = &[
    ("POST /", crate::recorded::CALLER_IDENTITY),
    (
        "GET /v2/apis",
        r#"{"items": [{"apiId": "a1b2c3d4e5", "name": "shop", "protocolType": "HTTP",
            "description": "The shop's public API",
            "apiEndpoint": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
            "apiKeySelectionExpression": "$request.header.x-api-key",
            "routeSelectionExpression": "$request.method $request.path",
            "disableExecuteApiEndpoint": false, "ipAddressType": "ipv4",
            "corsConfiguration": {"allowMethods": ["GET", "POST"],
                "allowOrigins": ["https://shop.example.com"], "maxAge": 300},
            "tags": {"team": "shop"}}]}"#,
    ),
    (
        "GET /v2/apis/a1b2c3d4e5",
        r#"{"apiId": "a1b2c3d4e5", "name": "shop", "protocolType": "HTTP",
            "apiEndpoint": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"}"#,
    ),
    (
        "GET /v2/apis/a1b2c3d4e5/integrations",
        r#"{"items": [{"integrationId": "int0001", "integrationType": "HTTP_PROXY",
            "integrationMethod": "ANY", "integrationUri": "https://orders.example.com",
            "payloadFormatVersion": "1.0", "timeoutInMillis": 30000,
            "connectionType": "INTERNET"}]}"#,
    ),
    (
        "GET /v2/apis/a1b2c3d4e5/routes",
        r#"{"items": [
            {"routeId": "rt00001", "routeKey": "GET /orders", "operationName": "list",
             "target": "integrations/int0001", "authorizationType": "NONE", "apiKeyRequired": false},
            {"routeId": "rt00002", "routeKey": "POST /orders", "operationName": "create",
             "target": "integrations/int0001", "authorizationType": "NONE", "apiKeyRequired": false},
            {"routeId": "rt00003", "routeKey": "GET /orders/{id}", "operationName": "get",
             "target": "integrations/int0001", "authorizationType": "NONE", "apiKeyRequired": false}]}"#,
    ),
    (
        "GET /v2/apis/a1b2c3d4e5/stages",
        r#"{"items": [{"stageName": "canary", "autoDeploy": false,
            "defaultRouteSettings": {"detailedMetricsEnabled": false},
            "routeSettings": {"GET /orders": {"throttlingBurstLimit": 10, "throttlingRateLimit": 5.0}}},
            {"stageName": "live", "autoDeploy": true, "deploymentId": "dep0001",
            "defaultRouteSettings": {"detailedMetricsEnabled": false,
                "throttlingBurstLimit": 100, "throttlingRateLimit": 50.0},
            "tags": {"team": "shop"}}]}"#,
    ),
];

/// A state Terraform wrote (by hand, in Terraform 1.11's format with the AWS provider 5.x's
/// attribute names and unset values; Terraform itself reads it: tests/oracle/migrate.sh) of a
/// configuration with an api, routes with for_each in a module, and two stages. It migrates at
/// the addresses Terraform lists, with its outputs; the plan is empty; and `show --json` has
/// every value the Terraform state has.
#[test]
fn recorded_a_state_terraform_wrote_migrates_at_its_addresses_with_its_values() {
    let workspace = Workspace::new("terraform-migration");
    let source = workspace.file("terraform.tfstate");
    let migrate = workspace
        .run_offline(&["migrate", "terraform", source.to_str().unwrap(), "DIR"])
        .expect_code(0);
    assert!(
        migrate.stdout.starts_with(&format!(
            "Migrated 7 resource instance(s) from `{}` into gateform's state, without any change in AWS:\n",
            source.display()
        )),
        "{}",
        migrate.stdout
    );
    let chdir = format!("-chdir={}", workspace.dir.display());
    let oracle = |name: &str| {
        let path = crate::harness::fixture_dir("terraform-migration")
            .join("../../tests/oracle/migrate")
            .join(name);
        std::fs::read_to_string(path).unwrap()
    };
    let listed = workspace
        .run_offline(&[&chdir, "state", "list"])
        .expect_code(0)
        .stdout;
    assert_eq!(listed, oracle("state-list.txt"));
    let outputs = workspace
        .run_offline(&[
            "output",
            "--json",
            "--state",
            workspace.state_path().to_str().unwrap(),
        ])
        .expect_code(0)
        .stdout;
    let outputs: serde_json::Value = serde_json::from_str(&outputs).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&oracle("outputs.json")).unwrap();
    assert_eq!(outputs["endpoint"]["value"], expected["endpoint"]);

    let server = crate::recorded::RecordedServer::start(SHOP);
    let plan = workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);

    let terraform: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let mut compared = 0;
    for resource in terraform["resources"].as_array().unwrap() {
        for instance in resource["instances"].as_array().unwrap() {
            let mut address = format!(
                "{}.{}",
                resource["type"].as_str().unwrap(),
                resource["name"].as_str().unwrap()
            );
            if let Some(module) = resource["module"].as_str() {
                address = format!("{module}.{address}");
            }
            if let Some(key) = instance["index_key"].as_str() {
                address = format!("{address}[\"{key}\"]");
            }
            let values = workspace.state_values(&address);
            let kind: gateform::schema::Kind = resource["type"].as_str().unwrap().parse().unwrap();
            let schema = kind.schema();
            for (name, value) in instance["attributes"].as_object().unwrap() {
                assert!(
                    same(schema.attributes, schema.blocks, name, value, &values[name]),
                    "{address}: {name} is {value} in Terraform's state, {} in gateform's",
                    values[name]
                );
                compared += usize::from(!unset(value));
            }
        }
    }
    // Every value Terraform's state holds that is not an unset one.
    assert_eq!(compared, 13 + 7 + 11 + 8 + 3 * 6);
}

/// How Terraform's state says an argument is unset, where gateform's says null: the AWS
/// provider's zero values `""`, `false`, `0`, `[]` and `{}`, and a block of those.
fn unset(value: &serde_json::Value) -> bool {
    use serde_json::Value::{Array, Bool, Null, Number, Object, String};
    match value {
        Null => true,
        Bool(flag) => !flag,
        Number(number) => number.as_f64() == Some(0.0),
        String(text) => text.is_empty(),
        Array(items) => items.iter().all(unset),
        Object(entries) => entries.values().all(unset),
    }
}

/// The same value of `name` (an attribute of `attributes`, or a block of `blocks`) in
/// Terraform's state and gateform's: equal, or unset in Terraform's and unset or at the
/// argument's default in gateform's; block by block, element by element.
fn same(
    attributes: &[gateform::schema::Attribute],
    blocks: &[gateform::schema::BlockSchema],
    name: &str,
    terraform: &serde_json::Value,
    gateform: &serde_json::Value,
) -> bool {
    use serde_json::Value::{Array, Null, Object};
    let default = attributes
        .iter()
        .find(|attribute| attribute.name == name)
        .and_then(|attribute| attribute.default_value().to_json());
    if terraform == gateform
        || (unset(terraform) && (unset(gateform) || default.as_ref() == Some(gateform)))
    {
        return true;
    }
    let Some(block) = blocks.iter().find(|block| block.name == name) else {
        return false;
    };
    let element =
        |terraform: &serde_json::Value, gateform: &serde_json::Value| match (terraform, gateform) {
            (Object(ours), Object(theirs)) => ours.iter().all(|(key, value)| {
                let their = theirs.get(key).unwrap_or(&Null);
                same(block.attributes, block.blocks, key, value, their)
            }),
            _ => false,
        };
    match (terraform, gateform) {
        (Array(ours), Array(theirs)) => {
            ours.len() == theirs.len() && ours.iter().zip(theirs).all(|(a, b)| element(a, b))
        }
        _ => false,
    }
}
