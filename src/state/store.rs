//! The state file: SQLite through rusqlite. The only code that knows SQL.
//!
//! Every write is its own short IMMEDIATE transaction that compare-and-swaps the serial, so a crash
//! loses at most the call in flight, and two writers can never interleave unnoticed. A writer holds
//! the lock row for its whole run.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::{Deposed, Intent, OutputState, ResourceState, State};
use crate::addr::{Address, Addresses};
use crate::value::{Value, object_from_json, object_to_json};

/// The migrations that build the schema, in order. `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../state/0001_initial.sql"),
    include_str!("../../state/0002_outputs.sql"),
    include_str!("../../state/0003_deposed.sql"),
    include_str!("../../state/0004_pending.sql"),
];
/// The version of the attribute layout of the resources this gateform writes.
const SCHEMA_VERSION: i64 = 1;

/// An open state file, for writing.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    serial: u64,
    lock_id: Option<String>,
}

/// Who holds the lock on a state file.
/// One entry of the history: what one serial changed.
#[derive(Clone, Debug)]
pub struct Version {
    pub serial: u64,
    /// RFC 3339, UTC.
    pub created: String,
    pub who: String,
    pub operation: String,
    /// The resource's address, or what else changed (`outputs`, a deposed object).
    pub address: String,
    /// `put`, `remove`, `intend` or `drop-intent`.
    pub change: String,
    attributes: Option<String>,
    dependencies: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockInfo {
    pub id: String,
    pub operation: String,
    pub who: String,
    pub pid: u32,
    pub host: String,
    pub created: String,
    /// The pid namespace the holder ran in (Linux), so that a container sharing the host's name
    /// is not taken for this one.
    pub pid_namespace: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} the state file `{path}`")]
    Sql {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create the state file `{path}`")]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the state file `{path}` is locked: {holder}\nAnother gateform run is changing this state; wait for it to end, or wait for it with `--lock-timeout 5m`. If that run is gone (its machine died or its CI job was cancelled), remove the lock with `gateform force-unlock {id} --state {path}`, but only then: two runs at once would make AWS and the state disagree.",
        id = holder.id,
        path = path.display()
    )]
    Locked {
        path: PathBuf,
        holder: Box<LockInfo>,
    },
    #[error(
        "the state file `{path}` was written by a newer gateform (format {found}, this one reads up to {supported})"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: usize,
    },
    #[error("`{path}` is not a gateform state file")]
    NotState { path: PathBuf },
    #[error(
        "the state file `{path}` is empty (0 bytes): gateform will not take it for a new state, since the objects it recorded may still exist in AWS; restore it from a backup, or delete it if nothing it managed exists any more"
    )]
    Empty { path: PathBuf },
    #[error(
        "the state file `{path}` is damaged ({reason}), so gateform neither reads nor writes it; restore it from a backup (`cp` it aside first), or rebuild it with `gateform import`"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "the state file `{path}` changed while this run was writing it (serial {expected} expected)"
    )]
    Conflict { path: PathBuf, expected: u64 },
    #[error("the state file `{path}` holds an invalid entry for `{address}`")]
    Corrupt { path: PathBuf, address: String },
    #[error("no lock with id `{id}` on the state file `{path}`")]
    NoSuchLock { path: PathBuf, id: String },
}

impl LockInfo {
    /// Whether the holder ran on this host and its process is gone: a run killed with kill -9,
    /// or by the machine's out-of-memory killer. A pid reused since counts as alive.
    fn is_dead(&self) -> bool {
        // SAFETY: kill with signal 0 only checks that the process exists.
        let alive = || unsafe { libc::kill(self.pid as libc::pid_t, 0) == 0 }
            || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
        let here = self.host == host()
            && self.pid_namespace.is_some()
            && self.pid_namespace == pid_namespace();
        here && self.pid != std::process::id() && !alive()
    }
}

