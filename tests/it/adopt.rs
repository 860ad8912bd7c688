//! Adopting what already exists: `plan --generate-config-out` writes the resource blocks of
//! objects that `import` blocks bring in (the 13 kinds are in round_trip.rs, one per subject).

use crate::faults::FaultProxy;
use crate::harness::{Workspace, moto};
use crate::recorded::RecordedServer;

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
        plan.stdout.contains(
            "  # aws_apigatewayv2_route.get_orders will be imported\n  # (config will be generated)\n    resource \"aws_apigatewayv2_route\" \"get_orders\" {\n"
        ),
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
    // Hidden files, override files and JSON files are not what the next plan reads as blocks.
    for name in [
        ".generated.tf",
        "override.tf",
        "edge_override.tf",
        "generated.tf.json",
    ] {
        assert_eq!(
            error(&format!("--generate-config-out=adopt/{name}")),
            "error: --generate-config-out must name a new .tf file in the configuration directory `adopt`, where the plan reads it: such as --generate-config-out=adopt/generated.tf\n",
            "{name}"
        );
    }
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
    // A `to` without a key, for a resource with instances, names none of them.
    workspace.write(
        "imports.tf",
        &format!(
            "resource \"aws_apigatewayv2_api\" \"orders\" {{\n  for_each      = toset([\"eu\"])\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n}}\n\nimport {{\n  to = aws_apigatewayv2_api.orders\n  id = \"{api}\"\n}}\n"
        ),
    );
    for flags in [
        &["plan", "DIR"][..],
        &["plan", "DIR", "--generate-config-out=adopt/generated.tf"],
    ] {
        let keyless = workspace.run(flags).expect_code(1).stderr;
        assert!(
            keyless.starts_with(
                "error: `aws_apigatewayv2_api.orders` has `count` or `for_each`: an import block brings an object to one of its instances\n"
            ),
            "{keyless}"
        );
        assert!(
            keyless.contains(
                "hint: write the instance's key in `to`, such as `aws_apigatewayv2_api.orders[0]` or `aws_apigatewayv2_api.orders[\"key\"]`\n"
            ),
            "{keyless}"
        );
    }
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

/// What [`make_estate`] made, by the ids a test needs.
struct Estate {
    chat: String,
    orders: String,
    authorizer: String,
    send_message: String,
    send_integration: String,
    route_response: String,
    integration_response: String,
}

