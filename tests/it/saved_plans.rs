//! Saved plans: `plan --out FILE`, then `apply FILE` from anywhere, exactly that plan and nothing
//! else, refused when what it was made from moved.

use crate::harness::{Run, Workspace, bytes};

/// Runs gateform against moto from the filesystem root, far from the configuration.
fn run_from_elsewhere(workspace: &Workspace, args: &[&str]) -> Run {
    let output = workspace
        .aws_command(args)
        .current_dir("/")
        .output()
        .expect("run gateform");
    Run::from(output)
}

#[test]
fn a_saved_plan_applies_exactly_and_is_refused_once_the_state_moved() {
    let workspace = Workspace::new("seed-http-api");
    let planfile = workspace.file("first.tfplan");
    let planfile = planfile.to_str().unwrap();
    let plan = workspace
        .run(&["plan", "DIR", "--out", planfile])
        .expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(
        plan.stderr.contains(&format!(
            "Saved the plan to: {planfile}\n\nTo perform exactly these actions, run the following command to apply:\n    gateform apply \"{planfile}\"\n"
        )),
        "{}",
        plan.stderr
    );
    // The saved plan shows as it was made, in every format.
    let shown = workspace
        .run_offline(&["show", planfile, "--format", "markdown"])
        .expect_code(0);
    assert!(
        shown.stdout.starts_with(
            "<!-- gateform-plan: seed-http-api -->\n## gateform plan for `seed-http-api`\n\n**Plan: 1 to add, 0 to change, 0 to destroy.**\n"
        ),
        "{}",
        shown.stdout
    );

    let apply = run_from_elsewhere(&workspace, &["apply", planfile]).expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
    );
    let aws = workspace.aws();
    assert_eq!(aws.apis().len(), 1);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    // A second plan is saved; then another apply moves the state first.
    workspace.edit("main.hcl", "\"example-http-api\"", "\"renamed-api\"");
    let second = workspace.file("second.tfplan");
    let second = second.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "--out", second])
        .expect_code(0);
    workspace.edit("main.hcl", "\"renamed-api\"", "\"third-name\"");
    workspace.converge();
    workspace.edit("main.hcl", "\"third-name\"", "\"renamed-api\"");
    let state = bytes(&workspace.state_path());
    let refused = run_from_elsewhere(&workspace, &["apply", second]).expect_code(1);
    assert_eq!(
        refused.stderr,
        "error: saved plan is stale: the state changed since this plan was made (it was at serial 2, it is now at serial 3); make a new plan\n"
    );
    assert!(
        bytes(&workspace.state_path()) == state,
        "the refused plan changed the state file"
    );
    assert_eq!(aws.apis()[0].name, "third-name");
}

#[test]
fn a_saved_plan_is_refused_when_the_configuration_changed() {
    let workspace = Workspace::new("seed-route-basic");
    let planfile = workspace.file("tfplan");
    let planfile = planfile.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "--out", planfile])
        .expect_code(0);
    workspace.edit("main.hcl", "\"$default\"", "\"$connect\"");
    workspace.write("extra.hcl", "");
    let refused = run_from_elsewhere(&workspace, &["apply", planfile]).expect_code(1);
    assert_eq!(
        refused.stderr,
        "error: saved plan is stale: the configuration's meaning changed since this plan was made (`main.hcl` changed, `extra.hcl` was added)\n"
    );
    assert!(
        bytes(&workspace.state_path()).is_none(),
        "the refused plan made a state file"
    );
    assert!(workspace.aws().apis().is_empty());
}

#[test]
fn apply_refuses_what_is_not_a_plan_from_this_gateform() {
    let workspace = Workspace::new("seed-http-api");
    let not_a_plan = workspace
        .run_offline(&["apply", "seed-http-api/main.hcl"])
        .expect_code(1);
    assert_eq!(
        not_a_plan.stderr,
        "error: `seed-http-api/main.hcl` is not a gateform plan file\n"
    );

    let planfile = workspace.file("tfplan");
    workspace
        .run(&["plan", "DIR", "--out", planfile.to_str().unwrap()])
        .expect_code(0);
    let text = std::fs::read_to_string(&planfile).unwrap();
    let version = format!("\"gateform_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    std::fs::write(
        &planfile,
        text.replace(&version, "\"gateform_version\":\"0.0.1\""),
    )
    .unwrap();
    let other = workspace
        .run_offline(&["apply", "seed-http-api/tfplan"])
        .expect_code(1);
    assert_eq!(
        other.stderr,
        format!(
            "error: `seed-http-api/tfplan` was made by gateform 0.0.1 (plan format 4); this is gateform {} (plan format 4): make the plan again with this gateform\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert!(
        bytes(&workspace.state_path()).is_none(),
        "the refused plan made a state file"
    );
}

/// A saved plan keeps the data sources' values it was made with: what was reviewed is what is
/// applied, even when the object a data source reads changed since.
#[test]
fn issue_10_a_saved_plan_applies_with_the_data_it_was_made_with() {
    let workspace = Workspace::empty("data-plan");
    let aws = workspace.aws();
    let id = aws.create_http_api("shared");
    workspace.write(
        "main.hcl",
        &format!(
            r#"data "aws_apigatewayv2_api" "shared" {{
  api_id = "{id}"
}}

resource "aws_apigatewayv2_api" "copy" {{
  name          = "${{data.aws_apigatewayv2_api.shared.name}}-copy"
  protocol_type = "HTTP"
}}
"#
        ),
    );
    let planfile = workspace.file("tfplan");
    let planfile = planfile.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "--out", planfile])
        .expect_code(0);
    aws.block_on(aws.client().update_api().api_id(&id).name("renamed").send())
        .expect("UpdateApi");
    run_from_elsewhere(&workspace, &["apply", planfile]).expect_code(0);
    let names: Vec<String> = aws.apis().into_iter().map(|api| api.name).collect();
    assert_eq!(names, ["renamed", "shared-copy"]);
}