impl fmt::Display for LockInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "held by {} (pid {} on {}) since {} for `{}`, lock id {}",
            self.who, self.pid, self.host, self.created, self.operation, self.id
        )
    }
}

/// Reads the state at `path` without changing anything. A missing file is an empty state.
pub fn read(path: &Path) -> Result<State, StoreError> {
    if !path.exists() {
        return Ok(State::default());
    }
    let conn = open_checked(path)?;
    load(&conn, path)
}

/// Who holds the lock on the state at `path` and is still running, if anyone: for a command that
/// reads without locking, whose picture of creates in flight that holder is still making.
pub fn live_holder(path: &Path) -> Result<Option<LockInfo>, StoreError> {
    if !path.exists() {
        return Ok(None);
    }
    let conn = open_checked(path)?;
    if user_version(&conn, path)? < 4 {
        return Ok(None);
    }
    Ok(current_lock(&conn, path)?.filter(|holder| !holder.is_dead()))
}

/// Opens an existing state file read-only after checking it: not empty, sound as SQLite sees it
/// (`quick_check`), a gateform state of a version this one reads, with its identity row. Every
/// command checks here before it reads or writes anything, so a damaged file is never written to.
fn open_checked(path: &Path) -> Result<Connection, StoreError> {
    let empty = std::fs::metadata(path).is_ok_and(|metadata| metadata.len() == 0);
    if empty {
        return Err(StoreError::Empty {
            path: path.to_owned(),
        });
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sql("open", path))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sql("open", path))?;
    let damaged = |reason: String| StoreError::Damaged {
        path: path.to_owned(),
        reason: reason.lines().map(str::trim).collect::<Vec<_>>().join("; "),
    };
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(|error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotState {
                path: path.to_owned(),
            },
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => damaged(error.to_string()),
            // Busy, unreadable, a read-only directory: the file may well be sound.
            _ => sql("open", path)(error),
        })?;
    if verdict != "ok" {
        return Err(damaged(verdict));
    }
    let version = user_version(&conn, path)?;
    // An older state reads as it is; the next write migrates it.
    if version > MIGRATIONS.len() as i64 || version < 1 {
        return Err(version_error(path, version));
    }
    meta(&conn, path)?;
    Ok(conn)
}

