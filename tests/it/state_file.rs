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
    assert_eq!(
        serial, 4,
        "an intent before each create, and the object once AWS answers"
    );
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
            (1, "aws_apigatewayv2_api.example", "intend"),
            (2, "aws_apigatewayv2_api.example", "put"),
            (3, "aws_apigatewayv2_route.example", "intend"),
            (4, "aws_apigatewayv2_route.example", "put"),
        ]
        .map(|(serial, address, change)| (serial, address.to_owned(), change.to_owned()))
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
    assert_eq!((same_lineage, serial), (lineage, 6));
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
            .ends_with("Interrupt received.\nPlease wait for gateform to exit or data loss may occur.\nGracefully shutting down...\nerror: Apply cancelled.\n"),
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
            .contains("was written by a newer gateform (format 99, this one reads up to 4)"),
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

/// Writes `routes.hcl`: `count` routes of the fixture's api, `GET PREFIX/r00` and on.
fn write_routes(workspace: &Workspace, count: usize, prefix: &str) {
    let routes: String = (0..count)
        .map(|n| {
            format!(
                "resource \"aws_apigatewayv2_route\" \"r{n:02}\" {{\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET {prefix}/r{n:02}\"\n}}\n"
            )
        })
        .collect();
    workspace.write("routes.hcl", &routes);
}

#[test]
fn an_apply_interrupted_midway_loses_nothing() {
    let workspace = Workspace::new("seed-http-api");
    write_routes(&workspace, 40, "");
    // Interrupt as soon as the first route exists.
    let mut apply = workspace.spawn(&["apply", "DIR", "--auto-approve"]);
    apply.wait_for("aws_apigatewayv2_route.r00: Creation complete");
    apply.interrupt();
    let run = apply.finish().expect_code(130);
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
        .execute_batch(
            "DROP TABLE outputs; DROP TABLE deposed; DROP TABLE pending;
             ALTER TABLE lock DROP COLUMN pid_namespace",
        )
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
    assert_eq!(version, 4);
    let output = workspace
        .run_offline(&["-C", "DIR", "output", "id"])
        .expect_code(0);
    assert_eq!(
        output.stdout,
        format!("\"{}\"\n", workspace.aws().apis()[0].id)
    );
}

/// A state file that is empty, cut short or has a page overwritten is refused by every command
/// that reads or writes it, before anything is read from or changed in AWS, and stays as it was.
#[test]
fn empty_truncated_and_corrupt_state_files_are_refused_and_left_byte_identical() {
    let workspace = Workspace::new("seed-http-api");
    write_routes(&workspace, 60, "/a-path-long-enough-to-fill-pages");
    workspace.converge();
    let good = std::fs::read(workspace.state_path()).unwrap();
    assert!(good.len() >= 5 * 4096, "{} bytes", good.len());
    let mut corrupt = good.clone();
    corrupt[3 * 4096..4 * 4096].fill(0xab);
    let cases = [
        (
            "empty",
            Vec::new(),
            "is empty (0 bytes): gateform will not take it for a new state",
        ),
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "is damaged (database disk image is malformed), so gateform neither reads nor writes it",
        ),
        ("corrupt", corrupt, "is damaged (*** in database main ***; "),
    ];
    // Deleting the api behind gateform's back would make every command want to write, if it read
    // the state.
    for (name, bytes, message) in cases {
        std::fs::write(workspace.state_path(), &bytes).unwrap();
        for command in [
            &["plan", "DIR"][..],
            &["apply", "DIR", "--auto-approve"],
            &["destroy", "DIR", "--auto-approve"],
            &["import", "aws_apigatewayv2_api.example", "abc123", "DIR"],
        ] {
            let run = workspace.run(command).expect_code(1);
            assert!(
                run.stderr.starts_with("error: the state file `") && run.stderr.contains(message),
                "{name}, {command:?}: {}",
                run.stderr
            );
            assert_eq!(
                std::fs::read(workspace.state_path()).unwrap(),
                bytes,
                "{name}, {command:?} changed the file"
            );
        }
    }
    assert_eq!(workspace.aws().apis()[0].route_keys.len(), 60);
}

