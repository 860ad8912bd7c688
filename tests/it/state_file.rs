//! The state file: private, identified, versioned, and locked while an apply runs.

use std::os::unix::fs::PermissionsExt as _;

use crate::harness::{Run, Workspace};

#[test]
fn state_file_is_private_with_lineage_serial_and_history() {
    let workspace = Workspace::new("seed-route-basic");
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let mode = std::fs::metadata(workspace.state_path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let db = rusqlite::Connection::open(workspace.state_path()).unwrap();
    let (lineage, serial): (String, i64) = db
        .query_row("SELECT lineage, serial FROM meta", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert!(
        uuid::Uuid::parse_str(&lineage).is_ok(),
        "lineage `{lineage}` is a uuid"
    );
    assert_eq!(serial, 2, "one write per successful AWS call");
    let history: Vec<(i64, String, String)> = db
        .prepare("SELECT serial, address, change FROM versions ORDER BY serial")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        history,
        [
            (
                1,
                "aws_apigatewayv2_api.example".to_owned(),
                "put".to_owned()
            ),
            (
                2,
                "aws_apigatewayv2_route.example".to_owned(),
                "put".to_owned()
            )
        ]
    );
    drop(db);

    workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    let db = rusqlite::Connection::open(workspace.state_path()).unwrap();
    let (same_lineage, serial): (String, i64) = db
        .query_row("SELECT lineage, serial FROM meta", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!((same_lineage, serial), (lineage, 4));
}

#[test]
fn a_second_apply_fails_at_once_naming_the_lock_holder() {
    let workspace = Workspace::new("seed-http-api");
    // The first apply holds the lock from before it plans until it ends: wait for its question.
    let mut first = workspace.spawn(&["apply", "DIR"]);
    first.wait_for("Enter a value: ");
    let second = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    let holder = format!("held by tester (pid {} on ", first.pid());
    assert!(second.stderr.contains(&holder), "{}", second.stderr);
    assert!(
        second.stderr.contains(" since 20") && second.stderr.contains("for `apply`, lock id "),
        "{}",
        second.stderr
    );

    first.answer("no\n");
    first.finish().expect_code(1);
    assert_eq!(workspace.aws().apis(), vec![]);
    // The lock went with the first apply.
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
}

#[test]
fn ctrl_c_at_the_prompt_cancels_and_releases_the_lock() {
    let workspace = Workspace::new("seed-http-api");
    let mut apply = workspace.spawn(&["apply", "DIR"]);
    apply.wait_for("Enter a value: ");
    apply.interrupt();
    let run = apply.finish().expect_code(1);
    assert!(
        run.stderr
            .ends_with("Interrupt received.\nerror: Apply cancelled.\n"),
        "{}",
        run.stderr
    );
    assert_eq!(workspace.aws().apis(), vec![]);
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
}

#[test]
fn force_unlock_removes_a_lock_left_by_a_dead_run() {
    let workspace = Workspace::new("seed-http-api");
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let db = rusqlite::Connection::open(workspace.state_path()).unwrap();
    db.execute(
        "INSERT INTO lock (id, operation, who, pid, host, created) VALUES ('dead-lock', 'apply', 'ghost', 99999, 'gone', '2026-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(db);
    let locked = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        locked.stderr.contains("is locked: held by ghost (pid 99999 on gone) since 2026-01-01T00:00:00Z for `apply`, lock id dead-lock"),
        "{}",
        locked.stderr
    );
    let wrong = workspace
        .run(&["force-unlock", "wrong-id", "DIR"])
        .expect_code(1);
    assert!(
        wrong.stderr.contains("no lock with id `wrong-id`"),
        "{}",
        wrong.stderr
    );
    workspace
        .run(&["force-unlock", "dead-lock", "DIR"])
        .expect_code(0);
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
}

#[test]
fn a_state_from_a_newer_gateform_is_refused() {
    let workspace = Workspace::new("seed-http-api");
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    rusqlite::Connection::open(workspace.state_path())
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let plan = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert!(
        plan.stderr
            .contains("was written by a newer gateform (format 99, this one reads up to 3)"),
        "{}",
        plan.stderr
    );
}

#[test]
fn state_path_from_flag_and_environment() {
    let workspace = Workspace::new("seed-http-api");
    let elsewhere = workspace.dir.parent().unwrap().join("elsewhere.db");
    let elsewhere = elsewhere.to_string_lossy().into_owned();
    workspace
        .run(&["apply", "DIR", "--auto-approve", "--state", &elsewhere])
        .expect_code(0);
    assert!(!workspace.state_path().exists());
    let output = workspace
        .aws_command(&["plan", "seed-http-api", "--detailed-exitcode"])
        .env("GATEFORM_STATE", &elsewhere)
        .output()
        .unwrap();
    Run::from(output).expect_code(0);
}

#[test]
fn an_apply_interrupted_midway_loses_nothing() {
    let workspace = Workspace::new("seed-http-api");
    let routes: String = (0..40)
        .map(|n| {
            format!(
                "resource \"aws_apigatewayv2_route\" \"r{n:02}\" {{\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /r{n:02}\"\n}}\n"
            )
        })
        .collect();
    workspace.write("routes.hcl", &routes);
    // Interrupt as soon as the first route exists.
    let mut apply = workspace.spawn(&["apply", "DIR", "--auto-approve"]);
    apply.wait_for("aws_apigatewayv2_route.r00: Creation complete");
    apply.interrupt();
    let run = apply.finish().expect_code(1);
    assert!(
        run.stderr
            .contains("changes were made and recorded in the state; the rest were not started"),
        "{}",
        run.stderr
    );

    // Whatever exists in AWS is in the state, so the next plan creates exactly the rest.
    let created = workspace.aws().apis()[0].route_keys.len();
    assert!((1..40).contains(&created), "{created} routes were created");
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(
        plan.summary(),
        format!("Plan: {} to add, 0 to change, 0 to destroy.", 40 - created)
    );
    workspace.converge();
    assert_eq!(workspace.aws().apis()[0].route_keys.len(), 40);
}

/// A state file written before outputs and deposed objects were kept reads as it is, and the next
/// apply migrates it.
#[test]
fn a_state_from_an_older_gateform_is_read_and_migrated() {
    let workspace = Workspace::new("seed-http-api");
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let connection = rusqlite::Connection::open(workspace.state_path()).unwrap();
    connection
        .execute_batch("DROP TABLE outputs; DROP TABLE deposed")
        .unwrap();
    connection.pragma_update(None, "user_version", 1).unwrap();
    drop(connection);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    workspace.write(
        "outputs.hcl",
        "output \"id\" {\n  value = aws_apigatewayv2_api.example.id\n}\n",
    );
    workspace.converge();
    let version: i64 = rusqlite::Connection::open(workspace.state_path())
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3);
    let output = workspace
        .run_offline(&["-C", "DIR", "output", "id"])
        .expect_code(0);
    assert_eq!(
        output.stdout,
        format!("\"{}\"\n", workspace.aws().apis()[0].id)
    );
}