impl Store {
    /// Opens the state at `path` for writing: an existing file once [`open_checked`] passes it,
    /// migrated forward as needed; a missing one is made whole under another name and then linked
    /// into place, so that two runs racing to create it both end up opening the same file.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            create(path)?;
        }
        drop(open_checked(path)?);
        let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(sql("open", path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql("open", path))?;
        migrate(&mut conn, path)?;
        let serial = meta(&conn, path)?.1;
        Ok(Store {
            conn,
            path: path.to_owned(),
            serial,
            lock_id: None,
        })
    }

    /// Takes the lock for `operation`, or fails at once with [`StoreError::Locked`] naming the
    /// holder. A lock whose holder ran on this host, in this pid namespace, and is no longer
    /// alive is taken over, and returned so that the caller can say so.
    pub fn lock(&mut self, operation: &str) -> Result<Option<LockInfo>, StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("lock", &path))?;
        let holder = current_lock(&tx, &path)?;
        let dead = holder.as_ref().filter(|holder| holder.is_dead());
        if let (Some(holder), None) = (&holder, dead) {
            return Err(StoreError::Locked {
                path,
                holder: Box::new(holder.clone()),
            });
        }
        tx.execute("DELETE FROM lock", [])
            .map_err(sql("lock", &path))?;
        let id = uuid::Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO lock (id, operation, who, pid, host, created, pid_namespace)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                operation,
                who(),
                std::process::id(),
                host(),
                now(),
                pid_namespace()
            ],
        )
        .map_err(sql("lock", &path))?;
        tx.commit().map_err(sql("lock", &path))?;
        self.lock_id = Some(id);
        Ok(dead.cloned())
    }

    pub fn load(&self) -> Result<State, StoreError> {
        load(&self.conn, &self.path)
    }

    /// Records a resource's attributes after a successful call.
    pub fn put(
        &mut self,
        address: &Address,
        resource: &ResourceState,
        operation: &str,
    ) -> Result<(), StoreError> {
        self.put_deposing(address, resource, None, operation)
    }

    /// Records a `create_before_destroy` replacement: the new object takes the address, and in the
    /// same transaction the old one becomes deposed, until [`Store::remove_deposed`].
    pub fn put_deposing(
        &mut self,
        address: &Address,
        resource: &ResourceState,
        old: Option<&ResourceState>,
        operation: &str,
    ) -> Result<(), StoreError> {
        let (attributes, dependencies) = self.encode(address, resource)?;
        let old = old
            .map(|old| Ok::<_, StoreError>((old.id().to_owned(), self.encode(address, old)?)))
            .transpose()?;
        self.write(&address.to_string(), operation, Change::Put(&attributes, &dependencies), |tx| {
            // The object replaces the intent to create it, if there was one.
            tx.execute("DELETE FROM pending WHERE address = ?1", params![address.to_string()])?;
            if let Some((id, (attributes, dependencies))) = &old {
                tx.execute(
                    "INSERT OR REPLACE INTO deposed (address, remote_id, attributes, dependencies)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![address.to_string(), id, attributes, dependencies],
                )?;
            }
            tx.execute(
                "INSERT INTO resources (address, type, remote_id, attributes, dependencies, schema_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (address) DO UPDATE SET type = ?2, remote_id = ?3, attributes = ?4,
                     dependencies = ?5, schema_version = ?6",
                params![
                    address.to_string(),
                    address.kind.as_str(),
                    resource.id(),
                    attributes,
                    dependencies,
                    SCHEMA_VERSION
                ],
            )
        })
    }

    /// Forgets a deposed object after it was deleted.
    pub fn remove_deposed(
        &mut self,
        address: &Address,
        id: &str,
        operation: &str,
    ) -> Result<(), StoreError> {
        let entry = format!("{address} (deposed object {id})");
        self.write(&entry, operation, Change::Remove, |tx| {
            tx.execute(
                "DELETE FROM deposed WHERE address = ?1 AND remote_id = ?2",
                params![address.to_string(), id],
            )
        })
    }

    /// A resource's attributes and dependencies as the tables hold them.
    fn encode(
        &self,
        address: &Address,
        resource: &ResourceState,
    ) -> Result<(String, String), StoreError> {
        let attributes = object_to_json(&resource.attributes)
            .ok_or_else(|| StoreError::Corrupt {
                path: self.path.clone(),
                address: address.to_string(),
            })?
            .to_string();
        Ok((attributes, dependencies_json(&resource.dependencies)))
    }

    /// Forgets a resource after it was deleted.
    pub fn remove(&mut self, address: &Address, operation: &str) -> Result<(), StoreError> {
        self.write(&address.to_string(), operation, Change::Remove, |tx| {
            tx.execute(
                "DELETE FROM resources WHERE address = ?1",
                params![address.to_string()],
            )
        })
    }

    /// Records the intent to create `address` with `resource`'s arguments, before the create is
    /// sent: until the object replaces it ([`Store::put`]), the next run looks for the object.
    pub fn intend(
        &mut self,
        address: &Address,
        resource: &ResourceState,
        operation: &str,
    ) -> Result<(), StoreError> {
        let (arguments, dependencies) = self.encode(address, resource)?;
        let change = Change::Intend(&arguments, &dependencies);
        self.write(&address.to_string(), operation, change, |tx| {
            tx.execute(
                "INSERT OR REPLACE INTO pending (address, type, arguments, dependencies, created)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    address.to_string(),
                    address.kind.as_str(),
                    arguments,
                    dependencies,
                    now_precise()
                ],
            )
        })
    }

    /// Forgets the intent to create `address`: the create failed in a way that made nothing, or
    /// the next run looked for the object and AWS has none.
    pub fn drop_intent(&mut self, address: &Address, operation: &str) -> Result<(), StoreError> {
        self.write(&address.to_string(), operation, Change::DropIntent, |tx| {
            tx.execute(
                "DELETE FROM pending WHERE address = ?1",
                params![address.to_string()],
            )
        })
    }

    /// One write: bump the serial if nobody else did, change the resource, append to the history.
    fn write(
        &mut self,
        address: &str,
        operation: &str,
        recorded: Change<'_>,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        self.write_all(&[(address, recorded)], operation, change)
    }

    /// Several changes in one transaction, each with its serial and its row in the history: all of
    /// them are recorded, or none.
    fn write_all(
        &mut self,
        records: &[(&str, Change<'_>)],
        operation: &str,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("write", &path))?;
        let bumped = tx
            .execute(
                "UPDATE meta SET serial = serial + ?2 WHERE id = 1 AND serial = ?1",
                params![self.serial as i64, records.len() as i64],
            )
            .map_err(sql("write", &path))?;
        if bumped != 1 {
            return Err(StoreError::Conflict {
                path,
                expected: self.serial,
            });
        }
        change(&tx).map_err(sql("write", &path))?;
        for (at, (address, recorded)) in records.iter().enumerate() {
            tx.execute(
                "INSERT INTO versions (serial, created, who, operation, address, change, attributes, dependencies)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    (self.serial + 1 + at as u64) as i64,
                    now(),
                    who(),
                    operation,
                    address,
                    recorded.name(),
                    recorded.attributes(),
                    recorded.dependencies(),
                ],
            )
            .map_err(sql("write", &path))?;
        }
        tx.commit().map_err(sql("write", &path))?;
        self.serial += records.len() as u64;
        Ok(())
    }

    /// Records each object at `from` as `resource` at the address `to`, all in one transaction:
    /// a run stopped at any moment leaves every object at one address or the other, never at
    /// both (where the next plan would destroy the one at the address the configuration no
    /// longer has).
    pub fn rename(
        &mut self,
        moves: &[(&Address, &Address, &ResourceState)],
        operation: &str,
    ) -> Result<(), StoreError> {
        let mut rows = Vec::new();
        for (from, to, resource) in moves {
            let (attributes, dependencies) = self.encode(to, resource)?;
            let id = resource.id().to_owned();
            rows.push((
                from.to_string(),
                to.to_string(),
                to.kind.as_str(),
                id,
                attributes,
                dependencies,
            ));
        }
        let records: Vec<(&str, Change<'_>)> = rows
            .iter()
            .flat_map(|(from, to, _, _, attributes, dependencies)| {
                [
                    (to.as_str(), Change::Put(attributes, dependencies)),
                    (from.as_str(), Change::Remove),
                ]
            })
            .collect();
        self.write_all(&records, operation, |tx| {
            for (from, to, kind, id, attributes, dependencies) in &rows {
                tx.execute(
                    "UPDATE resources SET address = ?2, type = ?3, remote_id = ?4, attributes = ?5,
                         dependencies = ?6
                     WHERE address = ?1",
                    params![from, to, kind, id, attributes, dependencies],
                )?;
            }
            Ok(rows.len())
        })
    }

    /// The history, oldest first: one entry per serial.
    pub fn history(&self) -> Result<Vec<Version>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT serial, created, who, operation, address, change, attributes, dependencies
                 FROM versions ORDER BY serial",
            )
            .map_err(sql("read", &self.path))?;
        let rows = statement
            .query_map([], |row| {
                Ok(Version {
                    serial: row.get::<_, i64>(0)? as u64,
                    created: row.get(1)?,
                    who: row.get(2)?,
                    operation: row.get(3)?,
                    address: row.get(4)?,
                    change: row.get(5)?,
                    attributes: row.get(6)?,
                    dependencies: row.get(7)?,
                })
            })
            .map_err(sql("read", &self.path))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql("read", &self.path))
    }

    /// The resources as they were at `serial`, replayed from the history.
    pub fn resources_at(
        &self,
        serial: u64,
    ) -> Result<BTreeMap<Address, ResourceState>, StoreError> {
        let mut resources = BTreeMap::new();
        for version in self
            .history()?
            .into_iter()
            .take_while(|v| v.serial <= serial)
        {
            // Deposed objects, intents and outputs have entries of their own, not resources'.
            let Ok(address) = version.address.parse::<Address>() else {
                continue;
            };
            match (
                version.change.as_str(),
                &version.attributes,
                &version.dependencies,
            ) {
                ("put", Some(attributes), Some(dependencies)) => {
                    let corrupt = || StoreError::Corrupt {
                        path: self.path.clone(),
                        address: version.address.clone(),
                    };
                    let attributes = serde_json::from_str(attributes)
                        .ok()
                        .and_then(|json| object_from_json(&json))
                        .ok_or_else(corrupt)?;
                    let dependencies: Vec<Address> =
                        serde_json::from_str(dependencies).map_err(|_| corrupt())?;
                    let dependencies = Addresses::from(dependencies);
                    resources.insert(
                        address,
                        ResourceState {
                            attributes,
                            dependencies,
                        },
                    );
                }
                ("remove", _, _) => {
                    resources.remove(&address);
                }
                _ => {}
            }
        }
        Ok(resources)
    }

    /// Makes the resources what `resources` holds, in one transaction, with a history entry for
    /// each that changes.
    pub fn restore(
        &mut self,
        resources: &BTreeMap<Address, ResourceState>,
        operation: &str,
    ) -> Result<usize, StoreError> {
        let now = self.load()?.resources;
        let mut puts = Vec::new();
        for (address, resource) in resources {
            if now.get(address) != Some(resource) {
                let (attributes, dependencies) = self.encode(address, resource)?;
                puts.push((
                    address.to_string(),
                    resource.id().to_owned(),
                    attributes,
                    dependencies,
                ));
            }
        }
        let removes: Vec<String> = now
            .keys()
            .filter(|address| !resources.contains_key(address))
            .map(ToString::to_string)
            .collect();
        let mut records: Vec<(&str, Change<'_>)> = puts
            .iter()
            .map(|(address, _, attributes, dependencies)| {
                (address.as_str(), Change::Put(attributes, dependencies))
            })
            .collect();
        records.extend(
            removes
                .iter()
                .map(|address| (address.as_str(), Change::Remove)),
        );
        if records.is_empty() {
            return Ok(0);
        }
        let count = records.len();
        self.write_all(&records, operation, |tx| {
            for address in &removes {
                tx.execute("DELETE FROM resources WHERE address = ?1", params![address])?;
            }
            for (address, id, attributes, dependencies) in &puts {
                let kind = address.parse::<Address>().map(|a| a.kind.as_str()).unwrap_or_default();
                tx.execute(
                    "INSERT INTO resources (address, type, remote_id, attributes, dependencies, schema_version)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (address) DO UPDATE SET type = ?2, remote_id = ?3, attributes = ?4,
                         dependencies = ?5, schema_version = ?6",
                    params![address, kind, id, attributes, dependencies, SCHEMA_VERSION],
                )?;
            }
            Ok(count)
        })?;
        Ok(count)
    }

    /// Records the root module's output values after an apply, replacing the last ones. Nothing
    /// is written when they did not change.
    pub fn set_outputs(
        &mut self,
        outputs: &BTreeMap<String, OutputState>,
        operation: &str,
    ) -> Result<(), StoreError> {
        if &self.load()?.outputs == outputs {
            return Ok(());
        }
        let rows: Vec<(String, String, bool)> = outputs
            .iter()
            .map(|(name, output)| {
                let value = output.value.to_json().unwrap_or_default().to_string();
                (name.clone(), value, output.sensitive)
            })
            .collect();
        let all = serde_json::to_string(
            &rows
                .iter()
                .map(|(name, value, _)| (name.as_str(), value.as_str()))
                .collect::<BTreeMap<_, _>>(),
        )
        .unwrap_or_default();
        self.write("outputs", operation, Change::Put(&all, "[]"), |tx| {
            tx.execute("DELETE FROM outputs", [])?;
            for (name, value, sensitive) in &rows {
                tx.execute(
                    "INSERT INTO outputs (name, value, sensitive) VALUES (?1, ?2, ?3)",
                    params![name, value, sensitive],
                )?;
            }
            Ok(rows.len())
        })
    }

    /// The lock this store holds, to release from elsewhere.
    pub fn held_lock(&self) -> Option<HeldLock> {
        Some(HeldLock {
            path: self.path.clone(),
            id: self.lock_id.clone()?,
        })
    }

    /// Releases the lock this store holds, if any.
    pub fn unlock(&mut self) -> Result<(), StoreError> {
        if let Some(id) = self.lock_id.take() {
            self.conn
                .execute("DELETE FROM lock WHERE id = ?1", params![id])
                .map_err(sql("unlock", &self.path))?;
        }
        Ok(())
    }

    /// Removes a lock left behind by a run that died, by its id.
    pub fn force_unlock(&mut self, id: &str) -> Result<LockInfo, StoreError> {
        let holder = current_lock(&self.conn, &self.path)?
            .filter(|holder| holder.id == id)
            .ok_or_else(|| StoreError::NoSuchLock {
                path: self.path.clone(),
                id: id.to_owned(),
            })?;
        self.conn
            .execute("DELETE FROM lock WHERE id = ?1", params![id])
            .map_err(sql("unlock", &self.path))?;
        Ok(holder)
    }
}