/// An account as a team has it before gateform, made with the SDK in moto: a WebSocket api
/// with routes, integrations, a route response and an integration response; an HTTP api with
/// a JWT authorizer, 20 routes, 6 integrations (one through a VPC link) and two stages; a
/// domain name with two mappings; a VPC link.
fn make_estate(workspace: &Workspace) -> Estate {
    use aws_sdk_apigatewayv2::types::{
        AuthorizerType, ConnectionType, DomainNameConfiguration, EndpointType, IntegrationType,
        JwtConfiguration, ProtocolType, SecurityPolicy,
    };
    let aws = workspace.aws();
    let client = aws.client();
    aws.block_on(async {
        let chat = client
            .create_api()
            .name("chat")
            .protocol_type(ProtocolType::Websocket)
            .route_selection_expression("$request.body.action")
            .send()
            .await
            .unwrap()
            .api_id()
            .unwrap()
            .to_owned();
        let (mut send_message, mut send_integration) = (String::new(), String::new());
        for route_key in ["$connect", "$disconnect", "sendMessage"] {
            let integration = client
                .create_integration()
                .api_id(&chat)
                .integration_type(IntegrationType::Http)
                .integration_method("POST")
                .integration_uri(format!("https://chat.example.com/{}", route_key.trim_start_matches('$')))
                .send()
                .await
                .unwrap()
                .integration_id()
                .unwrap()
                .to_owned();
            let route = client
                .create_route()
                .api_id(&chat)
                .route_key(route_key)
                .target(format!("integrations/{integration}"))
                .send()
                .await
                .unwrap()
                .route_id()
                .unwrap()
                .to_owned();
            if route_key == "sendMessage" {
                (send_message, send_integration) = (route, integration);
            }
        }
        let route_response = client
            .create_route_response()
            .api_id(&chat)
            .route_id(&send_message)
            .route_response_key("$default")
            .send()
            .await
            .unwrap()
            .route_response_id()
            .unwrap()
            .to_owned();
        let integration_response = client
            .create_integration_response()
            .api_id(&chat)
            .integration_id(&send_integration)
            .integration_response_key("$default")
            .send()
            .await
            .unwrap()
            .integration_response_id()
            .unwrap()
            .to_owned();
        let link = client
            .create_vpc_link()
            .name("orders-link")
            .security_group_ids("sg-1")
            .subnet_ids("subnet-1")
            .send()
            .await
            .unwrap()
            .vpc_link_id()
            .unwrap()
            .to_owned();
        let orders = client
            .create_api()
            .name("orders")
            .protocol_type(ProtocolType::Http)
            .send()
            .await
            .unwrap()
            .api_id()
            .unwrap()
            .to_owned();
        let authorizer = client
            .create_authorizer()
            .api_id(&orders)
            .name("cognito")
            .authorizer_type(AuthorizerType::Jwt)
            .identity_source("$request.header.Authorization")
            .jwt_configuration(
                JwtConfiguration::builder()
                    .audience("orders")
                    .issuer("https://issuer.example.com")
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .authorizer_id()
            .unwrap()
            .to_owned();
        let mut integrations = Vec::new();
        for service in 0..5 {
            let made = client
                .create_integration()
                .api_id(&orders)
                .integration_type(IntegrationType::HttpProxy)
                .integration_method("ANY")
                .integration_uri(format!("https://orders.example.com/service{service}"))
                .payload_format_version("1.0")
                .send()
                .await
                .unwrap();
            integrations.push(made.integration_id().unwrap().to_owned());
        }
        let private = client
            .create_integration()
            .api_id(&orders)
            .integration_type(IntegrationType::HttpProxy)
            .integration_method("ANY")
            .integration_uri(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/orders/50dc6c495c0c9188/0467ef3c8400ae65",
            )
            .connection_type(ConnectionType::VpcLink)
            .connection_id(&link)
            .payload_format_version("1.0")
            .send()
            .await
            .unwrap();
        integrations.push(private.integration_id().unwrap().to_owned());
        for item in 0..20 {
            let mut route = client
                .create_route()
                .api_id(&orders)
                .route_key(format!("GET /items/{item}"))
                .target(format!("integrations/{}", integrations[item % 6]));
            if item % 2 == 0 {
                route = route
                    .authorization_type(aws_sdk_apigatewayv2::types::AuthorizationType::Jwt)
                    .authorizer_id(&authorizer);
            }
            route.send().await.unwrap();
        }
        for stage in ["prod", "staging"] {
            client
                .create_stage()
                .api_id(&orders)
                .stage_name(stage)
                .stage_variables("tier", stage)
                .send()
                .await
                .unwrap();
        }
        client
            .create_domain_name()
            .domain_name("api.example.com")
            .domain_name_configurations(
                DomainNameConfiguration::builder()
                    .certificate_arn("arn:aws:acm:eu-west-1:123456789012:certificate/orders")
                    .endpoint_type(EndpointType::Regional)
                    .security_policy(SecurityPolicy::Tls12)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        for (key, stage) in [("v1", "prod"), ("staging", "staging")] {
            client
                .create_api_mapping()
                .domain_name("api.example.com")
                .api_id(&orders)
                .stage(stage)
                .api_mapping_key(key)
                .send()
                .await
                .unwrap();
        }
        Estate {
            chat,
            orders,
            authorizer,
            send_message,
            send_integration,
            route_response,
            integration_response,
        }
    })
}

/// moto has no GetAuthorizers, GetRouteResponses, GetModels, GetDeployments or
/// ListRoutingRules, nor ImportApi: a proxy in front of it answers those lists with what AWS
/// would report of the objects moto holds, answers ImportApi and what it made from recorded
/// answers (the api among moto's in GetApis), and forwards everything else.
fn lists_moto_lacks(workspace: &Workspace, estate: &Estate) -> FaultProxy {
    let aws = workspace.aws();
    let chat_routes: Vec<String> = aws.block_on(async {
        let routes = aws
            .client()
            .get_routes()
            .api_id(&estate.chat)
            .send()
            .await
            .unwrap();
        routes
            .items()
            .iter()
            .map(|route| route.route_id().unwrap().to_owned())
            .collect()
    });
    let mut answers = vec![
        (
            format!("GET /v2/apis/{}/authorizers", estate.orders),
            format!(
                r#"{{"items": [{{"authorizerId": "{}", "authorizerType": "JWT", "identitySource": ["$request.header.Authorization"], "jwtConfiguration": {{"audience": ["orders"], "issuer": "https://issuer.example.com"}}, "name": "cognito"}}]}}"#,
                estate.authorizer
            ),
        ),
        (
            format!("GET /v2/apis/{}/authorizers", estate.chat),
            r#"{"items": []}"#.to_owned(),
        ),
        (
            "GET /v2/domainnames/api.example.com/routingrules".to_owned(),
            r#"{"routingRules": []}"#.to_owned(),
        ),
    ];
    for api in [&estate.chat, &estate.orders] {
        for list in ["models", "deployments"] {
            answers.push((
                format!("GET /v2/apis/{api}/{list}"),
                r#"{"items": []}"#.to_owned(),
            ));
        }
    }
    for route in chat_routes {
        let items = match route == estate.send_message {
            true => format!(
                r#"[{{"routeResponseId": "{}", "routeResponseKey": "$default"}}]"#,
                estate.route_response
            ),
            false => "[]".to_owned(),
        };
        answers.push((
            format!("GET /v2/apis/{}/routes/{route}/routeresponses", estate.chat),
            format!(r#"{{"items": {items}}}"#),
        ));
    }
    answers.extend(pets_answers());
    FaultProxy::start(&moto().endpoint, Vec::new(), 1)
        .with_answers(answers)
        .with_items(vec![("GET /v2/apis".to_owned(), PETS_API.to_owned())])
}

#[test]
fn discover_with_recorded_lists_moto_lacks_writes_a_configuration_that_only_imports() {
    let workspace = Workspace::empty("estate");
    let estate = make_estate(&workspace);
    let proxy = lists_moto_lacks(&workspace, &estate);
    let through_proxy = |args: &[&str]| {
        workspace.run_with(args, |command| {
            command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
        })
    };
    // The third api is made as SAM and the Serverless Framework make theirs: ImportApi.
    let aws = workspace.aws();
    let imported = aws
        .block_on(
            aws.client_at(&proxy.endpoint)
                .import_api()
                .body(PETS_OPENAPI)
                .send(),
        )
        .unwrap();
    assert_eq!(imported.api_id(), Some("pets1"));
    let discover = through_proxy(&["discover", "--out", "estate/adopted"]).expect_code(0);
    assert_eq!(
        discover.stdout,
        "Discovered 47 objects in eu-west-1: 3 apis, 2 api mappings, 1 authorizer, 1 domain name, 10 integrations, 1 integration response, 24 routes, 1 route response, 3 stages, 1 VPC link.\n\
         Wrote estate/adopted: chat.tf, domains.tf, imports.tf, orders.tf, pets.tf, providers.tf, vpc_links.tf.\n\n\
         Run `gateform plan estate/adopted`: it imports them all and changes nothing. `gateform apply estate/adopted` records them; the import blocks in imports.tf can then be deleted.\n"
    );
    assert_eq!(discover.stderr, "");
    let adopted = workspace.dir.join("adopted");
    let read = |name: &str| std::fs::read_to_string(adopted.join(name)).unwrap();
    assert_eq!(
        read("chat.tf"),
        format!(
            r#"resource "aws_apigatewayv2_api" "chat" {{
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}}

resource "aws_apigatewayv2_integration" "connect" {{
  api_id               = aws_apigatewayv2_api.chat.id
  integration_method   = "POST"
  integration_type     = "HTTP"
  integration_uri      = "https://chat.example.com/connect"
  timeout_milliseconds = 30000
}}

resource "aws_apigatewayv2_integration" "disconnect" {{
  api_id               = aws_apigatewayv2_api.chat.id
  integration_method   = "POST"
  integration_type     = "HTTP"
  integration_uri      = "https://chat.example.com/disconnect"
  timeout_milliseconds = 30000
}}

resource "aws_apigatewayv2_integration" "send_message" {{
  api_id               = aws_apigatewayv2_api.chat.id
  integration_method   = "POST"
  integration_type     = "HTTP"
  integration_uri      = "https://chat.example.com/sendMessage"
  timeout_milliseconds = 30000
}}

resource "aws_apigatewayv2_integration_response" "default" {{
  api_id                   = aws_apigatewayv2_api.chat.id
  integration_id           = aws_apigatewayv2_integration.send_message.id
  integration_response_key = "$default"
}}

resource "aws_apigatewayv2_route" "connect" {{
  api_id    = aws_apigatewayv2_api.chat.id
  route_key = "$connect"
  target    = "integrations/${{aws_apigatewayv2_integration.connect.id}}"
}}

resource "aws_apigatewayv2_route" "disconnect" {{
  api_id    = aws_apigatewayv2_api.chat.id
  route_key = "$disconnect"
  target    = "integrations/${{aws_apigatewayv2_integration.disconnect.id}}"
}}

resource "aws_apigatewayv2_route" "send_message" {{
  api_id    = aws_apigatewayv2_api.chat.id
  route_key = "sendMessage"
  target    = "integrations/${{aws_apigatewayv2_integration.send_message.id}}"
}}

resource "aws_apigatewayv2_route_response" "default" {{
  api_id             = aws_apigatewayv2_api.chat.id
  route_id           = aws_apigatewayv2_route.send_message.id
  route_response_key = "$default"
}}
"#
        )
    );
    assert!(
        read("imports.tf").contains(&format!(
            "import {{\n  to = aws_apigatewayv2_integration_response.default\n  id = \"{}/{}/{}\"\n}}\n",
            estate.chat, estate.send_integration, estate.integration_response
        )),
        "{}",
        read("imports.tf")
    );
    assert_eq!(
        read("pets.tf"),
        r#"# Made by ImportApi from an OpenAPI document (SAM, the Serverless Framework):
# written as the resources it made, not as a `body`.
resource "aws_apigatewayv2_api" "pets" {
  name          = "pets"
  protocol_type = "HTTP"
  version       = "1.0"
}

resource "aws_apigatewayv2_integration" "get_pets" {
  api_id                 = aws_apigatewayv2_api.pets.id
  integration_method     = "POST"
  integration_type       = "AWS_PROXY"
  integration_uri        = "arn:aws:lambda:eu-west-1:123456789012:function:pets"
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

resource "aws_apigatewayv2_route" "get_pets" {
  api_id    = aws_apigatewayv2_api.pets.id
  route_key = "GET /pets"
  target    = "integrations/${aws_apigatewayv2_integration.get_pets.id}"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id = aws_apigatewayv2_api.pets.id
  name   = "live"
}
"#
    );
    // Every route's target is a reference, and so is every id that names an object.
    let all: String = [
        "chat.tf",
        "domains.tf",
        "orders.tf",
        "pets.tf",
        "vpc_links.tf",
    ]
    .iter()
    .map(|name| read(name))
    .collect();
    let targets: Vec<&str> = all
        .lines()
        .filter(|line| line.contains(" target "))
        .collect();
    assert_eq!(targets.len(), 24);
    assert!(
        targets
            .iter()
            .all(|line| line.contains("= \"integrations/${aws_apigatewayv2_integration.")),
        "{targets:#?}"
    );
    for id in [&estate.chat, &estate.orders, &estate.authorizer] {
        assert!(!all.contains(id.as_str()), "`{id}` is written:\n{all}");
    }
    let check = workspace.run_offline(&["fmt", "--check", "estate/adopted"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, ""),
        "{}",
        check.stderr
    );
    // The configuration plans as imports only, applies, and then plans empty.
    let plan = through_proxy(&["plan", "estate/adopted"]).expect_code(0);
    assert_eq!(
        plan.summary(),
        "Plan: 47 to import, 0 to add, 0 to change, 0 to destroy.",
        "{}",
        plan.stdout
    );
    through_proxy(&["apply", "estate/adopted", "--auto-approve"]).expect_code(0);
    let plan = through_proxy(&["plan", "estate/adopted", "--detailed-exitcode"]).expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    assert_eq!(workspace.aws().apis().len(), 2);
    let chdir = format!("-chdir={}", adopted.display());
    let recorded = workspace
        .run_offline(&[&chdir, "state", "list"])
        .expect_code(0)
        .stdout;
    assert_eq!(recorded.lines().count(), 47, "{recorded}");
}

const PETS_OPENAPI: &str = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "1.0"},
  "paths": {"/pets": {"get": {"x-amazon-apigateway-integration": {"type": "AWS_PROXY",
  "httpMethod": "POST", "payloadFormatVersion": "2.0",
  "uri": "arn:aws:lambda:eu-west-1:123456789012:function:pets"}}}}}"#;