/// A plan file edited by hand is refused as a whole, with a message and exit code 1: never a
/// crash, never part of it applied.
#[test]
fn issue_10_an_edited_plan_file_is_refused_before_anything_is_done() {
    let workspace = Workspace::new("seed-route-basic");
    let planfile = workspace.file("tfplan");
    let planfile = planfile.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "--out", planfile])
        .expect_code(0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(planfile).unwrap()).unwrap();
    /// What the refusal says, and the edit of the plan's changes that makes it.
    type Edit = (&'static str, fn(&mut serde_json::Value));
    let edits: [Edit; 3] = [
        (
            "its changes are not in address order (`aws_apigatewayv2_route.example` before `aws_apigatewayv2_api.example`)",
            |changes| changes.as_array_mut().unwrap().reverse(),
        ),
        (
            "`aws_apigatewayv2_api.example` is to be changed or destroyed, but the plan has no object for it",
            |changes| changes[0]["action"] = "Delete".into(),
        ),
        (
            "`aws_apigatewayv2_api.other` is to be created or changed, but it is not in the configuration",
            |changes| changes[0]["address"] = "aws_apigatewayv2_api.other".into(),
        ),
    ];
    for (reason, edit) in edits {
        let mut edited = saved.clone();
        edit(&mut edited["plan"]["changes"]);
        std::fs::write(planfile, edited.to_string()).unwrap();
        let apply = run_from_elsewhere(&workspace, &["apply", planfile]).expect_code(1);
        assert_eq!(
            apply.stderr,
            format!(
                "error: the plan cannot be applied: {reason}; it is not a plan gateform made: make the plan again with `gateform plan --out`\n"
            )
        );
        assert!(workspace.aws().apis().is_empty(), "{reason}: AWS changed");
        let state = workspace
            .run_offline(&["show", "DIR", "--json"])
            .expect_code(0);
        assert!(
            !state.stdout.contains("aws_apigatewayv2"),
            "{reason}: {}",
            state.stdout
        );
    }
}

#[test]
fn a_saved_plan_still_applies_after_fmt_and_new_comments() {
    let workspace = Workspace::new("seed-route-basic");
    let planfile = workspace.file("tfplan");
    let planfile = planfile.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "--out", planfile])
        .expect_code(0);
    // Misaligned, then formatted back; a comment and a blank line added: the same meaning.
    workspace.edit("main.hcl", "route_key = ", "route_key     =   ");
    workspace.run_offline(&["fmt", "DIR"]).expect_code(0);
    let main = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    workspace.write(
        "main.hcl",
        &format!("# The api and its one route.\n\n{main}"),
    );
    let applied = run_from_elsewhere(&workspace, &["apply", planfile]).expect_code(0);
    assert!(
        applied
            .stdout
            .contains("Apply complete! Resources: 2 added"),
        "{}",
        applied.stdout
    );
}

#[test]
fn a_saved_plan_is_stale_when_a_tf_json_file_changes() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "route.tf.json",
        r#"{"resource": {"aws_apigatewayv2_route": {"r": {"api_id": "${aws_apigatewayv2_api.example.id}", "route_key": "GET /"}}}}"#,
    );
    let planfile = workspace.file("tfplan");
    let planfile = planfile.to_str().unwrap();
    workspace
        .run(&["plan", "DIR", "--out", planfile])
        .expect_code(0);
    workspace.edit("route.tf.json", "GET /", "GET /x");
    let refused = run_from_elsewhere(&workspace, &["apply", planfile]).expect_code(1);
    assert_eq!(
        refused.stderr,
        "error: saved plan is stale: the configuration's meaning changed since this plan was made (`route.tf.json` changed)\n"
    );
}
