//! Planner rules, in process: a configuration and a state in, a plan out, with no binary, no
//! state file and no AWS. The state is what an earlier configuration would leave once applied
//! (`review::assume_applied`, as `gateform diff` makes it), with what AWS would choose set by the
//! test where the rule depends on it.

use gateform::diag::{Diagnostics, Sources};
use gateform::plan::{Action, Plan, ReplaceOrder};
use gateform::render::text::Style;
use gateform::state::{Refreshed, State};
use gateform::value::Value;

const REGION: &str = "eu-west-1";

/// The configuration in `text`, resolved and ordered; every problem rendered, on failure.
fn load(text: &str) -> Result<(gateform::resolve::Desired, gateform::graph::DepGraph), String> {
    let mut sources = Sources::default();
    sources.add("main.hcl".into(), text.to_owned());
    let render = |diagnostics: Diagnostics, sources: &Sources| {
        gateform::diag::render(&diagnostics, sources, false)
    };
    let (config, diagnostics) = gateform::config::parse(&sources);
    if !diagnostics.is_empty() {
        return Err(render(diagnostics, &sources));
    }
    let desired = gateform::resolve::resolve(
        config,
        &[],
        Some(REGION),
        gateform::resolve::ImportTargets::Configured,
    )
    .map_err(|diagnostics| render(diagnostics, &sources))?;
    let graph =
        gateform::graph::build(&desired).map_err(|diagnostics| render(diagnostics, &sources))?;
    Ok((desired, graph))
}

/// The state `text` leaves once applied: what AWS decides is a placeholder.
fn applied(text: &str) -> State {
    let (desired, graph) = load(text).expect("the configuration loads");
    gateform::review::assume_applied(&desired, &graph).expect("the configuration plans")
}

fn plan_of(text: &str, state: State) -> Plan {
    let (desired, graph) = load(text).expect("the configuration loads");
    gateform::plan::plan(&desired, &graph, Refreshed::skipped(state)).expect("it plans")
}

fn actions(plan: &Plan) -> Vec<(String, Action)> {
    plan.changes
        .iter()
        .map(|change| (change.address.to_string(), change.action))
        .collect()
}

/// Sets an attribute of an object in the state, as AWS would have reported it.
fn set(state: &mut State, address: &str, name: &str, value: Value) {
    let resource = state
        .resources
        .get_mut(&address.parse().unwrap())
        .unwrap_or_else(|| panic!("`{address}` is not in the state"));
    resource.attributes.insert(name.to_owned(), value);
}

const API: &str = r#"
resource "aws_apigatewayv2_api" "a" {
  name          = "a"
  protocol_type = "HTTP"
}
"#;

const INTEGRATION: &str = r#"
resource "aws_apigatewayv2_integration" "i" {
  api_id             = aws_apigatewayv2_api.a.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://example.com"
}
"#;

#[test]
fn an_optional_computed_argument_left_out_keeps_what_aws_chose() {
    let config = [API, INTEGRATION].concat();
    let mut state = applied(&config);
    set(
        &mut state,
        "aws_apigatewayv2_integration.i",
        "timeout_milliseconds",
        Value::Number(30000.0),
    );
    let plan = plan_of(&config, state.clone());
    assert!(!plan.has_changes(), "{:?}", actions(&plan));
    // Set in the configuration, it is the configuration's to change.
    let changed = config.replace(
        "integration_uri    = \"https://example.com\"",
        "integration_uri    = \"https://example.com\"\n  timeout_milliseconds = 10000",
    );
    let plan = plan_of(&changed, state);
    assert_eq!(
        actions(&plan),
        [
            ("aws_apigatewayv2_api.a".to_owned(), Action::NoOp),
            ("aws_apigatewayv2_integration.i".to_owned(), Action::Update),
        ]
    );
}

#[test]
fn a_force_new_change_replaces_the_api_and_what_lives_in_it() {
    let state = applied(&[API, INTEGRATION].concat());
    let websocket = API.replace(
        "protocol_type = \"HTTP\"",
        "protocol_type = \"WEBSOCKET\"\n  route_selection_expression = \"$request.body.action\"",
    );
    let integration = INTEGRATION.replace("HTTP_PROXY", "HTTP");
    let plan = plan_of(&[websocket.as_str(), integration.as_str()].concat(), state);
    let replace = Action::Replace(ReplaceOrder::DeleteThenCreate);
    assert_eq!(
        actions(&plan),
        [
            ("aws_apigatewayv2_api.a".to_owned(), replace),
            ("aws_apigatewayv2_integration.i".to_owned(), replace),
        ]
    );
    let api = plan
        .change(&"aws_apigatewayv2_api.a".parse().unwrap())
        .unwrap();
    assert_eq!(
        api.replace_paths.iter().collect::<Vec<_>>(),
        ["protocol_type"]
    );
    // The integration is replaced because its api's id is not known until it is created again.
    let integration = plan
        .change(&"aws_apigatewayv2_integration.i".parse().unwrap())
        .unwrap();
    assert_eq!(
        integration.replace_paths.iter().collect::<Vec<_>>(),
        ["api_id", "integration_type"]
    );
}

