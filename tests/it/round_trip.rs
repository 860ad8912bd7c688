//! The round-trip matrix: every argument of every resource type is set, applied and read back by
//! refresh (the next plan is empty); changed, applied, next plan empty; removed, applied, next plan
//! empty. `the_matrix_covers_every_argument` holds the matrix against the schema, so an argument
//! added to gateform without a row here fails.
//!
//! Each subject is one resource, written in three steps into a configuration that also holds the
//! resources it needs (its api, integrations to target, authorizers). moto runs the subjects it
//! supports; stages and deployments, which need operations moto lacks, run against the
//! recorded-response server in recorded_paths.rs.

use std::collections::{BTreeMap, BTreeSet};

use gateform::schema::{ImportId, Kind, Presence, Protocol};

use crate::harness::{Run, Workspace};
use crate::recorded::{CALLER_IDENTITY, RecordedServer};

/// One argument in the three steps. `set` and `changed` are its HCL lines inside the resource
/// block; an empty text leaves it out of that step.
struct Row {
    name: &'static str,
    set: &'static str,
    changed: &'static str,
    removal: Removal,
}

enum Removal {
    /// Left out in the last step: AWS goes back to its default, or to no value.
    Removed,
    /// Kept, as `changed`, in the last step; the text says why.
    Kept(&'static str),
}

const REQUIRED: Removal = Removal::Kept("required");
/// moto ignores an empty value in UpdateRoute, so removal cannot be seen in moto; the request
/// that clears it is asserted in `recorded_cleared_route_arguments_are_sent_empty`.
const MOTO_KEEPS_ROUTE_FIELDS: Removal =
    Removal::Kept("moto ignores the empty value that clears it");

/// Every child resource's `api_id`: the context's api, in every step.
const API_ID: Row = kept(
    "api_id",
    "api_id = aws_apigatewayv2_api.context.id",
    "api_id = aws_apigatewayv2_api.context.id",
    REQUIRED,
);

const fn row(name: &'static str, set: &'static str, changed: &'static str) -> Row {
    Row {
        name,
        set,
        changed,
        removal: Removal::Removed,
    }
}

const fn kept(name: &'static str, set: &'static str, changed: &'static str, why: Removal) -> Row {
    Row {
        name,
        set,
        changed,
        removal: why,
    }
}

struct Subject {
    name: &'static str,
    kind: Kind,
    protocol: Protocol,
    /// The resources the subject needs, referred to as `.context`, `.one` and `.two`.
    context: &'static str,
    rows: &'static [Row],
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Set,
    Changed,
    Removed,
}

impl Subject {
    fn config(&self, step: Step) -> String {
        let mut text = format!(
            "{}\nresource \"{}\" \"subject\" {{\n",
            self.context,
            self.kind.as_str()
        );
        for row in self.rows {
            let lines = match (step, &row.removal) {
                (Step::Set, _) => row.set,
                (Step::Changed, _) => row.changed,
                (Step::Removed, Removal::Kept(why)) => {
                    text.push_str(&format!("  # kept: {why}\n"));
                    row.changed
                }
                (Step::Removed, Removal::Removed) => "",
            };
            for line in lines.lines().filter(|line| !line.is_empty()) {
                text.push_str("  ");
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push_str("}\n");
        text
    }

    /// Sets, changes and removes every row against moto; after each apply the plan is empty.
    fn round_trip(&self) {
        let workspace = Workspace::empty(self.name);
        for step in [Step::Set, Step::Changed, Step::Removed] {
            let config = self.config(step);
            workspace.write("main.hcl", &config);
            let apply = workspace.run(&["apply", "DIR", "--auto-approve"]);
            self.expect_success(step, "apply failed", &config, apply);
            let plan = workspace.run(&["plan", "DIR", "--detailed-exitcode"]);
            self.expect_success(step, "the plan after apply is not empty", &config, plan);
            if let Step::Set = step {
                self.adopt(&workspace, |adopting, args| adopting.run(args));
            }
        }
    }

    /// What `workspace` applied, adopted by a configuration of `import` blocks alone: `plan
    /// --generate-config-out` writes every resource block, and the plan after it only imports.
    /// Every object is linked by reference, so a block that wrote an id would be a change.
    fn adopt(&self, workspace: &Workspace, run: impl Fn(&Workspace, &[&str]) -> Run) {
        let adopting = workspace.beside(&format!("{}-adopted", self.name));
        let mut imports = String::new();
        let resources = workspace.state_resources();
        for resource in &resources {
            let address = resource["address"].as_str().unwrap();
            let kind: Kind = resource["type"].as_str().unwrap().parse().unwrap();
            let gateform::value::Value::Map(values) =
                gateform::value::Value::from_json(&resource["values"])
            else {
                panic!("{address} has no values");
            };
            let id = ImportId::of(kind, &values, Some(crate::harness::REGION))
                .unwrap_or_else(|| panic!("{}: no import id for {address}", self.name));
            imports.push_str(&format!(
                "import {{\n  to = {address}\n  id = \"{id}\"\n}}\n"
            ));
        }
        adopting.write("imports.tf", &imports);
        let generated = adopting.file("generated.tf");
        let out = format!("--generate-config-out={}", generated.display());
        let plan = run(&adopting, &["plan", "DIR", &out]);
        self.expect_success(
            Step::Set,
            "plan --generate-config-out failed",
            &imports,
            plan,
        );
        let text = std::fs::read_to_string(&generated).unwrap();
        // No argument that links objects holds the id of another object written: each is a
        // reference (a stage's id is its name, a domain name's its domain, so only the
        // linking arguments are looked at, outside the object's own block).
        let ids: Vec<(&str, &str)> = resources
            .iter()
            .map(|resource| {
                let address = resource["address"].as_str().unwrap();
                (address, resource["values"]["id"].as_str().unwrap())
            })
            .collect();
        let mut within = "";
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("resource \"") {
                let (kind, rest) = header.split_once("\" \"").unwrap();
                let name = rest.trim_end_matches("\" {");
                within = ids
                    .iter()
                    .find(|(address, _)| *address == format!("{kind}.{name}"))
                    .map_or("", |(address, _)| address);
                continue;
            }
            let Some((argument, value)) = line.trim().split_once(" = \"") else {
                continue;
            };
            const LINKS: [&str; 9] = [
                "api_id",
                "authorizer_id",
                "connection_id",
                "deployment_id",
                "domain_name",
                "integration_id",
                "route_id",
                "stage",
                "target",
            ];
            let argument = argument.trim_end();
            let value = value.trim_end_matches('"');
            let value = value.strip_prefix("integrations/").unwrap_or(value);
            let linked = ids
                .iter()
                .find(|(address, id)| *id == value && *address != within);
            assert!(
                !LINKS.contains(&argument) || linked.is_none(),
                "{}: `{argument}` in {within} holds the id of {:?}, not a reference\n{text}",
                self.name,
                linked
            );
        }
        let plan = run(&adopting, &["plan", "DIR"]);
        let summary = format!(
            "Plan: {} to import, 0 to add, 0 to change, 0 to destroy.",
            resources.len()
        );
        assert_eq!(
            (plan.code, plan.summary()),
            (0, summary.as_str()),
            "{}: the generated blocks are not what AWS holds\n{text}\n{}{}",
            self.name,
            plan.stdout,
            plan.stderr
        );
        let check = adopting.run_offline(&["fmt", "--check", "DIR"]);
        assert_eq!(
            (check.code, check.stdout.as_str()),
            (0, ""),
            "{}: {text}",
            self.name
        );
    }

    /// The three steps against the recorded-response server, for operations moto lacks. Each
    /// step's apply is answered with what AWS reported after the step before, plus the step's
    /// `writes`; the plan after it with the step's `after`. Returns the calls each apply made
    /// that change something, with their bodies, for a snapshot.
    fn round_trip_recorded(&self, recorded: &Recorded) -> String {
        let server = RecordedServer::start(&[]);
        let workspace = Workspace::empty(self.name);
        let mut reported = recorded.initial;
        let mut log = String::new();
        for (step, (writes, after)) in [Step::Set, Step::Changed, Step::Removed]
            .into_iter()
            .zip(recorded.steps)
        {
            let config = self.config(step);
            workspace.write("main.hcl", &config);
            server.replace(&[recorded.common, reported, writes].concat());
            if let Step::Set = step {
                for (address, id) in recorded.imports {
                    let import =
                        workspace.run_against(&server.endpoint, &["import", address, id, "DIR"]);
                    self.expect_success(step, "import failed", &config, import);
                }
            }
            let before = server.requests().len();
            let apply =
                workspace.run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"]);
            self.expect_success(step, "apply failed", &config, apply);
            log.push_str(&format!("# {step:?}\n"));
            // The calls that write to API Gateway, with their bodies' keys sorted: the SDK sends
            // maps in no particular order.
            for request in &server.requests()[before..] {
                if request.method == "GET" || request.target == "/" {
                    continue;
                }
                let body = serde_json::from_str::<serde_json::Value>(&request.body)
                    .map(|body| format!(" {body}"))
                    .unwrap_or_default();
                log.push_str(&format!("{} {}{body}\n", request.method, request.target));
            }
            server.replace(&[recorded.common, after].concat());
            let plan =
                workspace.run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"]);
            self.expect_success(step, "the plan after apply is not empty", &config, plan);
            if let Step::Set = step {
                self.adopt(&workspace, |adopting, args| {
                    adopting.run_against(&server.endpoint, args)
                });
            }
            reported = after;
        }
        log
    }

    #[track_caller]
    fn expect_success(&self, step: Step, what: &str, config: &str, run: Run) {
        assert_eq!(
            run.code, 0,
            "{} {step:?}: {what}\n{config}\n{}{}",
            self.name, run.stdout, run.stderr
        );
    }
}

/// Recorded answers: a request (`"GET /v2/apis"`) and its response body.
type Answers<'a> = &'a [(&'a str, &'a str)];

/// What the recorded-response server answers in each step of a round trip.
struct Recorded<'a> {
    /// Answered in every step: the caller's identity, the api.
    common: Answers<'a>,
    /// What AWS reports before the first step.
    initial: Answers<'a>,
    /// Objects imported before the first apply, as address and id.
    imports: &'a [(&'a str, &'a str)],
    /// For each step, the answers to its changes and what AWS reports after them.
    steps: [(Answers<'a>, Answers<'a>); 3],
}

const HTTP_API: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name          = "context"
  protocol_type = "HTTP"
}
"#;