/// A lock this process holds, released from elsewhere: by the second interrupt, as the
/// process exits without unwinding.
pub struct HeldLock {
    path: PathBuf,
    id: String,
}

impl HeldLock {
    /// Deletes the lock row, on a connection of its own; best effort.
    pub fn release(&self) {
        if let Ok(conn) = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        {
            let _ = conn.busy_timeout(std::time::Duration::from_secs(2));
            let _ = conn.execute("DELETE FROM lock WHERE id = ?1", params![self.id]);
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // Best effort: a lock that outlives its run names its holder, and `force-unlock` removes it.
        let _ = self.unlock();
    }
}

/// A history row's change, with the attributes and dependencies it records.
enum Change<'a> {
    Put(&'a str, &'a str),
    Remove,
    Intend(&'a str, &'a str),
    DropIntent,
}

impl Change<'_> {
    fn name(&self) -> &'static str {
        match self {
            Change::Put(..) => "put",
            Change::Remove => "remove",
            Change::Intend(..) => "intend",
            Change::DropIntent => "drop-intent",
        }
    }

    fn attributes(&self) -> Option<&str> {
        match self {
            Change::Put(attributes, _) | Change::Intend(attributes, _) => Some(attributes),
            Change::Remove | Change::DropIntent => None,
        }
    }

    fn dependencies(&self) -> Option<&str> {
        match self {
            Change::Put(_, dependencies) | Change::Intend(_, dependencies) => Some(dependencies),
            Change::Remove | Change::DropIntent => None,
        }
    }
}