/// What AWS reports of the api ImportApi made from [`PETS_OPENAPI`]: `importInfo` says so.
const PETS_API: &str = r#"{"apiId": "pets1", "name": "pets", "protocolType": "HTTP", "version": "1.0",
    "apiEndpoint": "https://pets1.execute-api.eu-west-1.amazonaws.com",
    "apiKeySelectionExpression": "$request.header.x-api-key",
    "routeSelectionExpression": "$request.method $request.path", "disableExecuteApiEndpoint": false,
    "importInfo": [], "createdDate": "2026-11-30T10:00:00Z"}"#;

/// An api made by quick create: its route, integration and stage are AWS's.
const QUICK_API: &str = r#"{"apiId": "quick1", "name": "quick", "protocolType": "HTTP",
    "apiEndpoint": "https://quick1.execute-api.eu-west-1.amazonaws.com",
    "apiKeySelectionExpression": "$request.header.x-api-key",
    "routeSelectionExpression": "$request.method $request.path", "disableExecuteApiEndpoint": false,
    "createdDate": "2026-11-30T11:00:00Z"}"#;

fn items(items: &str) -> String {
    format!(r#"{{"items": [{items}]}}"#)
}

/// What AWS reports of what ImportApi made from [`PETS_OPENAPI`] (an api, its route and
/// integration) and of the stage made after, and ImportApi's own answer: moto has no
/// ImportApi.
fn pets_answers() -> Vec<(String, String)> {
    [
        ("PUT /v2/apis", PETS_API.to_owned()),
        ("GET /v2/apis/pets1", PETS_API.to_owned()),
        (
            "GET /v2/apis/pets1/routes",
            items(
                r#"{"routeId": "r1", "routeKey": "GET /pets", "target": "integrations/i1",
                "authorizationType": "NONE", "apiKeyRequired": false}"#,
            ),
        ),
        (
            "GET /v2/apis/pets1/integrations",
            items(
                r#"{"integrationId": "i1", "integrationType": "AWS_PROXY", "integrationMethod": "POST",
                "integrationUri": "arn:aws:lambda:eu-west-1:123456789012:function:pets",
                "payloadFormatVersion": "2.0", "timeoutInMillis": 30000, "connectionType": "INTERNET"}"#,
            ),
        ),
        ("GET /v2/apis/pets1/authorizers", items("")),
        ("GET /v2/apis/pets1/deployments", items("")),
        (
            "GET /v2/apis/pets1/stages",
            items(r#"{"stageName": "live", "autoDeploy": false}"#),
        ),
    ]
    .into_iter()
    .map(|(key, body)| (key.to_owned(), body))
    .collect()
}