#[test]
fn removing_an_argument_with_a_default_plans_the_default() {
    let state = applied(&API.replace(
        "protocol_type = \"HTTP\"",
        "protocol_type = \"HTTP\"\n  disable_execute_api_endpoint = true",
    ));
    let plan = plan_of(API, state);
    let text = gateform::render::text::plan(&plan, Style::Plain);
    assert!(
        text.contains("      ~ disable_execute_api_endpoint = true -> false\n"),
        "{text}"
    );
    assert!(
        text.ends_with("Plan: 0 to add, 1 to change, 0 to destroy.\n"),
        "{text}"
    );
}

#[test]
fn ignore_changes_keeps_the_object_as_it_is() {
    let state = applied(API);
    let renamed = API.replace(
        "name          = \"a\"",
        "name          = \"b\"\n  lifecycle {\n    ignore_changes = [name]\n  }",
    );
    assert!(!plan_of(&renamed, state).has_changes());
}

#[test]
fn an_object_whose_block_is_gone_is_destroyed_after_what_used_it() {
    let state = applied(&[API, INTEGRATION].concat());
    let plan = plan_of("", state);
    assert_eq!(
        actions(&plan),
        [
            ("aws_apigatewayv2_api.a".to_owned(), Action::Delete),
            ("aws_apigatewayv2_integration.i".to_owned(), Action::Delete),
        ]
    );
    let steps: Vec<String> = gateform::apply::apply_steps(&plan)
        .unwrap()
        .iter()
        .map(|step| step.address().to_string())
        .collect();
    assert_eq!(
        steps,
        ["aws_apigatewayv2_integration.i", "aws_apigatewayv2_api.a"]
    );
}