const WEBSOCKET_API: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name                       = "context"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}
"#;

const HTTP_ROUTE_CONTEXT: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name          = "context"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "one" {
  api_id             = aws_apigatewayv2_api.context.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://one.example.com"
}

resource "aws_apigatewayv2_integration" "two" {
  api_id             = aws_apigatewayv2_api.context.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://two.example.com"
}

resource "aws_apigatewayv2_authorizer" "one" {
  api_id           = aws_apigatewayv2_api.context.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "one"

  jwt_configuration {
    audience = ["one"]
    issuer   = "https://one.example.com"
  }
}

resource "aws_apigatewayv2_authorizer" "two" {
  api_id           = aws_apigatewayv2_api.context.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "two"

  jwt_configuration {
    audience = ["two"]
    issuer   = "https://two.example.com"
  }
}
"#;

const WEBSOCKET_ROUTE_CONTEXT: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name                       = "context"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "one" {
  api_id           = aws_apigatewayv2_api.context.id
  integration_type = "MOCK"
}

resource "aws_apigatewayv2_integration" "two" {
  api_id           = aws_apigatewayv2_api.context.id
  integration_type = "MOCK"
}

resource "aws_apigatewayv2_authorizer" "one" {
  api_id           = aws_apigatewayv2_api.context.id
  authorizer_type  = "REQUEST"
  authorizer_uri   = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorize/invocations"
  identity_sources = ["route.request.header.Auth"]
  name             = "one"
}
"#;