/// What the recorded server reports of an account with [`QUICK_API`] only.
fn quick_account() -> Vec<(&'static str, String)> {
    vec![
        ("POST /", crate::recorded::CALLER_IDENTITY.to_owned()),
        // An api deleted after GetApis listed it: its children's lists are NotFound.
        (
            "GET /v2/apis",
            items(&format!(
                r#"{QUICK_API}, {{"apiId": "gone1", "name": "gone", "protocolType": "HTTP"}}"#
            )),
        ),
        ("GET /v2/apis/quick1", QUICK_API.to_owned()),
        ("GET /v2/domainnames", items("")),
        ("GET /v2/vpclinks", items("")),
        (
            "GET /v2/apis/quick1/routes",
            items(
                r#"{"routeId": "qr1", "routeKey": "$default", "target": "integrations/qi1",
                "apiGatewayManaged": true, "authorizationType": "NONE", "apiKeyRequired": false}"#,
            ),
        ),
        (
            "GET /v2/apis/quick1/integrations",
            items(
                r#"{"integrationId": "qi1", "integrationType": "HTTP_PROXY", "integrationMethod": "ANY",
                "integrationUri": "https://quick.example.com", "payloadFormatVersion": "1.0",
                "apiGatewayManaged": true, "connectionType": "INTERNET"}"#,
            ),
        ),
        ("GET /v2/apis/quick1/authorizers", items("")),
        (
            "GET /v2/apis/quick1/deployments",
            items(
                r#"{"deploymentId": "qd1", "autoDeployed": true, "deploymentStatus": "DEPLOYED",
                "createdDate": "2026-11-30T11:00:00Z"}"#,
            ),
        ),
        (
            "GET /v2/apis/quick1/stages",
            items(
                r#"{"stageName": "$default", "autoDeploy": true, "deploymentId": "qd1",
                "apiGatewayManaged": true}"#,
            ),
        ),
    ]
}