fn sql<'a>(action: &'static str, path: &'a Path) -> impl Fn(rusqlite::Error) -> StoreError + 'a {
    move |source| StoreError::Sql {
        action,
        path: path.to_owned(),
        source,
    }
}

fn version_error(path: &Path, found: i64) -> StoreError {
    if found > MIGRATIONS.len() as i64 {
        StoreError::Newer {
            path: path.to_owned(),
            found,
            supported: MIGRATIONS.len(),
        }
    } else {
        StoreError::NotState {
            path: path.to_owned(),
        }
    }
}

/// Makes a new state file at `path`: built whole under a temporary name beside it, then
/// hard-linked into place, which fails if another run got there first; that run's file is as
/// good, and the loser opens it instead.
fn create(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let created = |source| StoreError::Create {
        path: path.to_owned(),
        source,
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.{}.new", uuid::Uuid::new_v4()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(created)?;
    let built = (|| {
        let mut conn = Connection::open(&temporary).map_err(sql("create", path))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql("create", path))?;
        migrate(&mut conn, path)?;
        conn.close()
            .map_err(|(_, error)| sql("create", path)(error))
    })();
    let linked = built.and_then(|()| match std::fs::hard_link(&temporary, path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(created(error)),
    });
    let _ = std::fs::remove_file(&temporary);
    linked
}