const SUBJECTS: &[Subject] = &[
    Subject {
        name: "http-api",
        kind: Kind::Api,
        protocol: Protocol::Http,
        context: "",
        rows: &[
            kept(
                "name",
                r#"name = "round-trip""#,
                r#"name = "round-trip-renamed""#,
                REQUIRED,
            ),
            kept(
                "protocol_type",
                r#"protocol_type = "HTTP""#,
                r#"protocol_type = "HTTP""#,
                REQUIRED,
            ),
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
            row(
                "disable_execute_api_endpoint",
                "disable_execute_api_endpoint = false",
                "disable_execute_api_endpoint = true",
            ),
            row(
                "fail_on_warnings",
                "fail_on_warnings = true",
                "fail_on_warnings = false",
            ),
            row("version", r#"version = "1""#, r#"version = "2""#),
            row(
                "tags",
                r#"tags = { Team = "one" }"#,
                r#"tags = { Team = "two", Owner = "apis" }"#,
            ),
            row(
                "cors_configuration",
                r#"
cors_configuration {
  allow_credentials = true
  allow_headers     = ["content-type"]
  allow_methods     = ["GET"]
  allow_origins     = ["https://one.example.com"]
  expose_headers    = ["x-one"]
  max_age           = 300
}"#,
                r#"
cors_configuration {
  allow_credentials = false
  allow_headers     = ["content-type", "authorization"]
  allow_methods     = ["GET", "POST"]
  allow_origins     = ["https://two.example.com"]
  expose_headers    = ["x-two"]
  max_age           = 600
}"#,
            ),
        ],
    },
    Subject {
        name: "websocket-api",
        kind: Kind::Api,
        protocol: Protocol::WebSocket,
        context: "",
        rows: &[
            kept(
                "name",
                r#"name = "round-trip""#,
                r#"name = "round-trip-renamed""#,
                REQUIRED,
            ),
            kept(
                "protocol_type",
                r#"protocol_type = "WEBSOCKET""#,
                r#"protocol_type = "WEBSOCKET""#,
                REQUIRED,
            ),
            row(
                "route_selection_expression",
                r#"route_selection_expression = "$request.body.action""#,
                r#"route_selection_expression = "$request.body.type""#,
            ),
            row(
                "api_key_selection_expression",
                r#"api_key_selection_expression = "$request.header.x-api-key""#,
                r#"api_key_selection_expression = "$context.authorizer.usageIdentifierKey""#,
            ),
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
            row(
                "disable_execute_api_endpoint",
                "disable_execute_api_endpoint = false",
                "disable_execute_api_endpoint = true",
            ),
            row(
                "fail_on_warnings",
                "fail_on_warnings = true",
                "fail_on_warnings = false",
            ),
            row("version", r#"version = "1""#, r#"version = "2""#),
            row(
                "tags",
                r#"tags = { Team = "one" }"#,
                r#"tags = { Team = "two", Owner = "apis" }"#,
            ),
        ],
    },
    Subject {
        name: "http-route",
        kind: Kind::Route,
        protocol: Protocol::Http,
        context: HTTP_ROUTE_CONTEXT,
        rows: &[
            API_ID,
            kept(
                "route_key",
                r#"route_key = "GET /one""#,
                r#"route_key = "GET /two""#,
                REQUIRED,
            ),
            row(
                "authorization_type",
                r#"authorization_type = "JWT""#,
                r#"authorization_type = "JWT""#,
            ),
            row(
                "authorizer_id",
                "authorizer_id = aws_apigatewayv2_authorizer.one.id",
                "authorizer_id = aws_apigatewayv2_authorizer.two.id",
            ),
            kept(
                "authorization_scopes",
                r#"authorization_scopes = ["read"]"#,
                r#"authorization_scopes = ["read", "write"]"#,
                MOTO_KEEPS_ROUTE_FIELDS,
            ),
            row(
                "operation_name",
                r#"operation_name = "one""#,
                r#"operation_name = "two""#,
            ),
            kept(
                "target",
                r#"target = "integrations/${aws_apigatewayv2_integration.one.id}""#,
                r#"target = "integrations/${aws_apigatewayv2_integration.two.id}""#,
                MOTO_KEEPS_ROUTE_FIELDS,
            ),
        ],
    },
    Subject {
        name: "websocket-route",
        kind: Kind::Route,
        protocol: Protocol::WebSocket,
        context: WEBSOCKET_ROUTE_CONTEXT,
        rows: &[
            API_ID,
            kept(
                "route_key",
                r#"route_key = "one""#,
                r#"route_key = "two""#,
                REQUIRED,
            ),
            row(
                "api_key_required",
                "api_key_required = false",
                "api_key_required = true",
            ),
            row(
                "authorization_type",
                r#"authorization_type = "AWS_IAM""#,
                r#"authorization_type = "CUSTOM""#,
            ),
            row(
                "authorizer_id",
                "",
                "authorizer_id = aws_apigatewayv2_authorizer.one.id",
            ),
            kept(
                "model_selection_expression",
                r#"model_selection_expression = "$request.body.action""#,
                r#"model_selection_expression = "$request.body.type""#,
                MOTO_KEEPS_ROUTE_FIELDS,
            ),
            kept(
                "request_models",
                r#"request_models = { "$default" = "one" }"#,
                r#"request_models = { "$default" = "two" }"#,
                MOTO_KEEPS_ROUTE_FIELDS,
            ),
            row(
                "operation_name",
                r#"operation_name = "one""#,
                r#"operation_name = "two""#,
            ),
            row(
                "route_response_selection_expression",
                "",
                r#"route_response_selection_expression = "$default""#,
            ),
            kept(
                "target",
                r#"target = "integrations/${aws_apigatewayv2_integration.one.id}""#,
                r#"target = "integrations/${aws_apigatewayv2_integration.two.id}""#,
                MOTO_KEEPS_ROUTE_FIELDS,
            ),
            row(
                "request_parameter",
                r#"
request_parameter {
  request_parameter_key = "route.request.header.Auth"
  required              = true
}"#,
                r#"
request_parameter {
  request_parameter_key = "route.request.header.Auth"
  required              = false
}
request_parameter {
  request_parameter_key = "route.request.querystring.room"
  required              = true
}"#,
            ),
        ],
    },
    Subject {
        name: "http-proxy-integration",
        kind: Kind::Integration,
        protocol: Protocol::Http,
        context: HTTP_API,
        rows: &[
            API_ID,
            kept(
                "integration_type",
                r#"integration_type = "HTTP_PROXY""#,
                r#"integration_type = "HTTP_PROXY""#,
                REQUIRED,
            ),
            kept(
                "integration_uri",
                r#"integration_uri = "https://one.example.com""#,
                r#"integration_uri = "https://two.example.com""#,
                Removal::Kept("an HTTP_PROXY integration needs it"),
            ),
            kept(
                "integration_method",
                r#"integration_method = "GET""#,
                r#"integration_method = "POST""#,
                Removal::Kept("an HTTP_PROXY integration needs it"),
            ),
            row(
                "connection_type",
                r#"connection_type = "INTERNET""#,
                r#"connection_type = "VPC_LINK""#,
            ),
            row("connection_id", "", r#"connection_id = "vpclink1""#),
            row(
                "credentials_arn",
                r#"credentials_arn = "arn:aws:iam::123456789012:role/one""#,
                r#"credentials_arn = "arn:aws:iam::123456789012:role/two""#,
            ),
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
            row(
                "payload_format_version",
                r#"payload_format_version = "1.0""#,
                r#"payload_format_version = "1.0""#,
            ),
            row(
                "request_parameters",
                r#"request_parameters = { "append:header.x-one" = "one" }"#,
                r#"request_parameters = { "overwrite:header.x-two" = "two" }"#,
            ),
            row(
                "response_parameters",
                r#"
response_parameters {
  status_code = "500"
  mappings    = { "overwrite:header.x-error" = "one" }
}"#,
                r#"
response_parameters {
  status_code = "500"
  mappings    = { "overwrite:header.x-error" = "two" }
}
response_parameters {
  status_code = "404"
  mappings    = { "overwrite:statuscode" = "410" }
}"#,
            ),
            row(
                "timeout_milliseconds",
                "timeout_milliseconds = 12000",
                "timeout_milliseconds = 15000",
            ),
            row(
                "tls_config",
                r#"
tls_config {
  server_name_to_verify = "one.example.com"
}"#,
                r#"
tls_config {
  server_name_to_verify = "two.example.com"
}"#,
            ),
        ],
    },
    Subject {
        name: "lambda-integration",
        kind: Kind::Integration,
        protocol: Protocol::Http,
        context: HTTP_API,
        rows: &[
            API_ID,
            kept(
                "integration_type",
                r#"integration_type = "AWS_PROXY""#,
                r#"integration_type = "AWS_PROXY""#,
                REQUIRED,
            ),
            kept(
                "integration_uri",
                r#"integration_uri = "arn:aws:lambda:eu-west-1:123456789012:function:one""#,
                r#"integration_uri = "arn:aws:lambda:eu-west-1:123456789012:function:two""#,
                Removal::Kept("a Lambda integration needs it"),
            ),
            row(
                "payload_format_version",
                r#"payload_format_version = "2.0""#,
                r#"payload_format_version = "1.0""#,
            ),
            row(
                "timeout_milliseconds",
                "timeout_milliseconds = 30000",
                "timeout_milliseconds = 5000",
            ),
        ],
    },
    Subject {
        name: "sqs-integration",
        kind: Kind::Integration,
        protocol: Protocol::Http,
        context: HTTP_API,
        rows: &[
            API_ID,
            kept(
                "integration_type",
                r#"integration_type = "AWS_PROXY""#,
                r#"integration_type = "AWS_PROXY""#,
                REQUIRED,
            ),
            kept(
                "integration_subtype",
                r#"integration_subtype = "SQS-SendMessage""#,
                r#"integration_subtype = "SQS-ReceiveMessage""#,
                Removal::Kept("an AWS service integration needs it"),
            ),
            kept(
                "credentials_arn",
                r#"credentials_arn = "arn:aws:iam::123456789012:role/sqs""#,
                r#"credentials_arn = "arn:aws:iam::123456789012:role/sqs""#,
                Removal::Kept("an AWS service integration needs it"),
            ),
            kept(
                "request_parameters",
                r#"request_parameters = { QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/one", MessageBody = "$request.body" }"#,
                r#"request_parameters = { QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/two" }"#,
                Removal::Kept("an AWS service integration needs its QueueUrl"),
            ),
        ],
    },
    Subject {
        name: "websocket-integration",
        kind: Kind::Integration,
        protocol: Protocol::WebSocket,
        context: WEBSOCKET_API,
        rows: &[
            API_ID,
            kept(
                "integration_type",
                r#"integration_type = "AWS""#,
                r#"integration_type = "AWS""#,
                REQUIRED,
            ),
            kept(
                "integration_uri",
                r#"integration_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:one/invocations""#,
                r#"integration_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:two/invocations""#,
                Removal::Kept("an AWS integration needs it"),
            ),
            kept(
                "integration_method",
                r#"integration_method = "POST""#,
                r#"integration_method = "PUT""#,
                Removal::Kept("an AWS integration needs it"),
            ),
            row(
                "connection_type",
                r#"connection_type = "INTERNET""#,
                r#"connection_type = "VPC_LINK""#,
            ),
            row("connection_id", "", r#"connection_id = "vpclink1""#),
            row(
                "content_handling_strategy",
                r#"content_handling_strategy = "CONVERT_TO_TEXT""#,
                r#"content_handling_strategy = "CONVERT_TO_BINARY""#,
            ),
            row(
                "credentials_arn",
                r#"credentials_arn = "arn:aws:iam::123456789012:role/one""#,
                r#"credentials_arn = "arn:aws:iam::123456789012:role/two""#,
            ),
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
            row(
                "passthrough_behavior",
                r#"passthrough_behavior = "WHEN_NO_TEMPLATES""#,
                r#"passthrough_behavior = "NEVER""#,
            ),
            row(
                "payload_format_version",
                r#"payload_format_version = "1.0""#,
                r#"payload_format_version = "1.0""#,
            ),
            row(
                "request_parameters",
                r#"request_parameters = { "integration.request.header.x-one" = "route.request.header.x-one" }"#,
                r#"request_parameters = { "integration.request.querystring.two" = "'two'" }"#,
            ),
            kept(
                "request_templates",
                r#"request_templates = { "$default" = "{\"one\": 1}" }"#,
                r#"request_templates = { "$default" = "{\"two\": 2}", "text/plain" = "two" }"#,
                Removal::Kept("moto keeps a removed template, with an empty value"),
            ),
            row(
                "template_selection_expression",
                r#"template_selection_expression = "$request.body.action""#,
                r#"template_selection_expression = "$request.body.type""#,
            ),
            row(
                "timeout_milliseconds",
                "timeout_milliseconds = 12000",
                "timeout_milliseconds = 29000",
            ),
        ],
    },
    Subject {
        name: "jwt-authorizer",
        kind: Kind::Authorizer,
        protocol: Protocol::Http,
        context: HTTP_API,
        rows: &[
            API_ID,
            kept(
                "authorizer_type",
                r#"authorizer_type = "JWT""#,
                r#"authorizer_type = "JWT""#,
                REQUIRED,
            ),
            kept("name", r#"name = "one""#, r#"name = "two""#, REQUIRED),
            kept(
                "identity_sources",
                r#"identity_sources = ["$request.header.Authorization"]"#,
                r#"identity_sources = ["$request.header.X-Token"]"#,
                Removal::Kept("a JWT authorizer needs it"),
            ),
            kept(
                "jwt_configuration",
                r#"
jwt_configuration {
  audience = ["one"]
  issuer   = "https://one.example.com"
}"#,
                r#"
jwt_configuration {
  audience = ["one", "two"]
  issuer   = "https://two.example.com"
}"#,
                Removal::Kept("a JWT authorizer needs it"),
            ),
        ],
    },
    Subject {
        name: "http-request-authorizer",
        kind: Kind::Authorizer,
        protocol: Protocol::Http,
        context: HTTP_API,
        rows: &[
            API_ID,
            kept(
                "authorizer_type",
                r#"authorizer_type = "REQUEST""#,
                r#"authorizer_type = "REQUEST""#,
                REQUIRED,
            ),
            kept("name", r#"name = "one""#, r#"name = "two""#, REQUIRED),
            kept(
                "authorizer_uri",
                r#"authorizer_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:one/invocations""#,
                r#"authorizer_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:two/invocations""#,
                Removal::Kept("a REQUEST authorizer needs it"),
            ),
            kept(
                "authorizer_payload_format_version",
                r#"authorizer_payload_format_version = "1.0""#,
                r#"authorizer_payload_format_version = "2.0""#,
                Removal::Kept("a REQUEST authorizer of an HTTP API needs it"),
            ),
            row(
                "enable_simple_responses",
                "enable_simple_responses = false",
                "enable_simple_responses = true",
            ),
            row(
                "authorizer_result_ttl_in_seconds",
                "authorizer_result_ttl_in_seconds = 300",
                "authorizer_result_ttl_in_seconds = 0",
            ),
            row(
                "identity_sources",
                r#"identity_sources = ["$request.header.Auth"]"#,
                r#"identity_sources = ["$request.header.Auth", "$request.querystring.token"]"#,
            ),
            row(
                "authorizer_credentials_arn",
                r#"authorizer_credentials_arn = "arn:aws:iam::123456789012:role/one""#,
                r#"authorizer_credentials_arn = "arn:aws:iam::123456789012:role/two""#,
            ),
        ],
    },
    Subject {
        name: "websocket-authorizer",
        kind: Kind::Authorizer,
        protocol: Protocol::WebSocket,
        context: WEBSOCKET_API,
        rows: &[
            API_ID,
            kept(
                "authorizer_type",
                r#"authorizer_type = "REQUEST""#,
                r#"authorizer_type = "REQUEST""#,
                REQUIRED,
            ),
            kept("name", r#"name = "one""#, r#"name = "two""#, REQUIRED),
            kept(
                "authorizer_uri",
                r#"authorizer_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:one/invocations""#,
                r#"authorizer_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:two/invocations""#,
                Removal::Kept("a REQUEST authorizer needs it"),
            ),
            row(
                "identity_sources",
                r#"identity_sources = ["route.request.header.Auth"]"#,
                r#"identity_sources = ["route.request.querystring.token"]"#,
            ),
            row(
                "authorizer_credentials_arn",
                r#"authorizer_credentials_arn = "arn:aws:iam::123456789012:role/one""#,
                r#"authorizer_credentials_arn = "arn:aws:iam::123456789012:role/two""#,
            ),
        ],
    },
    Subject {
        name: "model",
        kind: Kind::Model,
        protocol: Protocol::WebSocket,
        context: WEBSOCKET_API,
        rows: &[
            API_ID,
            kept(
                "content_type",
                r#"content_type = "application/json""#,
                r#"content_type = "application/json""#,
                REQUIRED,
            ),
            kept("name", r#"name = "one""#, r#"name = "two""#, REQUIRED),
            kept(
                "schema",
                r#"schema = "{\"type\": \"object\"}""#,
                r#"schema = "{\"type\": \"object\", \"required\": [\"id\"]}""#,
                REQUIRED,
            ),
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
        ],
    },
    Subject {
        name: "websocket-stage",
        kind: Kind::Stage,
        protocol: Protocol::WebSocket,
        context: RECORDED_WEBSOCKET_API,
        rows: &[
            API_ID,
            kept("name", r#"name = "prod""#, r#"name = "prod""#, REQUIRED),
            row("auto_deploy", "auto_deploy = false", "auto_deploy = true"),
            row(
                "client_certificate_id",
                r#"client_certificate_id = "cert1""#,
                r#"client_certificate_id = "cert2""#,
            ),
            row(
                "deployment_id",
                r#"deployment_id = "d1""#,
                r#"deployment_id = "d2""#,
            ),
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
            row(
                "stage_variables",
                r#"stage_variables = { backend = "one" }"#,
                r#"stage_variables = { backend = "two", region = "eu" }"#,
            ),
            row(
                "tags",
                r#"tags = { Team = "one", Owner = "apis" }"#,
                r#"tags = { Team = "two" }"#,
            ),
            row(
                "access_log_settings",
                r#"
access_log_settings {
  destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:one"
  format          = "$context.requestId"
}"#,
                r#"
access_log_settings {
  destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:two"
  format          = "$context.requestId $context.status"
}"#,
            ),
            row(
                "default_route_settings",
                r#"
default_route_settings {
  data_trace_enabled       = true
  detailed_metrics_enabled = true
  logging_level            = "INFO"
  throttling_burst_limit   = 100
  throttling_rate_limit    = 50.5
}"#,
                r#"
default_route_settings {
  data_trace_enabled       = false
  detailed_metrics_enabled = true
  logging_level            = "ERROR"
  throttling_burst_limit   = 200
  throttling_rate_limit    = 100
}"#,
            ),
            row(
                "route_settings",
                r#"
route_settings {
  route_key              = "one"
  data_trace_enabled     = true
  logging_level          = "INFO"
  throttling_burst_limit = 10
  throttling_rate_limit  = 5
}"#,
                r#"
route_settings {
  route_key                = "one"
  detailed_metrics_enabled = true
  throttling_burst_limit   = 20
  throttling_rate_limit    = 10
}
route_settings {
  route_key     = "two"
  logging_level = "ERROR"
}"#,
            ),
        ],
    },
    Subject {
        name: "deployment",
        kind: Kind::Deployment,
        protocol: Protocol::WebSocket,
        context: RECORDED_WEBSOCKET_API,
        rows: &[
            API_ID,
            row(
                "description",
                r#"description = "one""#,
                r#"description = "two""#,
            ),
            row(
                "triggers",
                r#"triggers = { redeployment = "1" }"#,
                r#"triggers = { redeployment = "2" }"#,
            ),
        ],
    },
    Subject {
        name: "http-api-create-only",
        kind: Kind::Api,
        protocol: Protocol::Http,
        context: "",
        rows: &[
            kept("name", r#"name = "quick""#, r#"name = "quick""#, REQUIRED),
            kept(
                "protocol_type",
                r#"protocol_type = "HTTP""#,
                r#"protocol_type = "HTTP""#,
                REQUIRED,
            ),
            row(
                "ip_address_type",
                r#"ip_address_type = "ipv4""#,
                r#"ip_address_type = "dualstack""#,
            ),
            row(
                "route_key",
                r#"route_key = "ANY /{proxy+}""#,
                r#"route_key = "GET /{proxy+}""#,
            ),
            row(
                "target",
                r#"target = "https://one.example.com""#,
                r#"target = "https://two.example.com""#,
            ),
            row(
                "credentials_arn",
                r#"credentials_arn = "arn:aws:iam::123456789012:role/one""#,
                r#"credentials_arn = "arn:aws:iam::123456789012:role/two""#,
            ),
        ],
    },
    Subject {
        name: "integration-response",
        kind: Kind::IntegrationResponse,
        protocol: Protocol::WebSocket,
        context: WEBSOCKET_MOCK_INTEGRATION,
        rows: &[
            API_ID,
            kept(
                "integration_id",
                "integration_id = aws_apigatewayv2_integration.context.id",
                "integration_id = aws_apigatewayv2_integration.context.id",
                REQUIRED,
            ),
            kept(
                "integration_response_key",
                r#"integration_response_key = "/200/""#,
                r#"integration_response_key = "$default""#,
                REQUIRED,
            ),
            row(
                "content_handling_strategy",
                r#"content_handling_strategy = "CONVERT_TO_TEXT""#,
                r#"content_handling_strategy = "CONVERT_TO_BINARY""#,
            ),
            row(
                "response_templates",
                r#"response_templates = { "application/json" = "{\"ok\": true}" }"#,
                r#"response_templates = { "application/json" = "{\"ok\": false}", "text/plain" = "ok" }"#,
            ),
            row(
                "template_selection_expression",
                r#"template_selection_expression = "$request.body.type""#,
                r#"template_selection_expression = "\\$default""#,
            ),
        ],
    },
    Subject {
        name: "route-response",
        kind: Kind::RouteResponse,
        protocol: Protocol::WebSocket,
        context: RECORDED_WEBSOCKET_ROUTE,
        rows: &[
            API_ID,
            kept(
                "route_id",
                "route_id = aws_apigatewayv2_route.context.id",
                "route_id = aws_apigatewayv2_route.context.id",
                REQUIRED,
            ),
            kept(
                "route_response_key",
                r#"route_response_key = "$default""#,
                r#"route_response_key = "error""#,
                REQUIRED,
            ),
            row(
                "model_selection_expression",
                r#"model_selection_expression = "$request.body.action""#,
                r#"model_selection_expression = "$request.body.type""#,
            ),
            row(
                "response_models",
                r#"response_models = { "$default" = "Pet" }"#,
                r#"response_models = { "$default" = "Pets", "error" = "Error" }"#,
            ),
        ],
    },
    Subject {
        name: "vpc-link",
        kind: Kind::VpcLink,
        protocol: Protocol::Http,
        context: "",
        rows: &[
            kept("name", r#"name = "one""#, r#"name = "two""#, REQUIRED),
            kept(
                "security_group_ids",
                r#"security_group_ids = ["sg-1"]"#,
                r#"security_group_ids = ["sg-1", "sg-2"]"#,
                REQUIRED,
            ),
            kept(
                "subnet_ids",
                r#"subnet_ids = ["subnet-1", "subnet-2"]"#,
                r#"subnet_ids = ["subnet-3"]"#,
                REQUIRED,
            ),
            row(
                "tags",
                r#"tags = { Team = "one", Owner = "network" }"#,
                r#"tags = { Team = "two" }"#,
            ),
        ],
    },
    Subject {
        name: "routing-rule",
        kind: Kind::RoutingRule,
        protocol: Protocol::Http,
        context: RECORDED_DOMAIN_NAME,
        rows: &[
            kept(
                "domain_name",
                "domain_name = aws_apigatewayv2_domain_name.context.id",
                "domain_name = aws_apigatewayv2_domain_name.context.id",
                REQUIRED,
            ),
            kept("priority", "priority = 1", "priority = 20", REQUIRED),
            kept(
                "action",
                r#"action {
  invoke_api {
    api_id = "rest1"
    stage  = "one"
  }
}"#,
                r#"action {
  invoke_api {
    api_id          = "rest2"
    stage           = "two"
    strip_base_path = true
  }
}"#,
                REQUIRED,
            ),
            kept(
                "condition",
                r#"condition {
  match_base_paths {
    any_of = ["orders"]
  }
}"#,
                r#"condition {
  match_headers {
    any_of {
      header     = "X-Version"
      value_glob = "v2*"
    }
  }
}"#,
                REQUIRED,
            ),
        ],
    },
    Subject {
        name: "api-mapping",
        kind: Kind::ApiMapping,
        protocol: Protocol::Http,
        context: RECORDED_DOMAIN_NAME,
        rows: &[
            kept(
                "api_id",
                r#"api_id = "abc123""#,
                r#"api_id = "abc123""#,
                REQUIRED,
            ),
            kept(
                "domain_name",
                "domain_name = aws_apigatewayv2_domain_name.context.id",
                "domain_name = aws_apigatewayv2_domain_name.context.id",
                REQUIRED,
            ),
            kept("stage", r#"stage = "one""#, r#"stage = "two""#, REQUIRED),
            row(
                "api_mapping_key",
                r#"api_mapping_key = "v1""#,
                r#"api_mapping_key = "v2""#,
            ),
        ],
    },
    Subject {
        name: "domain-name",
        kind: Kind::DomainName,
        protocol: Protocol::Http,
        context: "",
        rows: &[
            kept(
                "domain_name",
                r#"domain_name = "api.example.com""#,
                r#"domain_name = "api.example.com""#,
                REQUIRED,
            ),
            kept(
                "domain_name_configuration",
                r#"domain_name_configuration {
  certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/one"
  endpoint_type   = "REGIONAL"
  security_policy = "TLS_1_2"
}"#,
                r#"domain_name_configuration {
  certificate_arn                        = "arn:aws:acm:eu-west-1:123456789012:certificate/two"
  endpoint_type                          = "REGIONAL"
  security_policy                        = "TLS_1_2"
  ip_address_type                        = "dualstack"
  ownership_verification_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/owner"
}"#,
                REQUIRED,
            ),
            row(
                "mutual_tls_authentication",
                r#"mutual_tls_authentication {
  truststore_uri     = "s3://truststores/one.pem"
  truststore_version = "1"
}"#,
                r#"mutual_tls_authentication {
  truststore_uri = "s3://truststores/two.pem"
}"#,
            ),
            kept(
                "routing_mode",
                r#"routing_mode = "API_MAPPING_ONLY""#,
                r#"routing_mode = "ROUTING_RULE_THEN_API_MAPPING""#,
                Removal::Kept("Optional+Computed: left out, AWS keeps the mode it has"),
            ),
            row(
                "tags",
                r#"tags = { Team = "one" }"#,
                r#"tags = { Team = "two" }"#,
            ),
        ],
    },
];

/// A WebSocket api as the recorded-response server reports it, and its configuration.
const RECORDED_WEBSOCKET_API: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name                       = "context"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}
"#;

const RECORDED_API_JSON: &str = r#"{"apiId": "abc123", "name": "context", "protocolType": "WEBSOCKET",
    "apiEndpoint": "wss://abc123.execute-api.eu-west-1.amazonaws.com",
    "apiKeySelectionExpression": "$request.header.x-api-key",
    "routeSelectionExpression": "$request.body.action", "disableExecuteApiEndpoint": false}"#;

const RECORDED_API_LIST: &str = r#"{"items": [{"apiId": "abc123", "name": "context", "protocolType": "WEBSOCKET",
    "apiEndpoint": "wss://abc123.execute-api.eu-west-1.amazonaws.com",
    "apiKeySelectionExpression": "$request.header.x-api-key",
    "routeSelectionExpression": "$request.body.action", "disableExecuteApiEndpoint": false}]}"#;