#[test]
fn recorded_discover_leaves_out_what_aws_manages_with_a_note() {
    let account = quick_account();
    let answers: Vec<(&str, &str)> = account
        .iter()
        .map(|(key, body)| (*key, body.as_str()))
        .collect();
    let server = RecordedServer::start(&answers);
    let workspace = Workspace::empty("recorded-estate");
    let discover = workspace
        .run_against(
            &server.endpoint,
            &["discover", "--out", "recorded-estate/adopted"],
        )
        .expect_code(0);
    assert_eq!(
        discover.stderr,
        "note: the api `gone1` was deleted while it was read: it is left out\n\
         note: the deployment `qd1` of api `quick1` is left out: made by its stage's `auto_deploy`\n\
         note: the integration `qi1` of api `quick1` is left out: made by quick create, AWS manages it with its api\n\
         note: the route `qr1` of api `quick1` is left out: made by quick create, AWS manages it with its api\n\
         note: the stage `$default` of api `quick1` is left out: made by quick create, AWS manages it with its api\n"
    );
    assert_eq!(
        discover.stdout.lines().next(),
        Some("Discovered 1 object in eu-west-1: 1 api.")
    );
    let adopted = workspace.dir.join("adopted");
    assert_eq!(
        std::fs::read_to_string(adopted.join("quick.tf")).unwrap(),
        "resource \"aws_apigatewayv2_api\" \"quick\" {\n  name          = \"quick\"\n  protocol_type = \"HTTP\"\n}\n"
    );
    let plan = workspace
        .run_against(&server.endpoint, &["plan", "recorded-estate/adopted"])
        .expect_code(0);
    assert_eq!(
        plan.summary(),
        "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
        "{}",
        plan.stdout
    );
    workspace
        .run_against(
            &server.endpoint,
            &["apply", "recorded-estate/adopted", "--auto-approve"],
        )
        .expect_code(0);
    let plan = workspace
        .run_against(
            &server.endpoint,
            &["plan", "recorded-estate/adopted", "--detailed-exitcode"],
        )
        .expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    let writes: Vec<String> = server
        .calls()
        .into_iter()
        .filter(|call| !call.starts_with("GET ") && call != "POST /")
        .collect();
    assert_eq!(writes, Vec::<String>::new());
}