/// Brings the schema up to the newest migration, in one IMMEDIATE transaction that reads the
/// version it starts from, so that two runs migrating at once apply each migration once.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql("migrate", path))?;
    let version = user_version(&tx, path)?;
    if version > MIGRATIONS.len() as i64 || version < 0 {
        return Err(version_error(path, version));
    }
    if version == MIGRATIONS.len() as i64 {
        return Ok(());
    }
    if version == 0 && has_tables(&tx, path)? {
        return Err(StoreError::NotState {
            path: path.to_owned(),
        });
    }
    for migration in &MIGRATIONS[version as usize..] {
        tx.execute_batch(migration).map_err(sql("migrate", path))?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)
        .map_err(sql("migrate", path))?;
    tx.execute(
        "INSERT OR IGNORE INTO meta (id, lineage, serial) VALUES (1, ?1, 0)",
        params![uuid::Uuid::new_v4().to_string()],
    )
    .map_err(sql("migrate", path))?;
    tx.commit().map_err(sql("migrate", path))
}

fn user_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|_| StoreError::NotState {
            path: path.to_owned(),
        })
}

fn has_tables(conn: &Connection, path: &Path) -> Result<bool, StoreError> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })
    .map(|count| count > 0)
    .map_err(sql("open", path))
}

fn meta(conn: &Connection, path: &Path) -> Result<(String, u64), StoreError> {
    conn.query_row("SELECT lineage, serial FROM meta WHERE id = 1", [], |row| {
        Ok((row.get(0)?, row.get::<_, i64>(1)? as u64))
    })
    .optional()
    .map_err(sql("read", path))?
    .ok_or_else(|| StoreError::NotState {
        path: path.to_owned(),
    })
}