const RECORDED_COMMON: Answers<'static> = &[
    ("POST /", CALLER_IDENTITY),
    ("GET /v2/apis", RECORDED_API_LIST),
    ("GET /v2/apis/abc123", RECORDED_API_JSON),
];

/// Arguments this matrix leaves to other tests, with the test that covers them.
const ELSEWHERE: &[(Kind, Protocol, &str, &str)] = &[
    (
        Kind::Api,
        Protocol::Http,
        "body",
        "recorded_openapi_body_is_reimported_and_yaml_equals_json",
    ),
    // The same field as on HTTP apis, which http-api-create-only covers.
    (
        Kind::Api,
        Protocol::WebSocket,
        "ip_address_type",
        "http_api_create_only_arguments_round_trip",
    ),
    // Scopes go with JWT authorizers, which WebSocket APIs lack; the field is the HTTP route's.
    (
        Kind::Route,
        Protocol::WebSocket,
        "authorization_scopes",
        "http_route_arguments_round_trip",
    ),
    // HTTP stages take the WebSocket stage's arguments, less the WebSocket-only ones.
    (
        Kind::Stage,
        Protocol::Http,
        "*",
        "websocket_stage_arguments_round_trip, recorded_stage_update_sends_only_what_changed",
    ),
    // Deployments take the same arguments on both kinds of api.
    (
        Kind::Deployment,
        Protocol::Http,
        "*",
        "deployment_arguments_round_trip",
    ),
];