#[test]
fn discover_with_recorded_lists_moto_lacks_takes_only_the_apis_named_and_what_they_use() {
    let workspace = Workspace::empty("estate");
    let estate = make_estate(&workspace);
    let proxy = lists_moto_lacks(&workspace, &estate);
    let discover = |args: &[&str]| {
        workspace
            .run_with(args, |command| {
                command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
            })
            .expect_code(0)
    };
    let files = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(workspace.dir.join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    discover(&["discover", "--api", "orders", "--out", "estate/orders"]);
    assert_eq!(
        files("orders"),
        [
            "domains.tf",
            "imports.tf",
            "orders.tf",
            "providers.tf",
            "vpc_links.tf"
        ]
    );
    discover(&["discover", "--api", &estate.chat, "--out", "estate/chat"]);
    assert_eq!(files("chat"), ["chat.tf", "imports.tf", "providers.tf"]);
}

#[test]
fn discover_says_what_is_wrong() {
    let workspace = Workspace::empty("estate");
    workspace.write("taken/main.tf", "");
    let error = |args: &[&str]| {
        let run = workspace.run_offline(args).expect_code(1);
        assert_eq!(run.stdout, "");
        run.stderr
    };
    assert_eq!(
        error(&["discover", "--out", "estate/taken"]),
        "error: `estate/taken` is not empty: discover writes a whole configuration, into a new or empty directory\n"
    );
    assert_eq!(
        error(&["discover", "--region", "moon-1", "--out", "estate/new"]),
        "error: `moon-1` is not an AWS region: write one such as `--region eu-west-1`\n"
    );
    let no_region = workspace
        .run_with(&["discover", "--out", "estate/new"], |command| {
            command.env_remove("AWS_REGION");
        })
        .expect_code(1);
    assert_eq!(
        no_region.stderr,
        "error: discover needs a region: give `--region REGION`, or set AWS_REGION\n"
    );
    let missing = workspace
        .run(&["discover", "--api", "orders", "--out", "estate/new"])
        .expect_code(1);
    assert_eq!(
        missing.stderr,
        "error: there is no api named `orders`, or with that id, in eu-west-1\n"
    );
    assert!(!workspace.file("new").exists());
    // A list the endpoint does not answer (moto has no GetAuthorizers) is an error, not a
    // configuration that quietly lacks what that list holds.
    workspace.aws().create_http_api("orders");
    let unlisted = workspace
        .run(&["discover", "--out", "estate/new"])
        .expect_code(1);
    assert_eq!(
        unlisted.stderr,
        "error: cannot read everything eu-west-1 holds, so nothing was written: GetAuthorizers failed: HTTP 500, not an AWS error: 500 Internal Server Error\n"
    );
    assert!(!workspace.file("new").exists());
}

/// The provider's default tags stay in the provider block: a generated block has only the
/// object's own, and AWS's own tags (`aws:...`) are neither read nor written.
#[test]
fn generate_config_out_leaves_the_default_tags_to_the_provider() {
    let workspace = Workspace::empty("adopt");
    let aws = workspace.aws();
    let api = aws
        .block_on(
            aws.client()
                .create_api()
                .name("orders")
                .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                .tags("Team", "payments")
                .tags("Service", "orders")
                .tags("aws:cloudformation:stack-name", "orders-stack")
                .send(),
        )
        .unwrap()
        .api_id()
        .unwrap()
        .to_owned();
    workspace.write(
        "main.tf",
        &format!(
            "provider \"aws\" {{\n  default_tags {{\n    tags = {{\n      Team = \"payments\"\n    }}\n  }}\n}}\n\nimport {{\n  to = aws_apigatewayv2_api.orders\n  id = \"{api}\"\n}}\n"
        ),
    );
    let json = workspace
        .run(&[
            "plan",
            "DIR",
            "--generate-config-out=adopt/generated.tf",
            "--format",
            "json",
        ])
        .expect_code(0);
    let generated = std::fs::read_to_string(workspace.file("generated.tf")).unwrap();
    assert!(
        generated
            .contains("  protocol_type = \"HTTP\"\n  tags = {\n    Service = \"orders\"\n  }\n}\n"),
        "{generated}"
    );
    // The JSON plan carries each block, as Terraform's `generated_config`.
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let block = json["resource_changes"][0]["change"]["generated_config"]
        .as_str()
        .unwrap();
    assert!(
        block.starts_with("resource \"aws_apigatewayv2_api\" \"orders\" {\n")
            && generated.ends_with(block),
        "{block}"
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(
        plan.summary(),
        "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
        "{}",
        plan.stdout
    );
}

/// Two regions: the first is the provider's, the objects of the second say `region`, and their
/// import ids end in `@REGION`. A stage's deployment is referred to.
#[test]
fn discover_with_recorded_lists_moto_lacks_reads_every_region_given() {
    let workspace = Workspace::empty("regions");
    let (home, away) = (workspace.aws(), workspace.aws_in("us-east-1"));
    let orders = home.create_http_api("orders");
    let payments = away.create_http_api("payments");
    // moto keeps no stage's deployment: the stage is as AWS reports one.
    let answers = [
        (
            format!("GET /v2/apis/{orders}/stages"),
            items(r#"{"stageName": "prod", "autoDeploy": false, "deploymentId": "d1"}"#),
        ),
        (
            format!("GET /v2/apis/{orders}/deployments"),
            items(
                r#"{"deploymentId": "d1", "description": "first release", "autoDeployed": false,
                "deploymentStatus": "DEPLOYED", "createdDate": "2026-11-30T10:00:00Z"}"#,
            ),
        ),
        (format!("GET /v2/apis/{orders}/authorizers"), items("")),
        (format!("GET /v2/apis/{payments}/deployments"), items("")),
        (format!("GET /v2/apis/{payments}/authorizers"), items("")),
    ];
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1).with_answers(answers.to_vec());
    let run = |args: &[&str]| {
        workspace.run_with(args, |command| {
            command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
        })
    };
    let discover = run(&[
        "discover",
        "--region",
        "eu-west-1",
        "--region",
        "us-east-1",
        "--out",
        "regions/adopted",
    ])
    .expect_code(0);
    assert!(
        discover.stdout.starts_with(
            "Discovered 4 objects in eu-west-1, us-east-1: 2 apis, 1 deployment, 1 stage.\n"
        ),
        "{}",
        discover.stdout
    );
    let adopted = workspace.dir.join("adopted");
    let read = |name: &str| std::fs::read_to_string(adopted.join(name)).unwrap();
    assert_eq!(
        read("providers.tf"),
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n"
    );
    assert_eq!(
        read("payments.tf"),
        "resource \"aws_apigatewayv2_api\" \"payments\" {\n  name          = \"payments\"\n  protocol_type = \"HTTP\"\n  region        = \"us-east-1\"\n}\n"
    );
    assert!(
        read("orders.tf").ends_with(
            "resource \"aws_apigatewayv2_stage\" \"prod\" {\n  api_id        = aws_apigatewayv2_api.orders.id\n  deployment_id = aws_apigatewayv2_deployment.first_release.id\n  name          = \"prod\"\n}\n"
        ),
        "{}",
        read("orders.tf")
    );
    assert!(
        read("imports.tf").contains(&format!(
            "import {{\n  to = aws_apigatewayv2_api.payments\n  id = \"{payments}@us-east-1\"\n}}\n"
        )),
        "{}",
        read("imports.tf")
    );
    let plan = run(&["plan", "regions/adopted"]).expect_code(0);
    assert_eq!(
        plan.summary(),
        "Plan: 4 to import, 0 to add, 0 to change, 0 to destroy.",
        "{}",
        plan.stdout
    );
}

/// An import block's `provider` says where the object is read and which provider its
/// generated block names; what an import block does not take is refused.
#[test]
fn generate_config_out_writes_the_import_blocks_provider() {
    let workspace = Workspace::empty("adopt");
    let api = workspace.aws_in("us-east-1").create_http_api("edge");
    let providers = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nprovider \"aws\" {\n  alias  = \"virginia\"\n  region = \"us-east-1\"\n}\n";
    workspace.write("providers.tf", providers);
    workspace.write(
        "imports.tf",
        &format!(
            "import {{\n  to       = aws_apigatewayv2_api.edge\n  id       = \"{api}\"\n  provider = aws.virginia\n}}\n"
        ),
    );
    workspace
        .run(&["plan", "DIR", "--generate-config-out=adopt/generated.tf"])
        .expect_code(0);
    let generated = std::fs::read_to_string(workspace.file("generated.tf")).unwrap();
    assert!(
        generated.ends_with(
            "resource \"aws_apigatewayv2_api\" \"edge\" {\n  provider      = aws.virginia\n  name          = \"edge\"\n  protocol_type = \"HTTP\"\n}\n"
        ),
        "{generated}"
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(
        plan.summary(),
        "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
        "{}",
        plan.stdout
    );
    // The resource's provider is the one an import block may name.
    workspace.edit("imports.tf", "aws.virginia", "aws");
    let other = workspace
        .run_offline(&["validate", "DIR"])
        .expect_code(1)
        .stderr;
    assert!(
        other.starts_with(
            "error: the import block's provider `aws` is not the provider of `aws_apigatewayv2_api.edge`, `aws.virginia`\n"
        ),
        "{other}"
    );
    workspace.edit("imports.tf", "provider = aws\n", "for_each = {}\n");
    let unsupported = workspace
        .run_offline(&["validate", "DIR"])
        .expect_code(1)
        .stderr;
    assert!(
        unsupported.starts_with("error: unsupported argument `for_each` in an import block\n"),
        "{unsupported}"
    );
    assert!(
        unsupported.contains(
            "hint: an import block takes `to`, `id` and `provider`; `for_each` is not supported yet: write one block per object\n"
        ),
        "{unsupported}"
    );
    workspace.edit(
        "imports.tf",
        "for_each = {}\n",
        "identity {\n    id = \"x\"\n  }\n",
    );
    let block = workspace
        .run_offline(&["validate", "DIR"])
        .expect_code(1)
        .stderr;
    assert!(
        block.starts_with("error: unsupported block `identity` in an import block\n"),
        "{block}"
    );
}