/// The output values; none in a state from before they were kept.
fn outputs(conn: &Connection, path: &Path) -> Result<BTreeMap<String, OutputState>, StoreError> {
    if user_version(conn, path)? < 2 {
        return Ok(BTreeMap::new());
    }
    let mut statement = conn
        .prepare("SELECT name, value, sensitive FROM outputs ORDER BY name")
        .map_err(sql("read", path))?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, bool>(2)?,
            ))
        })
        .map_err(sql("read", path))?;
    let mut outputs = BTreeMap::new();
    for row in rows {
        let (name, value, sensitive) = row.map_err(sql("read", path))?;
        let value = serde_json::from_str(&value).map_err(|_| StoreError::Corrupt {
            path: path.to_owned(),
            address: format!("output.{name}"),
        })?;
        outputs.insert(
            name,
            OutputState {
                value: Value::from_json(&value),
                sensitive,
            },
        );
    }
    Ok(outputs)
}

/// The whole state, read in one transaction, so that a writer's commit in between cannot make
/// an object appear in neither its row nor its intent.
fn load(conn: &Connection, path: &Path) -> Result<State, StoreError> {
    let snapshot = conn.unchecked_transaction().map_err(sql("read", path))?;
    let conn: &Connection = &snapshot;
    let (lineage, serial) = meta(conn, path)?;
    let resources = objects(
        conn,
        path,
        "SELECT address, attributes, dependencies, '' FROM resources ORDER BY address",
    )?;
    // None in a state from before they were kept.
    let deposed = match user_version(conn, path)? < 3 {
        true => Vec::new(),
        false => objects(
            conn,
            path,
            "SELECT address, attributes, dependencies, '' FROM deposed ORDER BY address, remote_id",
        )?,
    };
    // None in a state from before they were kept.
    let pending = match user_version(conn, path)? < 4 {
        true => Vec::new(),
        false => intents(conn, path)?,
    };
    Ok(State {
        lineage: Some(lineage),
        serial,
        pending,
        resources: resources
            .into_iter()
            .map(|(address, resource, _)| (address, resource))
            .collect(),
        outputs: outputs(conn, path)?,
        deposed: deposed
            .into_iter()
            .map(|(address, resource, _)| Deposed { address, resource })
            .collect(),
    })
}