/// The stage's ARN as it appears in the path of TagResource and UntagResource.
const STAGE_ARN: &str = "arn%3Aaws%3Aapigateway%3Aeu-west-1%3A%3A%2Fapis%2Fabc123%2Fstages%2Fprod";

const WEBSOCKET_STAGE_SET: &str = r#"{"stageName": "prod", "autoDeploy": false,
    "clientCertificateId": "cert1", "deploymentId": "d1", "description": "one",
    "stageVariables": {"backend": "one"}, "tags": {"Team": "one", "Owner": "apis"},
    "accessLogSettings": {"destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:one",
                          "format": "$context.requestId"},
    "defaultRouteSettings": {"dataTraceEnabled": true, "detailedMetricsEnabled": true,
        "loggingLevel": "INFO", "throttlingBurstLimit": 100, "throttlingRateLimit": 50.5},
    "routeSettings": {"one": {"dataTraceEnabled": true, "detailedMetricsEnabled": false,
        "loggingLevel": "INFO", "throttlingBurstLimit": 10, "throttlingRateLimit": 5.0}}}"#;

const WEBSOCKET_STAGE_CHANGED: &str = r#"{"stageName": "prod", "autoDeploy": true,
    "clientCertificateId": "cert2", "deploymentId": "d2", "description": "two",
    "stageVariables": {"backend": "two", "region": "eu"}, "tags": {"Team": "two"},
    "accessLogSettings": {"destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:two",
                          "format": "$context.requestId $context.status"},
    "defaultRouteSettings": {"dataTraceEnabled": false, "detailedMetricsEnabled": true,
        "loggingLevel": "ERROR", "throttlingBurstLimit": 200, "throttlingRateLimit": 100.0},
    "routeSettings": {
        "one": {"dataTraceEnabled": false, "detailedMetricsEnabled": true, "loggingLevel": "OFF",
                "throttlingBurstLimit": 20, "throttlingRateLimit": 10.0},
        "two": {"dataTraceEnabled": false, "detailedMetricsEnabled": false, "loggingLevel": "ERROR"}}}"#;