/// Routes of different instances of a counted api may share a route key: which api each is on
/// is known only once `count.index` is, so it is no duplicate.
#[test]
fn issue_10_routes_of_counted_apis_are_not_duplicates() {
    let config = r#"
resource "aws_apigatewayv2_api" "each" {
  count         = 2
  name          = "api-${count.index}"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "items" {
  count     = 2
  api_id    = aws_apigatewayv2_api.each[count.index].id
  route_key = "GET /items"
}
"#;
    let plan = plan_of(config, State::default());
    assert_eq!(plan.counts().add, 4);
    let duplicate = format!(
        "{API}{}",
        "resource \"aws_apigatewayv2_route\" \"one\" {\n  api_id = aws_apigatewayv2_api.a.id\n  route_key = \"GET /x\"\n}\nresource \"aws_apigatewayv2_route\" \"two\" {\n  api_id = aws_apigatewayv2_api.a.id\n  route_key = \"GET /x\"\n}\n"
    );
    let error = load(&duplicate).unwrap_err();
    assert!(
        error.starts_with("error: duplicate route key `GET /x`"),
        "{error}"
    );
}

/// The text of the plan that takes `from` (as applied) to `to`.
fn plan_text(from: &str, to: &str) -> String {
    let state = match from {
        "" => State::default(),
        from => applied(from),
    };
    let text = gateform::render::text::plan(&plan_of(to, state), Style::Plain);
    // What AWS decides is a placeholder in the assumed state.
    text.replace("\\u0000", "AWS:")
}

/// Each new kind's create, update and replace, as the plan shows them: `edits` make the update
/// (an argument changed in place) and the replacement (a ForceNew one changed).
fn create_update_replace(name: &str, config: &str, update: (&str, &str), replace: (&str, &str)) {
    insta::assert_snapshot!(format!("{name}_create"), plan_text("", config));
    let updated = config.replacen(update.0, update.1, 1);
    assert_ne!(
        updated, config,
        "`{}` is not in the configuration",
        update.0
    );
    insta::assert_snapshot!(format!("{name}_update"), plan_text(config, &updated));
    let replaced = config.replacen(replace.0, replace.1, 1);
    assert_ne!(
        replaced, config,
        "`{}` is not in the configuration",
        replace.0
    );
    insta::assert_snapshot!(format!("{name}_replace"), plan_text(config, &replaced));
}

const DOMAIN: &str = r#"
resource "aws_apigatewayv2_domain_name" "example" {
  domain_name = "api.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/one"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}
"#;

#[test]
fn issue_10_api_mapping_create_update_replace() {
    let config = format!(
        "{API}{DOMAIN}{}",
        r#"
resource "aws_apigatewayv2_api_mapping" "example" {
  api_id          = aws_apigatewayv2_api.a.id
  domain_name     = aws_apigatewayv2_domain_name.example.id
  stage           = "$default"
  api_mapping_key = "v1"
}
"#
    );
    create_update_replace(
        "api_mapping",
        &config,
        ("\"v1\"", "\"v2\""),
        (
            "api_id          = aws_apigatewayv2_api.a.id",
            "api_id          = \"other1\"",
        ),
    );
}

#[test]
fn issue_10_vpc_link_create_update_replace() {
    let config = r#"
resource "aws_apigatewayv2_vpc_link" "example" {
  name               = "example"
  security_group_ids = ["sg-1"]
  subnet_ids         = ["subnet-1", "subnet-2"]
  tags = {
    Usage = "example"
  }
}
"#;
    create_update_replace(
        "vpc_link",
        config,
        (
            "name               = \"example\"",
            "name               = \"renamed\"",
        ),
        ("\"sg-1\"", "\"sg-2\""),
    );
}

const WEBSOCKET: &str = r#"
resource "aws_apigatewayv2_api" "ws" {
  name                       = "ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_route" "ws" {
  api_id                              = aws_apigatewayv2_api.ws.id
  route_key                           = "$default"
  route_response_selection_expression = "$default"
}

resource "aws_apigatewayv2_integration" "ws" {
  api_id           = aws_apigatewayv2_api.ws.id
  integration_type = "MOCK"
}
"#;

#[test]
fn issue_10_route_response_create_update_replace() {
    let config = format!(
        "{WEBSOCKET}{}",
        r#"
resource "aws_apigatewayv2_route_response" "example" {
  api_id             = aws_apigatewayv2_api.ws.id
  route_id           = aws_apigatewayv2_route.ws.id
  route_response_key = "$default"
  response_models = {
    "$default" = "Pet"
  }
}
"#
    );
    create_update_replace(
        "route_response",
        &config,
        ("\"Pet\"", "\"Pets\""),
        (
            "route_id           = aws_apigatewayv2_route.ws.id",
            "route_id           = \"other1\"",
        ),
    );
}

#[test]
fn issue_10_integration_response_create_update_replace() {
    let config = format!(
        "{WEBSOCKET}{}",
        r#"
resource "aws_apigatewayv2_integration_response" "example" {
  api_id                    = aws_apigatewayv2_api.ws.id
  integration_id            = aws_apigatewayv2_integration.ws.id
  integration_response_key  = "/200/"
  content_handling_strategy = "CONVERT_TO_TEXT"
}
"#
    );
    create_update_replace(
        "integration_response",
        &config,
        ("\"CONVERT_TO_TEXT\"", "\"CONVERT_TO_BINARY\""),
        (
            "integration_id            = aws_apigatewayv2_integration.ws.id",
            "integration_id            = \"other1\"",
        ),
    );
}

#[test]
fn issue_10_routing_rule_create_update_replace() {
    let config = r#"
resource "aws_apigatewayv2_routing_rule" "example" {
  domain_name = "api.example.com"
  priority    = 1

  condition {
    match_base_paths {
      any_of = ["orders"]
    }
  }
  action {
    invoke_api {
      api_id = "rest1"
      stage  = "prod"
    }
  }
}
"#;
    create_update_replace(
        "routing_rule",
        config,
        ("stage  = \"prod\"", "stage  = \"beta\""),
        ("\"api.example.com\"", "\"other.example.com\""),
    );
}

#[test]
fn issue_10_domain_name_create_update_replace() {
    create_update_replace(
        "domain_name",
        DOMAIN,
        ("certificate/one", "certificate/two"),
        ("\"api.example.com\"", "\"www.example.com\""),
    );
}

/// A whole-resource reference to a resource with no instance is `[]` (`count = 0`) or `{}`
/// (`for_each = {}`), as in Terraform: the terraform-aws-modules outputs read their maps so.
#[test]
fn issue_11_a_resource_with_no_instance_is_an_empty_list_or_map() {
    let config = format!(
        "{API}{}",
        r#"
variable "authorizers" {
  type    = map(string)
  default = {}
}

resource "aws_apigatewayv2_authorizer" "this" {
  for_each         = var.authorizers
  api_id           = aws_apigatewayv2_api.a.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = each.key
  jwt_configuration {
    issuer = each.value
  }
}

resource "aws_apigatewayv2_route" "extra" {
  count     = 0
  api_id    = aws_apigatewayv2_api.a.id
  route_key = "GET /extra"
}

output "authorizers" {
  value = aws_apigatewayv2_authorizer.this
}

output "authorizer_ids" {
  value = { for name, authorizer in aws_apigatewayv2_authorizer.this : name => authorizer.id }
}

output "extra_routes" {
  value = aws_apigatewayv2_route.extra[*].id
}
"#
    );
    let plan = plan_of(&config, State::default());
    let after = |name: &str| plan.outputs[name].after.clone().unwrap();
    assert_eq!(after("authorizers"), Value::Map(Default::default()));
    assert_eq!(after("authorizer_ids"), Value::Map(Default::default()));
    assert_eq!(after("extra_routes"), Value::List(Vec::new()));
}