/// The creates an earlier run sent and did not record.
fn intents(conn: &Connection, path: &Path) -> Result<Vec<Intent>, StoreError> {
    let rows = objects(
        conn,
        path,
        "SELECT address, arguments, dependencies, created FROM pending ORDER BY created, address",
    )?;
    Ok(rows
        .into_iter()
        .map(|(address, resource, created)| Intent {
            address,
            resource,
            created,
        })
        .collect())
}

/// The objects a query reads: rows of address, attributes, dependencies and one more text
/// column, returned as it is.
fn objects(
    conn: &Connection,
    path: &Path,
    query: &str,
) -> Result<Vec<(Address, ResourceState, String)>, StoreError> {
    let mut statement = conn.prepare(query).map_err(sql("read", path))?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .map_err(sql("read", path))?;
    let mut objects = Vec::new();
    for row in rows {
        let (address, attributes, dependencies, extra) = row.map_err(sql("read", path))?;
        let corrupt = || StoreError::Corrupt {
            path: path.to_owned(),
            address: address.clone(),
        };
        let parsed: Address = address.parse().map_err(|_| corrupt())?;
        let attributes = serde_json::from_str(&attributes)
            .ok()
            .and_then(|json| object_from_json(&json))
            .ok_or_else(corrupt)?;
        let dependencies: Vec<String> =
            serde_json::from_str(&dependencies).map_err(|_| corrupt())?;
        let dependencies = dependencies
            .iter()
            .map(|address| address.parse())
            .collect::<Result<Addresses, _>>()
            .map_err(|_| corrupt())?;
        objects.push((
            parsed,
            ResourceState {
                attributes,
                dependencies,
            },
            extra,
        ));
    }
    Ok(objects)
}

fn current_lock(conn: &Connection, path: &Path) -> Result<Option<LockInfo>, StoreError> {
    conn.query_row(
        "SELECT id, operation, who, pid, host, created, pid_namespace FROM lock",
        [],
        |row| {
            Ok(LockInfo {
                id: row.get(0)?,
                operation: row.get(1)?,
                who: row.get(2)?,
                pid: row.get(3)?,
                host: row.get(4)?,
                created: row.get(5)?,
                pid_namespace: row.get(6)?,
            })
        },
    )
    .optional()
    .map_err(sql("read the lock of", path))
}

fn dependencies_json(dependencies: &Addresses) -> String {
    serde_json::Value::from(
        dependencies
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    )
    .to_string()
}

/// Who runs gateform: `USER` or `LOGNAME`, else the name the password database gives this
/// process's user id (CI containers often set neither), else the id itself.
fn who() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| {
            // SAFETY: getuid has no preconditions and cannot fail.
            let uid = unsafe { libc::getuid() };
            user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
        })
}

/// The name `/etc/passwd` gives `uid`.
fn user_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_owned())
    })
}

/// This process's pid namespace, as Linux names it (`pid:[4026531836]`).
fn pid_namespace() -> Option<String> {
    std::fs::read_link("/proc/self/ns/pid")
        .ok()
        .map(|link| link.to_string_lossy().into_owned())
}

fn host() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Now, to the millisecond: when an intent was written, which lookups compare with AWS's clock.
fn now_precise() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}