const WEBSOCKET_STAGE_REMOVED: &str = r#"{"stageName": "prod", "autoDeploy": false, "deploymentId": "d2",
    "defaultRouteSettings": {"dataTraceEnabled": false, "detailedMetricsEnabled": false, "loggingLevel": "OFF"},
    "routeSettings": {}, "stageVariables": {}, "tags": {}}"#;

fn subject(name: &str) -> &'static Subject {
    SUBJECTS
        .iter()
        .find(|subject| subject.name == name)
        .unwrap_or_else(|| panic!("no subject `{name}`"))
}

/// Every argument of every kind, for each protocol it applies to, has a row, and every optional
/// argument changes value (or is first set) in an update in some row; a row's lines set the
/// argument it names.
#[test]
fn the_matrix_covers_every_argument() {
    let mut rows: BTreeMap<(Kind, bool), BTreeSet<&str>> = BTreeMap::new();
    let mut changed: BTreeSet<(Kind, &str)> = BTreeSet::new();
    for subject in SUBJECTS {
        let is_http = subject.protocol == Protocol::Http;
        for row in subject.rows {
            for text in [row.set, row.changed] {
                assert!(
                    text.is_empty() || text.trim_start().starts_with(row.name),
                    "{}: the row `{}` sets something else: {text}",
                    subject.name,
                    row.name
                );
            }
            rows.entry((subject.kind, is_http))
                .or_default()
                .insert(row.name);
            // Set to something else, or set for the first time, in an update.
            if !row.changed.is_empty() && row.set != row.changed {
                changed.insert((subject.kind, row.name));
            }
        }
    }
    let mut everything: BTreeSet<(Kind, bool)> = BTreeSet::new();
    for &(kind, protocol, name, _) in ELSEWHERE {
        if name == "*" {
            everything.insert((kind, protocol == Protocol::Http));
        }
        rows.entry((kind, protocol == Protocol::Http))
            .or_default()
            .insert(name);
        changed.insert((kind, name));
    }
    // `region` is every resource's, and a resource moves with its api: regions.rs moves an api and
    // its children from one region to another and back.
    for kind in Kind::ALL {
        for is_http in [true, false] {
            rows.entry((kind, is_http)).or_default().insert("region");
        }
        changed.insert((kind, "region"));
    }
    for kind in Kind::ALL {
        let schema = kind.schema();
        // What lives outside an api has no protocol: its subjects are written as HTTP ones.
        let in_api = kind == Kind::Api || kind.ancestry().iter().any(|p| p.kind == Kind::Api);
        let protocols = match (in_api, schema.protocol) {
            (false, _) => vec![Protocol::Http],
            (true, Some((only, _))) => vec![only],
            (true, None) => vec![Protocol::Http, Protocol::WebSocket],
        };
        for protocol in protocols {
            let applies = |only: Option<Protocol>| only.is_none_or(|only| only == protocol);
            let expected: BTreeSet<&str> = schema
                .attributes
                .iter()
                .filter(|attribute| attribute.settable())
                .filter(|attribute| applies(attribute.protocol))
                .map(|attribute| attribute.name)
                .chain(
                    schema
                        .blocks
                        .iter()
                        .filter(|block| applies(block.protocol))
                        .map(|block| block.name),
                )
                .collect();
            if everything.contains(&(kind, protocol == Protocol::Http)) {
                continue;
            }
            let covered = rows
                .get(&(kind, protocol == Protocol::Http))
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                covered,
                expected,
                "the rows of {} on {}",
                kind.as_str(),
                protocol.describe()
            );
            for attribute in schema.attributes {
                let optional = matches!(
                    attribute.presence,
                    Presence::Optional | Presence::OptionalComputed
                );
                if optional && applies(attribute.protocol) {
                    assert!(
                        changed.contains(&(kind, attribute.name)),
                        "no row changes {}.{}",
                        kind.as_str(),
                        attribute.name
                    );
                }
            }
        }
    }
}

#[test]
fn http_api_arguments_round_trip() {
    subject("http-api").round_trip();
}

#[test]
fn websocket_api_arguments_round_trip() {
    subject("websocket-api").round_trip();
}

#[test]
fn http_route_arguments_round_trip() {
    subject("http-route").round_trip();
}

#[test]
fn websocket_route_arguments_round_trip() {
    subject("websocket-route").round_trip();
}

#[test]
fn http_proxy_integration_arguments_round_trip() {
    subject("http-proxy-integration").round_trip();
}

#[test]
fn lambda_integration_arguments_round_trip() {
    subject("lambda-integration").round_trip();
}

#[test]
fn sqs_integration_arguments_round_trip() {
    subject("sqs-integration").round_trip();
}

#[test]
fn websocket_integration_arguments_round_trip() {
    subject("websocket-integration").round_trip();
}

#[test]
fn jwt_authorizer_arguments_round_trip() {
    subject("jwt-authorizer").round_trip();
}

#[test]
fn http_request_authorizer_arguments_round_trip() {
    subject("http-request-authorizer").round_trip();
}

#[test]
fn websocket_authorizer_arguments_round_trip() {
    subject("websocket-authorizer").round_trip();
}

#[test]
fn integration_response_arguments_round_trip() {
    subject("integration-response").round_trip();
}

#[test]
fn vpc_link_arguments_round_trip() {
    subject("vpc-link").round_trip();
}

