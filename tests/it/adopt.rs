//! Adopting what already exists: `plan --generate-config-out` writes the resource blocks of
//! objects that `import` blocks bring in (the 13 kinds are in round_trip.rs, one per subject).

use crate::harness::Workspace;

/// An api with an integration and a route, made with the SDK: (api id, integration id, route id).
fn make_orders_api(workspace: &Workspace) -> (String, String, String) {
    let aws = workspace.aws();
    let client = aws.client();
    aws.block_on(async {
        let api = client
            .create_api()
            .name("orders")
            .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
            .send()
            .await
            .unwrap();
        let api_id = api.api_id().unwrap().to_owned();
        let integration = client
            .create_integration()
            .api_id(&api_id)
            .integration_type(aws_sdk_apigatewayv2::types::IntegrationType::HttpProxy)
            .integration_method("GET")
            .integration_uri("https://orders.example.com/{proxy}")
            .send()
            .await
            .unwrap();
        let integration_id = integration.integration_id().unwrap().to_owned();
        let route = client
            .create_route()
            .api_id(&api_id)
            .route_key("GET /orders/{proxy+}")
            .target(format!("integrations/{integration_id}"))
            .send()
            .await
            .unwrap();
        (api_id, integration_id, route.route_id().unwrap().to_owned())
    })
}

#[test]
fn generate_config_out_writes_the_blocks_and_the_next_plan_only_imports() {
    let workspace = Workspace::empty("adopt");
    let (api, integration, route) = make_orders_api(&workspace);
    workspace.write(
        "imports.tf",
        &format!(
            r#"import {{
  to = aws_apigatewayv2_api.orders
  id = "{api}"
}}

import {{
  to = aws_apigatewayv2_integration.orders
  id = "{api}/{integration}"
}}

import {{
  to = aws_apigatewayv2_route.get_orders
  id = "{api}/{route}"
}}
"#
        ),
    );
    // Without the flag, an import block needs its resource block.
    let refused = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert!(
        refused.stderr.contains(
            "hint: declare it with `resource \"aws_apigatewayv2_route\" \"get_orders\" { ... }`, fix the `to` address, or let `gateform plan --generate-config-out=FILE` write the block\n"
        ),
        "{}",
        refused.stderr
    );
    let plan = workspace
        .run(&["plan", "DIR", "-generate-config-out=adopt/generated.tf"])
        .expect_code(0);
    assert!(
        plan.stdout
            .contains("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.\n"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.ends_with(&format!(
            "\ngateform has generated configuration and written it to {}. Please review the configuration and edit it as necessary before adding it to version control.\n",
            "adopt/generated.tf"
        )),
        "{}",
        plan.stdout
    );
    assert_eq!(
        std::fs::read_to_string(workspace.file("generated.tf")).unwrap(),
        format!(
            r#"# __generated__ by gateform
# Please review these resources and move them into your main configuration files.

# __generated__ by gateform from "{api}"
resource "aws_apigatewayv2_api" "orders" {{
  name          = "orders"
  protocol_type = "HTTP"
}}

# __generated__ by gateform from "{api}/{integration}"
resource "aws_apigatewayv2_integration" "orders" {{
  api_id               = aws_apigatewayv2_api.orders.id
  integration_method   = "GET"
  integration_type     = "HTTP_PROXY"
  integration_uri      = "https://orders.example.com/{{proxy}}"
  timeout_milliseconds = 30000
}}

# __generated__ by gateform from "{api}/{route}"
resource "aws_apigatewayv2_route" "get_orders" {{
  api_id    = aws_apigatewayv2_api.orders.id
  route_key = "GET /orders/{{proxy+}}"
  target    = "integrations/${{aws_apigatewayv2_integration.orders.id}}"
}}
"#
        )
    );
    workspace.converge();
    assert_eq!(
        workspace.state_id("aws_apigatewayv2_route.get_orders"),
        route
    );
    assert_eq!(workspace.aws().apis().len(), 1);
}

#[test]
fn generate_config_out_writes_only_a_new_file_the_plan_reads() {
    let workspace = Workspace::empty("adopt");
    let (api, _, _) = make_orders_api(&workspace);
    workspace.write(
        "imports.tf",
        &format!("import {{\n  to = aws_apigatewayv2_api.orders\n  id = \"{api}\"\n}}\n"),
    );
    let error = |flag: &str| {
        let run = workspace.run(&["plan", "DIR", flag]).expect_code(1);
        assert_eq!(run.stdout, "");
        run.stderr
    };
    assert_eq!(
        error("--generate-config-out=generated.tf"),
        format!(
            "error: --generate-config-out must name a new .tf file in the configuration directory `adopt`, where the plan reads it: such as --generate-config-out=adopt/generated.tf\n"
        )
    );
    assert_eq!(
        error("--generate-config-out=adopt/generated.txt"),
        format!(
            "error: --generate-config-out must name a new .tf file in the configuration directory `adopt`, where the plan reads it: such as --generate-config-out=adopt/generated.tf\n"
        )
    );
    assert_eq!(
        error("--generate-config-out=adopt/imports.tf"),
        format!(
            "error: the --generate-config-out file `adopt/imports.tf` already exists: gateform writes generated configuration only into a new file; choose another name, or move what it holds into your configuration and delete it\n"
        )
    );
    // An import into a module, or into an instance, has no block of its own to write.
    workspace.write(
        "imports.tf",
        &format!("import {{\n  to = aws_apigatewayv2_api.orders[\"eu\"]\n  id = \"{api}\"\n}}\n"),
    );
    let keyed = error("--generate-config-out=adopt/generated.tf");
    assert!(
        keyed.starts_with(
            "error: cannot generate configuration for `aws_apigatewayv2_api.orders[\"eu\"]`: only a resource of the root module without `count` or `for_each` can be generated\n"
        ),
        "{keyed}"
    );
    assert!(!workspace.file("generated.tf").exists());
    // With nothing to generate, nothing is written.
    workspace.write(
        "imports.tf",
        "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n}\n",
    );
    let plan = workspace
        .run(&["plan", "DIR", "--generate-config-out=adopt/generated.tf"])
        .expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(!workspace.file("generated.tf").exists());
}
