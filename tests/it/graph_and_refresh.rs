//! `gateform graph` (DOT, drawn by Graphviz's own `dot`) and `gateform refresh`.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::drift::{applied_route, retarget_behind_our_back};
use crate::harness::Workspace;

/// What Graphviz's `dot` makes of `graph` in `format` (`svg`, `plain`). Graphviz is a system
/// package: `.ci/run` installs it when `dot` is missing, as it does PostgreSQL.
fn dot(graph: &str, format: &str) -> String {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz's `dot` runs (apt-get install graphviz)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(graph.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "dot refused the graph: {}\n{graph}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The edges of a graph as `dot -Tplain` reads them back: (tail, head).
fn edges(graph: &str) -> Vec<(String, String)> {
    let plain = dot(graph, "plain");
    let mut edges: Vec<(String, String)> = plain
        .lines()
        .filter(|line| line.starts_with("edge "))
        .map(|line| {
            // `edge TAIL HEAD n x1 y1 ...`: names are quoted when they need it.
            let mut names = Vec::new();
            let mut rest = &line[5..];
            for _ in 0..2 {
                rest = rest.trim_start();
                let (name, after) = match rest.strip_prefix('"') {
                    Some(quoted) => {
                        let end = quoted.find("\" ").unwrap();
                        (quoted[..end].replace("\\\"", "\""), &quoted[end + 1..])
                    }
                    None => {
                        let end = rest.find(' ').unwrap();
                        (rest[..end].to_owned(), &rest[end..])
                    }
                };
                names.push(name);
                rest = after;
            }
            (names[0].clone(), names[1].clone())
        })
        .collect();
    edges.sort();
    edges
}

fn edge(from: &str, to: &str) -> (String, String) {
    (from.to_owned(), to.to_owned())
}

#[test]
fn graph_draws_with_graphviz() {
    let workspace = Workspace::new("for-each-routes");
    let graph = workspace
        .run_offline(&["graph", "DIR"])
        .expect_code(0)
        .stdout;
    let svg = dot(&graph, "svg");
    assert!(
        svg.contains("<svg") && svg.contains("aws_apigatewayv2_route.this[&quot;list&quot;]"),
        "{svg}"
    );
    let this = |kind: &str, key: &str| format!("aws_apigatewayv2_{kind}.this[\"{key}\"]");
    let api = "aws_apigatewayv2_api.this";
    assert_eq!(
        edges(&graph),
        [
            edge(&this("integration", "create"), api),
            edge(&this("integration", "list"), api),
            edge("aws_apigatewayv2_route.extra[0]", api),
            edge("aws_apigatewayv2_route.extra[1]", api),
            edge(&this("route", "create"), api),
            edge(&this("route", "create"), &this("integration", "create")),
            edge(&this("route", "list"), api),
            edge(&this("route", "list"), &this("integration", "list")),
        ]
    );
    // The steps of an apply: a replacement deletes before it creates, and what uses the
    // replaced object waits for the new one.
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let main = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    workspace.write("main.hcl", &main.replace("name          = \"pets\"\n  protocol_type = \"HTTP\"", "name          = \"pets\"\n  protocol_type = \"WEBSOCKET\"\n  route_selection_expression = \"$request.body.action\""));
    let steps = workspace
        .run_offline(&["graph", "DIR", "--type", "apply"])
        .expect_code(0)
        .stdout;
    let found = edges(&steps);
    assert!(
        found.contains(&edge(
            "aws_apigatewayv2_api.this (create)",
            "aws_apigatewayv2_api.this (delete)"
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&edge(
            "aws_apigatewayv2_route.extra[0] (create)",
            "aws_apigatewayv2_api.this (create)"
        )),
        "{found:#?}"
    );
}

#[test]
fn refresh_records_what_changed_outside_and_changes_nothing_in_aws() {
    let workspace = Workspace::new("seed-http-api");
    let (api_id, route_id) = applied_route(&workspace);
    retarget_behind_our_back(&workspace, &api_id, &route_id);
    let refresh = workspace.run(&["refresh", "DIR"]).expect_code(0);
    assert!(
        refresh
            .stdout
            .contains("Objects have changed outside of gateform"),
        "{}",
        refresh.stdout
    );
    let route = workspace.state_values("aws_apigatewayv2_route.example");
    assert_eq!(route["target"], "integrations/zzz9999");
    // AWS keeps the change: refresh only records it.
    let aws = workspace.aws();
    let routes = aws
        .block_on(aws.client().get_routes().api_id(&api_id).send())
        .unwrap();
    assert_eq!(routes.items()[0].target(), Some("integrations/zzz9999"));
}

#[test]
fn refresh_of_a_plan_file_is_refused_and_applies_nothing() {
    let workspace = Workspace::new("seed-http-api");
    let planfile = workspace.file("tfplan");
    let planfile = planfile.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "-out", planfile])
        .expect_code(0);
    let refused = workspace.run(&["refresh", planfile]).expect_code(1);
    assert_eq!(
        refused.stderr,
        format!(
            "error: `refresh` takes a configuration directory, not a plan file: `gateform apply {planfile}` applies a saved plan\n"
        )
    );
    assert!(workspace.aws().apis().is_empty(), "nothing was made");
}