#[test]
fn model_arguments_round_trip() {
    subject("model").round_trip();
}

#[test]
fn websocket_stage_arguments_round_trip() {
    let stages = |stage: &str| format!(r#"{{"items": [{stage}]}}"#);
    let log = subject("websocket-stage").round_trip_recorded(&Recorded {
        common: RECORDED_COMMON,
        initial: &[("GET /v2/apis/abc123/stages", r#"{"items": []}"#)],
        imports: &[("aws_apigatewayv2_api.context", "abc123")],
        steps: [
            (
                &[("POST /v2/apis/abc123/stages", WEBSOCKET_STAGE_SET)],
                &[("GET /v2/apis/abc123/stages", &stages(WEBSOCKET_STAGE_SET))],
            ),
            (
                &[
                    ("PATCH /v2/apis/abc123/stages/prod", WEBSOCKET_STAGE_CHANGED),
                    (&format!("POST /v2/tags/{STAGE_ARN}"), "{}"),
                    (&format!("DELETE /v2/tags/{STAGE_ARN}?tagKeys=Owner"), "{}"),
                ],
                &[(
                    "GET /v2/apis/abc123/stages",
                    &stages(WEBSOCKET_STAGE_CHANGED),
                )],
            ),
            (
                &[
                    ("DELETE /v2/apis/abc123/stages/prod/accesslogsettings", "{}"),
                    ("DELETE /v2/apis/abc123/stages/prod/routesettings/one", "{}"),
                    ("DELETE /v2/apis/abc123/stages/prod/routesettings/two", "{}"),
                    ("PATCH /v2/apis/abc123/stages/prod", WEBSOCKET_STAGE_REMOVED),
                    (&format!("DELETE /v2/tags/{STAGE_ARN}?tagKeys=Team"), "{}"),
                ],
                &[(
                    "GET /v2/apis/abc123/stages",
                    &stages(WEBSOCKET_STAGE_REMOVED),
                )],
            ),
        ],
    });
    insta::assert_snapshot!(log);
}

#[test]
fn deployment_arguments_round_trip() {
    let log = subject("deployment").round_trip_recorded(&Recorded {
        common: RECORDED_COMMON,
        initial: &[("GET /v2/apis/abc123/deployments", r#"{"items": []}"#)],
        imports: &[("aws_apigatewayv2_api.context", "abc123")],
        steps: [
            (
                &[
                    (
                        "POST /v2/apis/abc123/deployments",
                        r#"{"deploymentId": "d1", "deploymentStatus": "PENDING"}"#,
                    ),
                    ("GET /v2/apis/abc123/deployments/d1", DEPLOYMENT_ONE),
                ],
                &[(
                    "GET /v2/apis/abc123/deployments",
                    &format!(r#"{{"items": [{DEPLOYMENT_ONE}]}}"#),
                )],
            ),
            // A changed trigger replaces the deployment; the new one has the new description.
            (
                &[
                    ("DELETE /v2/apis/abc123/deployments/d1", "{}"),
                    (
                        "POST /v2/apis/abc123/deployments",
                        r#"{"deploymentId": "d2", "deploymentStatus": "PENDING"}"#,
                    ),
                    ("GET /v2/apis/abc123/deployments/d2", DEPLOYMENT_TWO),
                ],
                &[(
                    "GET /v2/apis/abc123/deployments",
                    &format!(r#"{{"items": [{DEPLOYMENT_TWO}]}}"#),
                )],
            ),
            // So does a removed one.
            (
                &[
                    ("DELETE /v2/apis/abc123/deployments/d2", "{}"),
                    (
                        "POST /v2/apis/abc123/deployments",
                        r#"{"deploymentId": "d3", "deploymentStatus": "PENDING"}"#,
                    ),
                    ("GET /v2/apis/abc123/deployments/d3", DEPLOYMENT_THREE),
                ],
                &[(
                    "GET /v2/apis/abc123/deployments",
                    &format!(r#"{{"items": [{DEPLOYMENT_THREE}]}}"#),
                )],
            ),
        ],
    });
    insta::assert_snapshot!(log);
}

const DEPLOYMENT_ONE: &str = r#"{"deploymentId": "d1", "deploymentStatus": "DEPLOYED",
    "autoDeployed": false, "description": "one"}"#;
const DEPLOYMENT_TWO: &str = r#"{"deploymentId": "d2", "deploymentStatus": "DEPLOYED",
    "autoDeployed": false, "description": "two"}"#;
const DEPLOYMENT_THREE: &str =
    r#"{"deploymentId": "d3", "deploymentStatus": "DEPLOYED", "autoDeployed": false}"#;

/// moto ignores the arguments only CreateApi takes (quick create, ipAddressType).
#[test]
fn http_api_create_only_arguments_round_trip() {
    let apis = |api: &str| format!(r#"{{"items": [{api}]}}"#);
    let log = subject("http-api-create-only").round_trip_recorded(&Recorded {
        common: &[("POST /", CALLER_IDENTITY)],
        initial: &[("GET /v2/apis", r#"{"items": []}"#)],
        imports: &[],
        steps: [
            (
                &[("POST /v2/apis", &quick_api("abc123", "ipv4"))],
                &[("GET /v2/apis", &apis(&quick_api("abc123", "ipv4")))],
            ),
            // Every one of them forces a new api; the new one is dualstack.
            (
                &[
                    ("DELETE /v2/apis/abc123", "{}"),
                    ("POST /v2/apis", &quick_api("abc124", "dualstack")),
                ],
                &[("GET /v2/apis", &apis(&quick_api("abc124", "dualstack")))],
            ),
            // Without ip_address_type, AWS chooses again.
            (
                &[
                    ("DELETE /v2/apis/abc124", "{}"),
                    ("POST /v2/apis", &quick_api("abc125", "ipv4")),
                ],
                &[("GET /v2/apis", &apis(&quick_api("abc125", "ipv4")))],
            ),
        ],
    });
    insta::assert_snapshot!(log);
}

fn quick_api(id: &str, ip_address_type: &str) -> String {
    format!(
        r#"{{"apiId": "{id}", "name": "quick", "protocolType": "HTTP",
        "apiEndpoint": "https://{id}.execute-api.eu-west-1.amazonaws.com",
        "apiKeySelectionExpression": "$request.header.x-api-key",
        "routeSelectionExpression": "$request.method $request.path",
        "disableExecuteApiEndpoint": false, "ipAddressType": "{ip_address_type}"}}"#
    )
}

/// The domain name's ARN as it appears in the path of TagResource and UntagResource.
const DOMAIN_ARN: &str = "arn%3Aaws%3Aapigateway%3Aeu-west-1%3A%3A%2Fdomainnames%2Fapi.example.com";

const DOMAIN_SET: &str = r#"{"domainName": "api.example.com", "apiMappingSelectionExpression": "$request.basepath",
    "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/one",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "ipAddressType": "ipv4",
        "hostedZoneId": "Z2FDTNDATAQYW2", "apiGatewayDomainName": "d-one.execute-api.eu-west-1.amazonaws.com",
        "domainNameStatus": "AVAILABLE"}],
    "mutualTlsAuthentication": {"truststoreUri": "s3://truststores/one.pem", "truststoreVersion": "1"},
    "routingMode": "API_MAPPING_ONLY", "tags": {"Team": "one"}}"#;

const DOMAIN_CHANGED: &str = r#"{"domainName": "api.example.com", "apiMappingSelectionExpression": "$request.basepath",
    "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/two",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "ipAddressType": "dualstack",
        "ownershipVerificationCertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/owner",
        "hostedZoneId": "Z2FDTNDATAQYW2", "apiGatewayDomainName": "d-one.execute-api.eu-west-1.amazonaws.com",
        "domainNameStatus": "AVAILABLE"}],
    "mutualTlsAuthentication": {"truststoreUri": "s3://truststores/two.pem"},
    "routingMode": "ROUTING_RULE_THEN_API_MAPPING", "tags": {"Team": "two"}}"#;

const DOMAIN_REMOVED: &str = r#"{"domainName": "api.example.com", "apiMappingSelectionExpression": "$request.basepath",
    "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/two",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "ipAddressType": "dualstack",
        "ownershipVerificationCertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/owner",
        "hostedZoneId": "Z2FDTNDATAQYW2", "apiGatewayDomainName": "d-one.execute-api.eu-west-1.amazonaws.com",
        "domainNameStatus": "AVAILABLE"}],
    "routingMode": "ROUTING_RULE_THEN_API_MAPPING", "tags": {}}"#;