/// A lock left by a run that was killed on this host is taken over, with a message that says so.
#[test]
fn a_lock_whose_holder_died_on_this_host_is_taken_over() {
    let workspace = Workspace::new("seed-http-api");
    workspace.converge();
    let mut dead = std::process::Command::new("true").spawn().unwrap();
    dead.wait().unwrap();
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let namespace = std::fs::read_link("/proc/self/ns/pid").unwrap();
    let namespace = namespace.to_string_lossy();
    let db = rusqlite::Connection::open(workspace.state_path()).unwrap();
    // The same pid, dead, in another pid namespace (a container sharing the host's name) may be
    // alive there: that lock is not taken over.
    db.execute(
        "INSERT INTO lock (id, operation, who, pid, host, created, pid_namespace) VALUES ('elsewhere', 'apply', 'ci', ?1, ?2, '2026-01-01T00:00:00Z', 'pid:[1]')",
        rusqlite::params![dead.id(), host],
    )
    .unwrap();
    let blocked = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        blocked.stderr.contains("lock id elsewhere\n"),
        "{}",
        blocked.stderr
    );
    db.execute(
        "UPDATE lock SET id = 'killed', pid_namespace = ?1",
        rusqlite::params![namespace],
    )
    .unwrap();
    drop(db);
    let run = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(
        run.stderr.starts_with(&format!(
            "gateform: took over the state's lock, held by ci (pid {} on {host}) since 2026-01-01T00:00:00Z for `apply`, lock id killed: that process is no longer running on this host.\n",
            dead.id()
        )),
        "{}",
        run.stderr
    );
    let locks: i64 = rusqlite::Connection::open(workspace.state_path())
        .unwrap()
        .query_row("SELECT count(*) FROM lock", [], |row| row.get(0))
        .unwrap();
    assert_eq!(locks, 0);
}

/// A live holder blocks a second writer, whose error says how to wait and when `force-unlock` is
/// safe; with `--lock-timeout` the second one waits and then runs.
#[test]
fn a_live_lock_names_force_unlock_and_lock_timeout_waits_for_it() {
    let workspace = Workspace::new("seed-http-api");
    let mut first = workspace.spawn(&["apply", "DIR"]);
    first.wait_for("Enter a value: ");
    let second = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    let id = second
        .stderr
        .split("lock id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the lock id");
    assert!(
        second.stderr.ends_with(&format!(
            "\nAnother gateform run is changing this state; wait for it to end, or wait for it with `--lock-timeout 5m`. If that run is gone (its machine died or its CI job was cancelled), remove the lock with `gateform force-unlock {id} --state seed-http-api/gateform.db`, but only then: two runs at once would make AWS and the state disagree.\n"
        )),
        "{}",
        second.stderr
    );
    let waiting = workspace.spawn(&["apply", "DIR", "--auto-approve", "--lock-timeout", "60s"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    first.answer("yes\n");
    first.finish().expect_code(0);
    let waited = waiting.finish().expect_code(0);
    assert!(waited.stdout.contains("No changes."), "{}", waited.stdout);
    assert_eq!(workspace.aws().apis().len(), 1);
}

/// Without USER and LOGNAME (as in many CI containers), the lock names the user the system
/// knows, not "unknown".
#[test]
fn a_lock_names_its_holder_without_user_in_the_environment() {
    let workspace = Workspace::new("seed-http-api");
    let mut first = workspace.spawn_with(&["apply", "DIR"], |command| {
        command.env_remove("USER").env_remove("LOGNAME");
    });
    first.wait_for("Enter a value: ");
    let second = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    let name = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let name = String::from_utf8(name.stdout).unwrap();
    assert!(
        second.stderr.contains(&format!(
            "is locked: held by {} (pid {} on ",
            name.trim(),
            first.pid()
        )),
        "{}",
        second.stderr
    );
    first.answer("no\n");
    first.finish().expect_code(1);
}

/// Two applies started at once in a directory with no state file yet: one creates the file and
/// applies, the other is told who holds the lock. Never a migration error, never a second api.
#[test]
fn two_applies_racing_on_a_new_state_file_give_one_apply_and_one_lock_message() {
    for trial in 0..20 {
        let workspace = Workspace::new("seed-http-api");
        let mut runs = [
            workspace.spawn(&["apply", "DIR"]),
            workspace.spawn(&["apply", "DIR"]),
        ];
        // Whoever holds the lock waits for approval; the other fails, and only then is the
        // holder told yes.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let loser = loop {
            if let Some(ended) = runs.iter_mut().position(|run| run.has_ended()) {
                break ended;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "trial {trial}: neither ended"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        runs[1 - loser].answer("yes\n");
        let mut outcomes: Vec<Run> = runs.into_iter().map(|run| run.finish()).collect();
        outcomes.sort_by_key(|run| run.code);
        let [applied, locked] = &outcomes[..] else {
            unreachable!()
        };
        assert_eq!(
            (applied.code, locked.code),
            (0, 1),
            "trial {trial}:\n{}\n{}",
            applied.stderr,
            locked.stderr
        );
        assert!(
            locked.stderr.starts_with(
                "error: the state file `seed-http-api/gateform.db` is locked: held by tester (pid "
            ),
            "trial {trial}: {}",
            locked.stderr
        );
        assert_eq!(workspace.aws().apis().len(), 1, "trial {trial}");
    }
}