/// moto has no UpdateDomainName and cannot tag a domain name: the recorded server answers.
#[test]
fn recorded_domain_name_arguments_round_trip() {
    let listed = |domain: &str| format!(r#"{{"items": [{domain}]}}"#);
    let one = "GET /v2/domainnames/api.example.com";
    let log = subject("domain-name").round_trip_recorded(&Recorded {
        common: &[("POST /", CALLER_IDENTITY)],
        initial: &[("GET /v2/domainnames", r#"{"items": []}"#)],
        imports: &[],
        steps: [
            (
                &[("POST /v2/domainnames", DOMAIN_SET), (one, DOMAIN_SET)],
                &[("GET /v2/domainnames", &listed(DOMAIN_SET))],
            ),
            (
                &[
                    (&format!("POST /v2/tags/{DOMAIN_ARN}"), "{}"),
                    ("PATCH /v2/domainnames/api.example.com", DOMAIN_CHANGED),
                    (one, DOMAIN_CHANGED),
                    ("GET /v2/domainnames", &listed(DOMAIN_SET)),
                ],
                &[("GET /v2/domainnames", &listed(DOMAIN_CHANGED))],
            ),
            (
                &[
                    (&format!("DELETE /v2/tags/{DOMAIN_ARN}?tagKeys=Team"), "{}"),
                    ("PATCH /v2/domainnames/api.example.com", DOMAIN_REMOVED),
                    (one, DOMAIN_REMOVED),
                    ("GET /v2/domainnames", &listed(DOMAIN_CHANGED)),
                ],
                &[("GET /v2/domainnames", &listed(DOMAIN_REMOVED))],
            ),
        ],
    });
    insta::assert_snapshot!(log);
}

const RECORDED_DOMAIN_NAME: &str = r#"
resource "aws_apigatewayv2_domain_name" "context" {
  domain_name = "api.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/one"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}
"#;

const RECORDED_DOMAIN_LIST: &str = r#"{"items": [{"domainName": "api.example.com",
    "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/one",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2"}]}]}"#;

/// moto has no UpdateApiMapping: the recorded server answers.
#[test]
fn recorded_api_mapping_arguments_round_trip() {
    let mapping = |stage: &str, key: &str| {
        format!(
            r#"{{"apiMappingId": "m1", "apiId": "abc123", "stage": "{stage}", "apiMappingKey": "{key}"}}"#
        )
    };
    let listed = |mapping: &str| format!(r#"{{"items": [{mapping}]}}"#);
    let mappings = "GET /v2/domainnames/api.example.com/apimappings";
    let one = "PATCH /v2/domainnames/api.example.com/apimappings/m1";
    let (set, changed, removed) = (
        mapping("one", "v1"),
        mapping("two", "v2"),
        mapping("two", ""),
    );
    let log = subject("api-mapping").round_trip_recorded(&Recorded {
        common: &[
            ("POST /", CALLER_IDENTITY),
            ("GET /v2/domainnames", RECORDED_DOMAIN_LIST),
        ],
        initial: &[(mappings, r#"{"items": []}"#)],
        imports: &[("aws_apigatewayv2_domain_name.context", "api.example.com")],
        steps: [
            (
                &[("POST /v2/domainnames/api.example.com/apimappings", &set)],
                &[(mappings, &listed(&set))],
            ),
            (
                &[(one, &changed), (mappings, &listed(&set))],
                &[(mappings, &listed(&changed))],
            ),
            (
                &[(one, &removed), (mappings, &listed(&changed))],
                &[(mappings, &listed(&removed))],
            ),
        ],
    });
    insta::assert_snapshot!(log);
}

const RECORDED_WEBSOCKET_ROUTE: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name                       = "context"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_route" "context" {
  api_id                              = aws_apigatewayv2_api.context.id
  route_key                           = "$default"
  route_response_selection_expression = "$default"
}
"#;

/// moto has neither GetRouteResponses nor UpdateRouteResponse: the recorded server answers.
#[test]
fn recorded_route_response_arguments_round_trip() {
    let route = r#"{"items": [{"routeId": "r1", "routeKey": "$default", "apiKeyRequired": false,
        "authorizationType": "NONE", "routeResponseSelectionExpression": "$default"}]}"#;
    let set = r#"{"routeResponseId": "rr1", "routeResponseKey": "$default",
        "modelSelectionExpression": "$request.body.action", "responseModels": {"$default": "Pet"}}"#;
    let changed = r#"{"routeResponseId": "rr1", "routeResponseKey": "error",
        "modelSelectionExpression": "$request.body.type",
        "responseModels": {"$default": "Pets", "error": "Error"}}"#;
    let removed = r#"{"routeResponseId": "rr1", "routeResponseKey": "error"}"#;
    let listed = |response: &str| format!(r#"{{"items": [{response}]}}"#);
    let responses = "GET /v2/apis/abc123/routes/r1/routeresponses";
    let one = "PATCH /v2/apis/abc123/routes/r1/routeresponses/rr1";
    let common = [RECORDED_COMMON, &[("GET /v2/apis/abc123/routes", route)]].concat();
    let log = subject("route-response").round_trip_recorded(&Recorded {
        common: &common,
        initial: &[(responses, r#"{"items": []}"#)],
        imports: &[
            ("aws_apigatewayv2_api.context", "abc123"),
            ("aws_apigatewayv2_route.context", "abc123/r1"),
        ],
        steps: [
            (
                &[("POST /v2/apis/abc123/routes/r1/routeresponses", set)],
                &[(responses, &listed(set))],
            ),
            (&[(one, changed)], &[(responses, &listed(changed))]),
            (&[(one, removed)], &[(responses, &listed(removed))]),
        ],
    });
    insta::assert_snapshot!(log);
}

const WEBSOCKET_MOCK_INTEGRATION: &str = r#"
resource "aws_apigatewayv2_api" "context" {
  name                       = "context"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "context" {
  api_id           = aws_apigatewayv2_api.context.id
  integration_type = "MOCK"
}
"#;

/// moto has no routing rules: the recorded server answers.
#[test]
fn recorded_routing_rule_arguments_round_trip() {
    let set = r#"{"routingRuleId": "rule1", "priority": 1,
        "routingRuleArn": "arn:aws:apigateway:eu-west-1:210987654321:/domainnames/api.example.com/routingrules/rule1",
        "actions": [{"invokeApi": {"apiId": "rest1", "stage": "one", "stripBasePath": false}}],
        "conditions": [{"matchBasePaths": {"anyOf": ["orders"]}}]}"#;
    let changed = r#"{"routingRuleId": "rule1", "priority": 20,
        "routingRuleArn": "arn:aws:apigateway:eu-west-1:210987654321:/domainnames/api.example.com/routingrules/rule1",
        "actions": [{"invokeApi": {"apiId": "rest2", "stage": "two", "stripBasePath": true}}],
        "conditions": [{"matchHeaders": {"anyOf": [{"header": "X-Version", "valueGlob": "v2*"}]}}]}"#;
    let listed = |rule: &str| format!(r#"{{"routingRules": [{rule}]}}"#);
    let rules = "GET /v2/domainnames/api.example.com/routingrules";
    let one = "PUT /v2/domainnames/api.example.com/routingrules/rule1";
    let log = subject("routing-rule").round_trip_recorded(&Recorded {
        common: &[
            ("POST /", CALLER_IDENTITY),
            ("GET /v2/domainnames", RECORDED_DOMAIN_LIST),
        ],
        initial: &[(rules, r#"{"routingRules": []}"#)],
        imports: &[("aws_apigatewayv2_domain_name.context", "api.example.com")],
        steps: [
            (
                &[("POST /v2/domainnames/api.example.com/routingrules", set)],
                &[(rules, &listed(set))],
            ),
            (&[(one, changed)], &[(rules, &listed(changed))]),
            (&[], &[(rules, &listed(changed))]),
        ],
    });
    insta::assert_snapshot!(log);
}
