//! Loading: configuration files to schema-checked blocks with spans. Nothing is evaluated here.
//!
//! [`read_dir`] is the only IO; [`parse`] is pure and reports every structural problem it finds:
//! syntax errors, unknown block types, resource types and arguments, missing required arguments.

pub mod overrides;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute as HclAttribute, Block, BlockLabel, Body, Structure};

use crate::addr::{Address, Target, is_identifier};
use crate::connection;
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, Span};
use crate::schema::{self, BlockSchema, DataKind, Kind, Nesting, Presence};
use crate::source::{Constraint, ModuleSource};

/// The configuration of one directory.
#[derive(Debug)]
pub struct Config {
    /// False when a file did not parse: its blocks are missing.
    pub complete: bool,
    pub resources: Vec<Arc<ResourceBlock>>,
    /// `provider "aws" { ... }` blocks: the default configuration and aliased ones.
    pub providers: Vec<ProviderBlock>,
    /// The configuration's directory: file paths in expressions (`file(...)`) are relative to it.
    pub directory: Arc<Path>,
    pub variables: Vec<VariableBlock>,
    /// The arguments of every `locals` block.
    pub locals: Vec<Argument>,
    pub modules: Vec<ModuleBlock>,
    pub outputs: Vec<OutputBlock>,
    /// `moved { from = ..., to = ... }`: state entries to carry to a new address.
    pub moved: Vec<Moved>,
    /// `removed { from = ...  lifecycle { destroy = false } }`: objects to stop managing
    /// without destroying them.
    pub forgotten: Vec<Address>,
    /// `import { to = ADDRESS  id = "..." }`: objects to bring under management when planning.
    pub imports: Vec<ImportBlock>,
    /// `data "aws_apigatewayv2_api(s)" "NAME" { ... }`: apis read, not managed.
    pub data: Vec<DataBlock>,
    /// The types of the resources (`aws_lambda_function`) and data sources
    /// (`data.aws_iam_policy_document`) that belong to Terraform, declared here and reported.
    pub foreign: BTreeSet<String>,
    /// Those blocks themselves, as `TYPE.NAME`.
    pub foreign_names: BTreeSet<String>,
}

/// `provider "aws" { alias = "west"  region = "us-west-2"  default_tags { tags = { ... } } }`.
#[derive(Debug)]
pub struct ProviderBlock {
    /// `None` for the default configuration, `aws`.
    pub alias: Option<String>,
    /// The block's header.
    pub span: Span,
    pub region: Option<Argument>,
    pub default_tags: Option<Argument>,
    /// How to connect: the arguments of [`connection::ARGUMENTS`], by name.
    pub connection: BTreeMap<String, Argument>,
    /// The blocks of [`connection::BLOCKS`], in order, each with where its name is written and
    /// its arguments.
    pub connection_blocks: Vec<(String, Span, BTreeMap<String, Argument>)>,
}

impl ProviderBlock {
    pub fn name(&self) -> ProviderName {
        ProviderName(self.alias.clone())
    }
}

/// A provider configuration as HCL names it: `aws`, or `aws.ALIAS`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProviderName(pub Option<String>);

impl ProviderName {
    pub const DEFAULT: ProviderName = ProviderName(None);
}

impl std::fmt::Display for ProviderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            None => f.write_str("aws"),
            Some(alias) => write!(f, "aws.{alias}"),
        }
    }
}

impl std::str::FromStr for ProviderName {
    type Err = String;

    /// `aws` or `aws.ALIAS`, written as a reference, not a string.
    fn from_str(text: &str) -> Result<ProviderName, String> {
        let text = text.trim();
        let (name, alias) = match text.split_once('.') {
            Some((name, alias)) => (name, Some(alias)),
            None => (text, None),
        };
        if !is_identifier(name) || alias.is_some_and(|alias| !is_identifier(alias)) {
            return Err(format!(
                "`{text}` is not a provider configuration: write `aws` or `aws.ALIAS`, without quotes"
            ));
        }
        if name != "aws" {
            return Err(format!(
                "gateform manages AWS only: `{text}` is not an `aws` provider configuration"
            ));
        }
        Ok(ProviderName(alias.map(str::to_owned)))
    }
}

/// A data source: `data "TYPE" "NAME" { ... }`.
#[derive(Debug)]
pub struct DataBlock {
    pub kind: DataKind,
    pub name: String,
    pub span: Span,
    pub arguments: BTreeMap<String, Argument>,
    /// `provider = aws.ALIAS`: the configuration whose region it is read in.
    pub provider: Option<(ProviderName, Span)>,
}

#[derive(Debug)]
pub struct ImportBlock {
    pub to: Address,
    pub id: Argument,
    /// `provider = aws.ALIAS`: the configuration whose region the object is read in, and the
    /// one a generated block uses.
    pub provider: Option<(ProviderName, Span)>,
    pub span: Span,
}

/// `moved { from = ...  to = ... }`: resources, or whole modules, that have a new address.
#[derive(Debug)]
pub struct Moved {
    pub from: Target,
    pub to: Target,
    pub span: Span,
}

/// `module "NAME" { source = "./path" ... }`: another directory's configuration, with inputs.
#[derive(Debug)]
pub struct ModuleBlock {
    pub name: String,
    pub span: Span,
    pub source: Argument,
    pub count: Option<Argument>,
    pub for_each: Option<Argument>,
    /// The module's input variables, by name.
    pub inputs: BTreeMap<String, Argument>,
    /// `providers = { aws = aws.west }`: the configurations the module's resources use, by the
    /// module's name for them, with the caller's name for each. Empty: it uses the caller's `aws`.
    pub providers: Vec<(ProviderName, ProviderName, Span)>,
    /// `version = "~> 1.2"`: which versions of a registry module it takes.
    pub version: Option<Argument>,
    /// The module's own configuration, once [`load_modules`] has read it.
    pub config: Option<Box<Config>>,
}

/// `output "NAME" { value = ... }`.
#[derive(Debug)]
pub struct OutputBlock {
    pub name: String,
    pub span: Span,
    pub value: Argument,
    pub sensitive: Option<Argument>,
}

/// `variable "NAME" { ... }`: an input of the configuration.
#[derive(Debug)]
pub struct VariableBlock {
    pub name: String,
    /// The block's header.
    pub span: Span,
    pub type_constraint: Option<Argument>,
    pub default: Option<Argument>,
    pub description: Option<Argument>,
    pub sensitive: Option<Argument>,
    pub nullable: Option<Argument>,
    /// `validation { condition = ..., error_message = ... }` blocks.
    pub validations: Vec<(Argument, Argument)>,
}

#[derive(Debug)]
pub struct ResourceBlock {
    pub address: Address,
    /// The directory of the module that declares it, for file paths in its expressions.
    pub directory: Arc<Path>,
    /// The block's header: `resource "TYPE" "NAME"`.
    pub span: Span,
    pub arguments: BTreeMap<String, Argument>,
    /// Nested blocks by type, in source order.
    pub blocks: BTreeMap<String, Vec<NestedBlock>>,
    pub depends_on: Option<Argument>,
    /// `count = N`: that many instances, `[0]` to `[N-1]`.
    pub count: Option<Argument>,
    /// `for_each = MAP or SET`: one instance per key.
    pub for_each: Option<Argument>,
    pub lifecycle: Lifecycle,
    /// `provider = aws.ALIAS`: the provider configuration it is managed with.
    pub provider: Option<(ProviderName, Span)>,
}

/// The `lifecycle` block of a resource.
#[derive(Debug, Default)]
pub struct Lifecycle {
    /// `prevent_destroy = true`: where it is set, for the error when a plan would destroy it.
    pub prevent_destroy: Option<Span>,
    /// `ignore_changes`: attributes whose configured changes and drift are ignored.
    pub ignore_changes: Option<IgnoreChanges>,
    /// `replace_triggered_by`: a resource, or one of its attributes, whose change replaces this one.
    pub replace_triggered_by: Vec<crate::refs::Reference>,
    /// `create_before_destroy = true`: a replacement creates the new object first.
    pub create_before_destroy: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum IgnoreChanges {
    All,
    Attributes(BTreeSet<String>),
}

#[derive(Debug)]
pub struct NestedBlock {
    pub span: Span,
    pub arguments: BTreeMap<String, Argument>,
    /// Set for a `dynamic` block: its arguments are the `content`, made once per element.
    pub dynamic: Option<Dynamic>,
    /// The blocks inside it, by type.
    pub blocks: BTreeMap<String, Vec<NestedBlock>>,
}

impl NestedBlock {
    /// Every argument written in the block and in the blocks inside it, a dynamic block's
    /// `for_each` among them.
    pub fn all_arguments(&self) -> Vec<&Argument> {
        let mut all: Vec<&Argument> = self.arguments.values().collect();
        all.extend(self.dynamic.iter().map(|dynamic| &dynamic.for_each));
        for inner in self.blocks.values().flatten() {
            all.extend(inner.all_arguments());
        }
        all
    }
}

/// Where nested blocks are: the resource, and the header of the resource or block holding them.
#[derive(Clone, Copy)]
struct Within<'a> {
    address: &'a Address,
    span: &'a Span,
    /// `resource` or `block`, for hints.
    what: &'static str,
}

/// How a `dynamic` block repeats its content.
#[derive(Debug)]
pub struct Dynamic {
    pub for_each: Argument,
    /// The name the content sees each element by: the block's type unless `iterator` says.
    pub iterator: String,
}

/// `name = expression`, with the spans diagnostics point at.
#[derive(Clone, Debug)]
pub struct Argument {
    pub name: String,
    pub expr: Box<Expression>,
    pub name_span: Span,
    pub value_span: Span,
}

impl Argument {
    /// Whether it is the literal `true`, as `sensitive` must be.
    pub fn is_true(&self) -> bool {
        matches!(&*self.expr, Expression::Bool(flag) if *flag.value())
    }
}

/// Whether the address in `name` is Terraform's: a resource of a type gateform does not
/// manage, such as `aws_lambda_function.old` (a `moved`, `import` or `removed` block for it
/// belongs to Terraform, and gateform passes it over).
fn names_foreign(block: &Block, name: &str) -> bool {
    block
        .body
        .attributes()
        .find(|attribute| attribute.key.as_str() == name)
        .is_some_and(|attribute| {
            let text = attribute.value.to_string();
            let root = text.trim().split(['.', '[']).next().unwrap_or_default();
            root != "module"
                && root.contains('_')
                && root.parse::<Kind>().is_err()
                && !root.starts_with(API_GATEWAY)
        })
}

/// `NAME = ADDRESS` in a block, such as `from` in `moved`: the address, if it is one.
fn address_attribute(block: &Block, name: &str) -> Option<Address> {
    let attribute = block
        .body
        .attributes()
        .find(|attribute| attribute.key.as_str() == name)?;
    attribute.value.to_string().trim().parse().ok()
}

/// The prefix of the resource and data source types gateform reads.
const API_GATEWAY: &str = "aws_apigatewayv2_";

/// Block types Terraform has that gateform does not read yet.
const LATER_BLOCKS: &[&str] = &["check"];
const TOP_LEVEL_BLOCKS: &[&str] = &[
    "data",
    "import",
    "locals",
    "module",
    "moved",
    "output",
    "provider",
    "removed",
    "resource",
    "terraform",
    "variable",
];
/// Names a variable may not have, as in Terraform.
const RESERVED_VARIABLE_NAMES: &[&str] = &[
    "count",
    "depends_on",
    "for_each",
    "lifecycle",
    "locals",
    "providers",
    "source",
    "version",
];
/// Resource meta-arguments that gateform does not read yet.
const LATER_META_ARGUMENTS: &[&str] = &[];

/// Whether a file of a directory is configuration, as Terraform reads it: `.tf` files, and
/// gateform's own `.hcl`; not hidden files (such as `.terraform.lock.hcl`, which `terraform init`
/// writes), and not Terraform's test and query files (`.tftest.hcl`, `.tfquery.hcl`).
pub fn is_configuration(name: &str) -> bool {
    !name.starts_with('.')
        && (name.ends_with(".tf") || name.ends_with(".tf.json") || name.ends_with(".hcl"))
        && !name.ends_with(".tftest.hcl")
        && !name.ends_with(".tfquery.hcl")
}

/// Reads the configuration files of `dir` ([`is_configuration`]), not recursively, in name order.
pub fn read_dir(dir: &Path) -> anyhow::Result<Sources> {
    let mut sources = Sources::default();
    read_dir_into(dir, &mut sources)?;
    Ok(sources)
}

/// Like [`read_dir`], adding the files to `sources`; returns their ids.
pub fn read_dir_into(dir: &Path, sources: &mut Sources) -> anyhow::Result<Vec<FileId>> {
    use anyhow::Context as _;
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the configuration directory `{}`",
            dir.display()
        )
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| {
                format!(
                    "cannot read the configuration directory `{}`",
                    dir.display()
                )
            })?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if is_configuration(name) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        anyhow::bail!(
            "no configuration files in `{}`: gateform reads the `.hcl`, `.tf` and `.tf.json` files of a directory",
            dir.display()
        );
    }
    let mut files = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let path = display_path(&path);
        files.push(match path.to_string_lossy().ends_with(".tf.json") {
            true => sources.add_file(json_file(path, text)),
            false => sources.add(path, text),
        });
    }
    Ok(files)
}

/// Where a module call whose source is not local is, given its key (the calls' names from the
/// root, joined with dots), its source as written and as read, and its `version`: what
/// `gateform init` installed, or, during `init`, what it installs now.
pub type Remote<'a> = dyn FnMut(
        &str,
        &str,
        &ModuleSource,
        Option<&Constraint>,
    ) -> Result<PathBuf, crate::install::Refusal>
    + 'a;

/// Reads the configuration of every module `config` calls, and theirs, local ones from their
/// directories and the others from where `remote` says they are.
pub fn load_modules(
    config: &mut Config,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    remote: &mut Remote<'_>,
) {
    load_children(
        config,
        sources,
        diagnostics,
        &mut Vec::new(),
        &mut Vec::new(),
        remote,
    );
}

fn load_children(
    config: &mut Config,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    chain: &mut Vec<PathBuf>,
    key: &mut Vec<String>,
    remote: &mut Remote<'_>,
) {
    let directory = config.directory.clone();
    for module in &mut config.modules {
        let Expression::String(text) = &*module.source.expr else {
            diagnostics.push(
                Diagnostic::error("a module `source` must be a literal string")
                    .at(module.source.value_span.clone()),
            );
            continue;
        };
        let text = text.value().as_str();
        let at = module.source.value_span.clone();
        let source = match ModuleSource::parse(text) {
            Ok(source) => source,
            Err(message) => {
                diagnostics.push(Diagnostic::error(message).at(at));
                continue;
            }
        };
        let version = match &module.version {
            Some(argument) => match (&*argument.expr, &source) {
                (Expression::String(constraint), ModuleSource::Registry { .. }) => {
                    match Constraint::parse(constraint.value()) {
                        Ok(constraint) => Some(constraint),
                        Err(message) => {
                            diagnostics
                                .push(Diagnostic::error(message).at(argument.value_span.clone()));
                            continue;
                        }
                    }
                }
                (Expression::String(_), _) => {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "module `{}`: `version` is for registry modules, not `{text}`",
                            module.name
                        ))
                        .at(argument.name_span.clone())
                        .hint("a git source takes `?ref=TAG`; a local module has no version"),
                    );
                    continue;
                }
                _ => {
                    diagnostics.push(
                        Diagnostic::error("a module `version` must be a literal string")
                            .at(argument.value_span.clone()),
                    );
                    continue;
                }
            },
            None => None,
        };
        key.push(module.name.clone());
        let path = match &source {
            ModuleSource::Local(path) => {
                Ok(directory.join(path.strip_prefix("./").unwrap_or(path)))
            }
            remote_source => remote(&key.join("."), text, remote_source, version.as_ref()),
        };
        let path = match path {
            Ok(path) => path,
            Err((message, hint)) => {
                let diagnostic = Diagnostic::error(message).at(at);
                diagnostics.push(match hint.is_empty() {
                    true => diagnostic,
                    false => diagnostic.hint(hint),
                });
                key.pop();
                continue;
            }
        };
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if chain.contains(&canonical) {
            diagnostics.push(
                Diagnostic::error(format!("module `{}` calls itself", module.name))
                    .at(module.source.value_span.clone())
                    .hint("a module cannot contain itself, directly or through other modules"),
            );
            key.pop();
            continue;
        }
        let files = match read_dir_into(&path, sources) {
            Ok(files) => files,
            Err(error) => {
                diagnostics.push(
                    Diagnostic::error(format!("cannot load module `{}`: {error:#}", module.name))
                        .at(module.source.value_span.clone()),
                );
                key.pop();
                continue;
            }
        };
        let (mut child, problems) = parse_files(sources, &files);
        diagnostics.extend(problems);
        for provider in child.providers.drain(..) {
            diagnostics.push(
                Diagnostic::error("provider configurations belong in the root module")
                    .at(provider.span.clone())
                    .hint(format!(
                        "declare it in the root module, with an alias, and pass it on: `providers = {{ {} = aws.ALIAS }}` in `module \"{}\"`",
                        provider.name(),
                        module.name
                    )),
            );
        }
        chain.push(canonical);
        load_children(&mut child, sources, diagnostics, chain, key, remote);
        chain.pop();
        key.pop();
        if !child.complete {
            config.complete = false;
        }
        module.config = Some(Box::new(child));
    }
}

/// An argument an override block leaves out, which the merge does not take from it.
fn placeholder(name: &str, span: &Span) -> Argument {
    Argument {
        name: name.to_owned(),
        expr: Box::new(Expression::Null(hcl_edit::Decorated::new(
            hcl_edit::expr::Null,
        ))),
        name_span: span.clone(),
        value_span: span.clone(),
    }
}

/// A `.tf.json` file: what it says in native syntax, to parse, and the JSON, to show.
fn json_file(path: PathBuf, json: String) -> crate::diag::SourceFile {
    let (text, map, error) = match crate::json_syntax::translate(&json) {
        Ok(translation) => (translation.text, translation.map, None),
        // Nothing to parse; the error is shown where the JSON goes wrong.
        Err((offset, message)) => (
            " ".to_owned(),
            vec![(0..1, offset..offset + 1)],
            Some(message),
        ),
    };
    crate::diag::SourceFile {
        path,
        text,
        json: Some(crate::diag::JsonSource {
            text: json,
            map,
            error,
        }),
    }
}

/// Paths in messages are relative to the working directory when they can be.
fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.strip_prefix("./").unwrap_or(path).to_path_buf())
}

/// Parses every file and checks the blocks against the schema. The configuration holds every block
/// that passed; the diagnostics, every problem found.
pub fn parse(sources: &Sources) -> (Config, Diagnostics) {
    let files: Vec<FileId> = sources.iter().map(|(file, _)| file).collect();
    parse_files(sources, &files)
}

/// Parses `files`, one directory's configuration, of `sources`: the override files last, each
/// merged into the blocks the others declare ([`overrides`]).
pub fn parse_files(sources: &Sources, files: &[FileId]) -> (Config, Diagnostics) {
    let name = |file: &FileId| {
        sources
            .get(*file)
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let (overrides, primary): (Vec<FileId>, Vec<FileId>) = files
        .iter()
        .partition(|file| overrides::is_override(&name(file)));
    let mut loader = Loader::new(false);
    for &file in &primary {
        loader.file(sources, file);
    }
    let Loader {
        mut diagnostics,
        mut config,
        ..
    } = loader;
    for file in overrides {
        let mut over = Loader::new(true);
        over.config.directory = config.directory.clone();
        let Some(body) = over.file(sources, file) else {
            diagnostics.extend(over.diagnostics);
            config.complete = false;
            continue;
        };
        diagnostics.extend(over.diagnostics);
        let written = overrides::sets_of(&body);
        overrides::merge(&mut config, over.config, &written, &mut diagnostics);
    }
    config.resources.sort_by(|a, b| a.address.cmp(&b.address));
    (config, diagnostics)
}

pub(crate) fn syntax_error(
    file: FileId,
    text: &str,
    error: &hcl_edit::parser::Error,
) -> Diagnostic {
    let offset = error.location().offset().min(text.len());
    if let Some(start) = unclosed_string(&text[..offset]) {
        return Diagnostic::error("unclosed string: a quoted string must end on the line it starts")
            .at(Span {
                file,
                range: start..start + 1,
            })
            .hint("close it with `\"`; for text over several lines, write `\\n` or a heredoc: `<<EOT` ... `EOT`");
    }
    let end = text
        .get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(offset, |c| offset + c.len_utf8());
    Diagnostic::error("syntax error")
        .at(Span {
            file,
            range: offset..end,
        })
        .label(error.message().to_owned())
        .hint("check for a missing `=`, an unclosed brace or quote, or a stray character")
}

/// Where a quoted string opens that its line does not close, in `text` (what comes before a
/// syntax error): Terraform's "Invalid multi-line string", which the parser finds only further
/// on. Comments, heredocs and `${ ... }` inside strings are passed over.
fn unclosed_string(text: &str) -> Option<usize> {
    let mut heredoc: Option<String> = None;
    let mut in_comment = false;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        if let Some(marker) = &heredoc {
            if line.trim() == marker {
                heredoc = None;
            }
            continue;
        }
        // A `/* ... */` comment over several lines (one on a line of its own is rare enough).
        if in_comment || line.trim_start().starts_with("/*") {
            in_comment = !line.contains("*/");
            continue;
        }
        let mut open: Option<usize> = None;
        let mut depth = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((index, c)) = chars.next() {
            match (open, c) {
                (None, '#') => break,
                (None, '/') if chars.peek().is_some_and(|(_, next)| *next == '/') => break,
                (None, '<') if line[index..].starts_with("<<") => {
                    let marker: String = line[index + 2..]
                        .trim_start_matches('-')
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !marker.is_empty() {
                        heredoc = Some(marker);
                    }
                    break;
                }
                (None, '"') => open = Some(start + index),
                (Some(_), '\\') => {
                    chars.next();
                }
                (Some(_), '$') if chars.peek().is_some_and(|(_, next)| *next == '{') => {
                    depth += 1;
                    chars.next();
                }
                (Some(_), '}') if depth > 0 => depth -= 1,
                (Some(_), '"') if depth == 0 => open = None,
                _ => {}
            }
        }
        if let Some(open) = open
            && line.ends_with('\n')
        {
            return Some(open);
        }
    }
    None
}

struct Loader {
    diagnostics: Diagnostics,
    config: Config,
    /// Reading an override file, whose blocks change blocks declared elsewhere: the arguments
    /// and blocks they must have are the merged block's, not theirs.
    partial: bool,
    /// The addresses of `config.resources`, to find a duplicate without scanning them all.
    declared: std::collections::BTreeSet<Address>,
}

impl Loader {
    fn new(partial: bool) -> Loader {
        Loader {
            diagnostics: Diagnostics::default(),
            declared: std::collections::BTreeSet::new(),
            config: Config {
                complete: true,
                resources: Vec::new(),
                providers: Vec::new(),
                directory: Arc::from(Path::new(".")),
                variables: Vec::new(),
                locals: Vec::new(),
                modules: Vec::new(),
                outputs: Vec::new(),
                moved: Vec::new(),
                forgotten: Vec::new(),
                imports: Vec::new(),
                data: Vec::new(),
                foreign: BTreeSet::new(),
                foreign_names: BTreeSet::new(),
            },
            partial,
        }
    }

    /// Reads one file's blocks. An override file's body is returned, for the merge to see what
    /// it sets; other files' structures are dropped one by one once loaded, since a syntax tree
    /// is many times the size of what is loaded from it. `None` when the file does not parse.
    fn file(&mut self, sources: &Sources, file: FileId) -> Option<Body> {
        let source = sources.get(file);
        if let Some(directory) = source.path.parent() {
            // A file of the working directory itself is in `.`.
            let directory = match directory.as_os_str().is_empty() {
                true => Path::new("."),
                false => directory,
            };
            self.config.directory = Arc::from(directory);
        }
        if let Some(error) = source.json.as_ref().and_then(|json| json.error.as_ref()) {
            self.config.complete = false;
            self.diagnostics.push(
                Diagnostic::error(error.clone())
                    .at(Span { file, range: 0..1 })
                    .hint("a `.tf.json` file is Terraform's JSON syntax: one object whose keys are block types"),
            );
            return None;
        }
        match hcl_edit::parser::parse_body(&source.text) {
            Ok(body) if self.partial => {
                body.iter()
                    .for_each(|structure| self.structure(file, structure));
                Some(body)
            }
            Ok(body) => {
                for structure in body {
                    self.structure(file, &structure);
                }
                None
            }
            Err(error) => {
                self.config.complete = false;
                self.diagnostics
                    .push(syntax_error(file, &source.text, &error));
                None
            }
        }
    }

    fn structure(&mut self, file: FileId, structure: &Structure) {
        let block = match structure {
            Structure::Block(block) => block,
            Structure::Attribute(attribute) => {
                return self.diagnostics.push(
                    Diagnostic::error(format!("unexpected argument `{}` at the top level", attribute.key.as_str()))
                        .at(Span::new(file, attribute.key.span()))
                        .hint("arguments belong inside a block such as `resource \"aws_apigatewayv2_api\" \"NAME\" { ... }`"),
                );
            }
        };
        match block.ident.as_str() {
            "resource" => self.resource(file, block),
            "provider" => self.provider(file, block),
            "variable" => self.variable(file, block),
            "locals" => self.locals(file, block),
            "module" => self.module(file, block),
            "moved" => self.moved(file, block),
            "removed" => self.removed(file, block),
            "import" => self.import(file, block),
            "data" => self.data(file, block),
            "output" => self.output(file, block),
            "terraform" => self.terraform(file, block),
            later if LATER_BLOCKS.contains(&later) => self.diagnostics.push(
                Diagnostic::error(format!("`{later}` blocks are not supported yet"))
                    .at(Span::new(file, block.ident.span()))
                    .hint("gateform reads `resource`, `provider \"aws\"` and `terraform` blocks"),
            ),
            unknown => {
                let mut diagnostic = Diagnostic::error(format!("unknown block type `{unknown}`"))
                    .at(Span::new(file, block.ident.span()));
                if let Some(close) = schema::closest(unknown, TOP_LEVEL_BLOCKS.iter().copied()) {
                    diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                }
                self.diagnostics.push(diagnostic);
            }
        }
    }

    /// `terraform { required_version  required_providers { ... }  backend "local" { ... } }`:
    /// what gateform itself reads of it is the backend, which holds the state; gateform keeps
    /// the state in a local file.
    fn terraform(&mut self, file: FileId, block: &Block) {
        for nested in block.body.blocks() {
            let labels = label_texts(&nested.labels);
            match (nested.ident.as_str(), labels.as_slice()) {
                ("backend", ["local"]) | ("required_providers", _) => {}
                ("backend", [other]) => self.diagnostics.push(
                    Diagnostic::error(format!("the `{other}` backend is not supported"))
                        .at(Span::new(file, nested.labels[0].span()))
                        .hint("gateform keeps its state in a local file (`--state PATH`); remove the backend block, or write `backend \"local\" {}`"),
                ),
                ("cloud", _) => self.diagnostics.push(
                    Diagnostic::error("HCP Terraform (`cloud`) is not supported")
                        .at(Span::new(file, nested.ident.span()))
                        .hint("gateform keeps its state in a local file (`--state PATH`); remove the cloud block"),
                ),
                _ => {}
            }
        }
    }

    fn variable(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        let [name] = labels.as_slice() else {
            self.diagnostics.push(
                Diagnostic::error("a variable block needs a name")
                    .at(header)
                    .hint("write `variable \"name\" { type = string }`"),
            );
            return;
        };
        if !is_identifier(name) || RESERVED_VARIABLE_NAMES.contains(name) {
            self.diagnostics.push(
                Diagnostic::error(format!("invalid variable name `{name}`"))
                    .at(Span::new(file, block.labels[0].span()))
                    .hint(format!(
                        "a name starts with a letter or underscore; {} are reserved",
                        RESERVED_VARIABLE_NAMES.join(", ")
                    )),
            );
            return;
        }
        if self.config.variables.iter().any(|v| v.name == *name) {
            self.diagnostics.push(
                Diagnostic::error(format!("duplicate variable `{name}`"))
                    .at(header)
                    .hint("each variable is declared once"),
            );
            return;
        }
        let mut variable = VariableBlock {
            name: (*name).to_owned(),
            span: header,
            type_constraint: None,
            default: None,
            description: None,
            sensitive: None,
            nullable: None,
            validations: Vec::new(),
        };
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            let slot = match argument.name.as_str() {
                "type" => &mut variable.type_constraint,
                "default" => &mut variable.default,
                "description" => &mut variable.description,
                "sensitive" => &mut variable.sensitive,
                "nullable" => &mut variable.nullable,
                other => {
                    let mut diagnostic = Diagnostic::error(format!(
                        "unsupported argument `{other}` in variable `{name}`"
                    ))
                    .at(argument.name_span.clone());
                    let known = ["type", "default", "description", "sensitive", "nullable"];
                    if let Some(close) = schema::closest(other, known) {
                        diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                    }
                    self.diagnostics.push(diagnostic);
                    continue;
                }
            };
            *slot = Some(argument);
        }
        for nested in block.body.blocks() {
            if nested.ident.as_str() != "validation" {
                self.diagnostics.push(
                    Diagnostic::error(format!(
                        "unsupported block `{}` in variable `{name}`",
                        nested.ident.as_str()
                    ))
                    .at(Span::new(file, nested.ident.span()))
                    .hint("a variable holds `validation { condition = ..., error_message = ... }` blocks"),
                );
                continue;
            }
            let find = |wanted: &str| {
                nested
                    .body
                    .attributes()
                    .find(|attribute| attribute.key.as_str() == wanted)
                    .map(|attribute| argument(file, attribute))
            };
            match (find("condition"), find("error_message")) {
                (Some(condition), Some(message)) => variable.validations.push((condition, message)),
                _ => self.diagnostics.push(
                    Diagnostic::error("a validation block needs `condition` and `error_message`")
                        .at(Span::new(file, nested.ident.span())),
                ),
            }
        }
        self.config.variables.push(variable);
    }

    fn module(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        let [name] = labels.as_slice() else {
            self.diagnostics.push(
                Diagnostic::error("a module block needs a name")
                    .at(header)
                    .hint("write `module \"api\" { source = \"./modules/api\" }`"),
            );
            return;
        };
        if self.config.modules.iter().any(|m| m.name == *name) {
            self.diagnostics.push(
                Diagnostic::error(format!("duplicate module `{name}`"))
                    .at(header)
                    .hint("each module call needs a unique name"),
            );
            return;
        }
        let mut source = None;
        let (mut count, mut for_each) = (None, None);
        let mut inputs = BTreeMap::new();
        let mut providers = Vec::new();
        let mut version = None;
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            match argument.name.as_str() {
                "source" => source = Some(argument),
                "version" => version = Some(argument),
                "count" => count = Some(argument),
                "for_each" => for_each = Some(argument),
                "providers" => self.providers_map(&argument, &mut providers),
                "depends_on" => self.diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` in a module block is not supported",
                        argument.name
                    ))
                    .at(argument.name_span.clone())
                    .hint("a module call takes `source`, `version`, `count`, `for_each`, `providers` and input variables"),
                ),
                _ => self.insert_argument(&mut inputs, argument),
            }
        }
        for nested in block.body.blocks() {
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "unexpected block `{}` in module `{name}`",
                    nested.ident.as_str()
                ))
                .at(Span::new(file, nested.ident.span())),
            );
        }
        // An override block changes what it writes; the merged block has the source.
        let source = match (source, self.partial) {
            (None, true) => Some(placeholder("source", &header)),
            (source, _) => source,
        };
        let Some(source) = source else {
            self.diagnostics.push(
                Diagnostic::error(format!("module `{name}` needs a `source`"))
                    .at(header)
                    .hint("write `source = \"./modules/api\"`, a directory relative to this one"),
            );
            return;
        };
        if count.is_some() && for_each.is_some() {
            self.diagnostics.push(
                Diagnostic::error("`count` and `for_each` cannot be used together")
                    .at(header.clone()),
            );
        }
        self.config.modules.push(ModuleBlock {
            name: (*name).to_owned(),
            span: header,
            source,
            count,
            for_each,
            inputs,
            providers,
            version,
            config: None,
        });
    }

    fn moved(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        if names_foreign(block, "from") || names_foreign(block, "to") {
            return;
        }
        let target = |name: &str| {
            let attribute = block
                .body
                .attributes()
                .find(|attribute| attribute.key.as_str() == name)?;
            attribute.value.to_string().trim().parse::<Target>().ok()
        };
        let problem = match (target("from"), target("to")) {
            (Some(from), Some(to)) => match (&from, &to) {
                (Target::Resource(a), Target::Resource(b)) if a.kind != b.kind => {
                    format!("cannot move `{from}` to `{to}`: they are different resource types")
                }
                (Target::Resource(_), Target::Module(_))
                | (Target::Module(_), Target::Resource(_)) => {
                    format!("cannot move `{from}` to `{to}`: one is a module, the other a resource")
                }
                _ => {
                    self.config.moved.push(Moved {
                        from,
                        to,
                        span: header,
                    });
                    return;
                }
            },
            _ => {
                return self.diagnostics.push(
                    Diagnostic::error("a moved block needs `from` and `to` addresses")
                        .at(header)
                        .hint("write `moved { from = aws_apigatewayv2_route.old  to = aws_apigatewayv2_route.new }`, or `from = module.old  to = module.new`"),
                );
            }
        };
        self.diagnostics.push(Diagnostic::error(problem).at(header));
    }

    /// `removed { from = ADDRESS  lifecycle { destroy = false } }`. With `destroy = true` (the
    /// default, as in Terraform) the object is destroyed as if its block were deleted.
    fn removed(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        if names_foreign(block, "from") {
            return;
        }
        let Some(from) = address_attribute(block, "from") else {
            self.diagnostics.push(
                Diagnostic::error("a removed block needs a `from` resource address")
                    .at(header)
                    .hint("write `removed { from = aws_apigatewayv2_route.old  lifecycle { destroy = false } }`"),
            );
            return;
        };
        let destroy = block
            .body
            .blocks()
            .filter(|nested| nested.ident.as_str() == "lifecycle")
            .flat_map(|nested| nested.body.attributes())
            .find(|attribute| attribute.key.as_str() == "destroy")
            .map(|attribute| attribute.value.to_string().trim() != "false")
            .unwrap_or(true);
        if !destroy {
            self.config.forgotten.push(from);
        }
    }

    fn data(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        let [kind, name] = labels.as_slice() else {
            self.diagnostics.push(
                Diagnostic::error("a data block needs a type and a name")
                    .at(header)
                    .hint("write `data \"aws_apigatewayv2_api\" \"shared\" { api_id = \"...\" }`"),
            );
            return;
        };
        let data_kind = match kind.parse::<DataKind>() {
            Ok(data_kind) => data_kind,
            Err(error) => {
                let span = Span::new(file, block.labels[0].span());
                let names = DataKind::ALL.map(DataKind::as_str);
                self.unknown_type(error.to_string(), (kind, name), span, "data source", &names);
                return;
            }
        };
        let allowed: Vec<&str> = data_kind
            .schema()
            .arguments()
            .map(|attribute| attribute.name)
            .collect();
        let mut arguments = BTreeMap::new();
        let mut provider = None;
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            if argument.name == "provider" {
                provider = self.provider_name(&argument);
            } else if allowed.contains(&argument.name.as_str()) {
                self.insert_argument(&mut arguments, argument);
            } else {
                let mut problem = Diagnostic::error(format!(
                    "unsupported argument `{}` in data source `{kind}`",
                    argument.name
                ))
                .at(argument.name_span.clone());
                if let Some(close) = schema::closest(&argument.name, allowed.iter().copied()) {
                    problem = problem.hint(format!("did you mean `{close}`?"));
                }
                self.diagnostics.push(problem);
            }
        }
        let missing: Vec<&str> = data_kind
            .schema()
            .arguments()
            .filter(|attribute| attribute.presence == Presence::Required)
            .map(|attribute| attribute.name)
            .filter(|name| !arguments.contains_key(*name))
            .collect();
        for required in missing.iter().filter(|_| !self.partial) {
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "missing required argument `{required}` in `data.{kind}.{name}`"
                ))
                .at(header.clone())
                .hint(format!("add `{required} = ...` to the block")),
            );
        }
        if !missing.is_empty() {
            return;
        }
        self.config.data.push(DataBlock {
            kind: data_kind,
            name: (*name).to_owned(),
            span: header,
            arguments,
            provider,
        });
    }

    fn import(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        if names_foreign(block, "to") {
            return;
        }
        let to = address_attribute(block, "to");
        let (mut id, mut provider) = (None, None);
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            match argument.name.as_str() {
                "to" => {}
                "id" => id = Some(argument),
                "provider" => provider = self.provider_name(&argument),
                other => self.diagnostics.push(
                    Diagnostic::error(format!("unsupported argument `{other}` in an import block"))
                        .at(argument.name_span.clone())
                        .hint("an import block takes `to`, `id` and `provider`; `for_each` is not supported yet: write one block per object"),
                ),
            }
        }
        for inner in block.body.blocks() {
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "unsupported block `{}` in an import block",
                    inner.ident.as_str()
                ))
                .at(header_span(file, inner))
                .hint("an import block takes `to`, `id` and `provider`"),
            );
        }
        match (to, id) {
            (Some(to), Some(id)) => self.config.imports.push(ImportBlock {
                to,
                id,
                provider,
                span: header,
            }),
            _ => self.diagnostics.push(
                Diagnostic::error("an import block needs `to`, a resource address, and `id`")
                    .at(header)
                    .hint(
                        "write `import { to = aws_apigatewayv2_api.example  id = \"a1b2c3d4e5\" }`",
                    ),
            ),
        }
    }

    fn output(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        let [name] = labels.as_slice() else {
            self.diagnostics.push(
                Diagnostic::error("an output block needs a name")
                    .at(header)
                    .hint("write `output \"api_id\" { value = aws_apigatewayv2_api.example.id }`"),
            );
            return;
        };
        let (mut value, mut sensitive) = (None, None);
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            match argument.name.as_str() {
                "value" => value = Some(argument),
                "sensitive" => sensitive = Some(argument),
                "description" | "depends_on" => {}
                other => self.diagnostics.push(
                    Diagnostic::error(format!("unsupported argument `{other}` in output `{name}`"))
                        .at(argument.name_span.clone()),
                ),
            }
        }
        let value = match (value, self.partial) {
            (None, true) => Some(placeholder("value", &header)),
            (value, _) => value,
        };
        let Some(value) = value else {
            self.diagnostics
                .push(Diagnostic::error(format!("output `{name}` needs a `value`")).at(header));
            return;
        };
        if self.config.outputs.iter().any(|o| o.name == *name) {
            self.diagnostics
                .push(Diagnostic::error(format!("duplicate output `{name}`")).at(header));
            return;
        }
        self.config.outputs.push(OutputBlock {
            name: (*name).to_owned(),
            span: header,
            value,
            sensitive,
        });
    }

    fn locals(&mut self, file: FileId, block: &Block) {
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            if let Some(first) = self.config.locals.iter().find(|l| l.name == argument.name) {
                self.diagnostics.push(
                    Diagnostic::error(format!("duplicate local value `{}`", argument.name))
                        .at(argument.name_span.clone())
                        .hint(format!(
                            "`local.{}` is already defined; each local value is defined once",
                            first.name
                        )),
                );
                continue;
            }
            self.config.locals.push(argument);
        }
    }

    fn provider(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        if labels != ["aws"] {
            self.diagnostics.push(
                Diagnostic::error("unsupported provider block")
                    .at(header)
                    .hint(
                        "gateform manages AWS only: write `provider \"aws\" { region = \"...\" }`",
                    ),
            );
            return;
        }
        let mut provider = ProviderBlock {
            alias: None,
            span: header.clone(),
            region: None,
            default_tags: None,
            connection: BTreeMap::new(),
            connection_blocks: Vec::new(),
        };
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            match argument.name.as_str() {
                "region" => provider.region = Some(argument),
                "alias" => match &*argument.expr {
                    Expression::String(alias) if is_identifier(alias.value()) => {
                        provider.alias = Some(alias.value().to_string());
                    }
                    _ => self.diagnostics.push(
                        Diagnostic::error("a provider `alias` must be a literal name")
                            .at(argument.value_span)
                            .hint(
                                "write `alias = \"west\"`: letters, digits, underscores and dashes",
                            ),
                    ),
                },
                name if connection::ARGUMENTS
                    .iter()
                    .any(|(known, _)| *known == name) =>
                {
                    provider.connection.insert(name.to_owned(), argument);
                }
                name => {
                    let names = ["region", "alias"]
                        .into_iter()
                        .chain(connection::ARGUMENTS.iter().map(|(name, _)| *name));
                    let hint = match schema::closest(name, names) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "see the AWS provider's arguments: gateform reads those about the region, credentials, the account, endpoints, retries and tags".to_owned(),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(format!(
                            "unsupported argument `{name}` in the `aws` provider"
                        ))
                        .at(argument.name_span)
                        .hint(hint),
                    );
                }
            }
        }
        for nested in block.body.blocks() {
            let name = nested.ident.as_str();
            let span = Span::new(file, nested.ident.span());
            if name == "default_tags" {
                match nested
                    .body
                    .attributes()
                    .find(|attribute| attribute.key.as_str() == "tags")
                {
                    Some(tags) => provider.default_tags = Some(argument(file, tags)),
                    None => self.diagnostics.push(
                        Diagnostic::error("`default_tags` needs `tags`")
                            .at(span)
                            .hint("write `default_tags { tags = { team = \"payments\" } }`"),
                    ),
                }
                continue;
            }
            let Some((_, allowed)) = connection::BLOCKS.iter().find(|(known, _)| *known == name)
            else {
                let names = connection::BLOCKS
                    .iter()
                    .map(|(name, _)| *name)
                    .chain(["default_tags"]);
                let hint = match schema::closest(name, names.clone()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "the provider block takes {}",
                        names
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.diagnostics.push(
                    Diagnostic::error(format!("unsupported block `{name}` in the `aws` provider"))
                        .at(span)
                        .hint(hint),
                );
                continue;
            };
            let repeated = provider
                .connection_blocks
                .iter()
                .any(|(other, _, _)| other == name);
            if repeated && name != "assume_role" {
                self.diagnostics.push(
                    Diagnostic::error(format!("the `aws` provider takes one `{name}` block"))
                        .at(span),
                );
                continue;
            }
            let mut arguments = BTreeMap::new();
            for attribute in nested.body.attributes() {
                let argument = argument(file, attribute);
                let key = argument.name.as_str();
                let known = allowed.is_empty() || allowed.iter().any(|(known, _)| *known == key);
                if known {
                    arguments.insert(key.to_owned(), argument);
                    continue;
                }
                let problem = match connection::NOT_SUPPORTED
                    .iter()
                    .find(|(name, _)| *name == key)
                {
                    Some((_, why)) => {
                        Diagnostic::error(format!("`{key}` in `{name}` is not supported: {why}"))
                    }
                    None => {
                        let close = schema::closest(key, allowed.iter().map(|(name, _)| *name));
                        let problem =
                            Diagnostic::error(format!("unsupported argument `{key}` in `{name}`"));
                        match close {
                            Some(close) => problem.hint(format!("did you mean `{close}`?")),
                            None => problem,
                        }
                    }
                };
                self.diagnostics.push(problem.at(argument.name_span));
            }
            provider
                .connection_blocks
                .push((name.to_owned(), span, arguments));
        }
        let name = provider.name();
        if let Some(first) = self.config.providers.iter().find(|p| p.name() == name) {
            let hint = match &first.alias {
                None => {
                    "give the other one an alias, `alias = \"west\"`, and use it with `provider = aws.west`"
                }
                Some(_) => "each alias names one provider configuration",
            };
            self.diagnostics.push(
                Diagnostic::error(format!("duplicate provider configuration `{name}`"))
                    .at(header)
                    .hint(hint),
            );
            return;
        }
        self.config.providers.push(provider);
    }

    /// `provider = aws.ALIAS` in a resource or data block.
    fn provider_name(&mut self, argument: &Argument) -> Option<(ProviderName, Span)> {
        match argument.expr.to_string().parse::<ProviderName>() {
            Ok(name) => Some((name, argument.value_span.clone())),
            Err(message) => {
                self.diagnostics
                    .push(Diagnostic::error(message).at(argument.value_span.clone()));
                None
            }
        }
    }

    /// `providers = { aws = aws.west, aws.east = aws.east }` in a module block.
    fn providers_map(
        &mut self,
        argument: &Argument,
        providers: &mut Vec<(ProviderName, ProviderName, Span)>,
    ) {
        let Expression::Object(object) = &*argument.expr else {
            self.diagnostics.push(
                Diagnostic::error("`providers` must be a map of provider configurations")
                    .at(argument.value_span.clone())
                    .hint("write `providers = { aws = aws.west }`"),
            );
            return;
        };
        for (key, value) in object.iter() {
            let span = Span {
                file: argument.value_span.file,
                range: key.span().unwrap_or_default().start
                    ..value.expr().span().unwrap_or_default().end,
            };
            let key = match key.as_ident() {
                Some(ident) => ident.as_str().to_owned(),
                None => key.as_expr().map(ToString::to_string).unwrap_or_default(),
            };
            let parsed = (
                key.parse::<ProviderName>(),
                value.expr().to_string().parse::<ProviderName>(),
            );
            match parsed {
                (Ok(inner), Ok(outer)) => providers.push((inner, outer, span)),
                (Err(message), _) | (_, Err(message)) => {
                    self.diagnostics.push(Diagnostic::error(message).at(span));
                }
            }
        }
    }

    /// A resource or data source of a type gateform does not have: a misspelling of one it has
    /// (any unknown `aws_apigatewayv2_` type, or one a letter or two from a type gateform has), or
    /// else a type that belongs to Terraform.
    fn unknown_type(
        &mut self,
        error: String,
        (type_name, name): (&str, &str),
        span: Span,
        what: &str,
        names: &[&str],
    ) {
        let close = match type_name.starts_with(API_GATEWAY) {
            true => schema::closest(type_name, names.iter().copied()),
            false => schema::misspelling(type_name, names.iter().copied()),
        };
        if close.is_none() && !type_name.starts_with(API_GATEWAY) {
            return self.foreign(type_name, name, span, what);
        }
        let hint = match close {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "gateform has {}",
                names
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.diagnostics
            .push(Diagnostic::error(error).at(span).hint(hint));
    }

    /// A resource or data source of a type that belongs to Terraform: one error per type, saying
    /// how its values come in. References to it are unknown rather than more errors.
    fn foreign(&mut self, type_name: &str, name: &str, span: Span, what: &str) {
        let key = match what {
            "resource" => type_name.to_owned(),
            _ => format!("data.{type_name}"),
        };
        if !self.config.foreign.contains(&key) {
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "gateform manages API Gateway v2, not `{type_name}`"
                ))
                .at(span)
                .hint(format!(
                    "keep the {what} in Terraform and pass in what gateform needs of it: a variable, or `data \"terraform_remote_state\"` reading Terraform's outputs"
                )),
            );
        }
        self.config.foreign.insert(key);
        self.config
            .foreign_names
            .insert(format!("{type_name}.{name}"));
    }

    fn resource(&mut self, file: FileId, block: &Block) {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        let [type_name, name] = labels.as_slice() else {
            self.diagnostics.push(
                Diagnostic::error("a resource block needs a type and a name")
                    .at(header)
                    .hint("write `resource \"aws_apigatewayv2_api\" \"example\" { ... }`"),
            );
            return;
        };
        let kind = match type_name.parse::<Kind>() {
            Ok(kind) => kind,
            Err(error) => {
                let span = Span::new(file, block.labels[0].span());
                let names = Kind::ALL.map(Kind::as_str);
                let labels = (*type_name, *name);
                self.unknown_type(error.to_string(), labels, span, "resource", &names);
                return;
            }
        };
        if !is_identifier(name) {
            self.diagnostics.push(
                Diagnostic::error(format!("invalid resource name `{name}`"))
                    .at(Span::new(file, block.labels[1].span()))
                    .hint("a name starts with a letter or underscore and holds only letters, digits, underscores and dashes"),
            );
            return;
        }
        let address = Address::root(kind, *name);
        if self.declared.contains(&address) {
            self.diagnostics.push(
                Diagnostic::error(format!("duplicate resource `{address}`"))
                    .at(header)
                    .hint("each resource needs a unique name within its type"),
            );
            return;
        }

        let schema = kind.schema();
        let mut resource = ResourceBlock {
            address,
            directory: self.config.directory.clone(),
            span: header.clone(),
            arguments: BTreeMap::new(),
            blocks: BTreeMap::new(),
            depends_on: None,
            count: None,
            for_each: None,
            lifecycle: Lifecycle::default(),
            provider: None,
        };
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            let name = argument.name.as_str();
            let problem = match schema.attribute(name) {
                _ if name == "depends_on" => {
                    resource.depends_on = Some(argument);
                    continue;
                }
                _ if name == "provider" => {
                    resource.provider = self.provider_name(&argument);
                    continue;
                }
                _ if name == "count" || name == "for_each" => {
                    let other = if name == "count" {
                        &resource.for_each
                    } else {
                        &resource.count
                    };
                    if other.is_some() {
                        self.diagnostics.push(
                            Diagnostic::error("`count` and `for_each` cannot be used together")
                                .at(argument.name_span.clone())
                                .hint("a resource has either a number of instances or one per key"),
                        );
                    } else if name == "count" {
                        resource.count = Some(argument);
                    } else {
                        resource.for_each = Some(argument);
                    }
                    continue;
                }
                Some(known) if known.presence == Presence::Derived => Some(
                    Diagnostic::error(format!(
                        "`{name}` is made from `tags` and the provider's `default_tags`, and cannot be configured in `{}`",
                        resource.address
                    ))
                    .hint("set `tags`, or `default_tags { tags = { ... } }` in the provider block"),
                ),
                Some(known) if known.presence == Presence::Computed => Some(
                    Diagnostic::error(format!(
                        "`{name}` is set by AWS and cannot be configured in `{}`",
                        resource.address
                    ))
                    .hint(format!(
                        "remove it; read it elsewhere as `{}.{name}`",
                        resource.address
                    )),
                ),
                Some(_) => None,
                None if schema.block(name).is_some() => Some(
                    Diagnostic::error(format!("`{name}` is a block, not an argument"))
                        .hint(format!("write it without `=`: `{name} {{ ... }}`")),
                ),
                None if LATER_META_ARGUMENTS.contains(&name) => {
                    Some(Diagnostic::error(format!("`{name}` is not supported yet")))
                }
                None => {
                    // A misspelled argument is reported, and its value is checked as the
                    // argument it is closest to: one mistake does not hide the next.
                    let candidates = schema.argument_names().filter(|candidate| {
                        schema.attribute(candidate).is_some()
                            && !block
                                .body
                                .attributes()
                                .any(|other| other.key.as_str() == *candidate)
                    });
                    if let Some(meant) = schema::closest(name, candidates) {
                        self.diagnostics.push(
                            unknown_argument(name, &resource.address, [meant])
                                .at(argument.name_span.clone()),
                        );
                        let meant = Argument {
                            name: meant.to_owned(),
                            ..argument
                        };
                        self.insert_argument(&mut resource.arguments, meant);
                        continue;
                    }
                    Some(unknown_argument(
                        name,
                        &resource.address,
                        schema.argument_names(),
                    ))
                }
            };
            match problem {
                Some(diagnostic) => self.diagnostics.push(diagnostic.at(argument.name_span)),
                None => self.insert_argument(&mut resource.arguments, argument),
            }
        }
        let mut nested_blocks = Vec::new();
        for nested in block.body.blocks() {
            match nested.ident.as_str() {
                "lifecycle" => resource.lifecycle = self.lifecycle(file, nested, kind),
                _ => nested_blocks.push(nested),
            }
        }
        let within = Within {
            address: &resource.address,
            span: &header,
            what: "resource",
        };
        resource.blocks = self.nested_blocks(
            file,
            nested_blocks.into_iter(),
            (schema.blocks, schema.attributes),
            within,
        );
        if !self.partial {
            self.missing_required(
                schema.attributes,
                &resource.arguments,
                &resource.address,
                &header,
            );
        }
        self.declared.insert(resource.address.clone());
        self.config.resources.push(Arc::new(resource));
    }

    /// The nested blocks of a resource, or of one of its blocks: each checked against its schema
    /// (`schema`: the blocks and the attributes beside them), with the blocks inside it in turn.
    fn nested_blocks<'b>(
        &mut self,
        file: FileId,
        found: impl Iterator<Item = &'b Block>,
        (blocks, attributes): (&'static [BlockSchema], &'static [schema::Attribute]),
        within: Within<'_>,
    ) -> BTreeMap<String, Vec<NestedBlock>> {
        let address = within.address;
        let mut nested_blocks: BTreeMap<String, Vec<NestedBlock>> = BTreeMap::new();
        for nested in found {
            let nested_span = Span::new(file, nested.ident.span());
            let (name, body, dynamic) = if nested.ident.as_str() == "dynamic" {
                match self.dynamic(file, nested) {
                    Some((name, content, dynamic)) => (name, content, Some(dynamic)),
                    None => continue,
                }
            } else {
                (nested.ident.as_str(), &nested.body, None)
            };
            let Some(block_schema) = blocks.iter().find(|block| block.name == name) else {
                let diagnostic = if LATER_META_ARGUMENTS.contains(&name) {
                    Diagnostic::error(format!("`{name}` blocks are not supported yet"))
                } else if attributes.iter().any(|attribute| attribute.name == name) {
                    Diagnostic::error(format!("`{name}` is an argument, not a block"))
                        .hint(format!("write `{name} = ...`"))
                } else {
                    let names = blocks.iter().map(|b| b.name);
                    let mut diagnostic =
                        Diagnostic::error(format!("unknown block type `{name}` in `{address}`"));
                    if let Some(close) = schema::closest(name, names) {
                        diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                    }
                    diagnostic
                };
                self.diagnostics.push(diagnostic.at(nested_span));
                continue;
            };
            if block_schema.nesting == Nesting::Single && nested_blocks.contains_key(name) {
                self.diagnostics.push(
                    Diagnostic::error(format!("`{name}` appears twice in `{address}`"))
                        .at(nested_span)
                        .hint("at most one such block is allowed; merge them"),
                );
                continue;
            }
            let mut arguments = BTreeMap::new();
            for attribute in body.attributes() {
                let argument = argument(file, attribute);
                match block_schema
                    .attributes
                    .iter()
                    .find(|a| a.name == argument.name)
                {
                    Some(known) if known.settable() => {
                        self.insert_argument(&mut arguments, argument)
                    }
                    Some(_) => self.diagnostics.push(
                        Diagnostic::error(format!(
                            "`{}` of `{name}` is set by AWS and cannot be configured in `{address}`",
                            argument.name
                        ))
                        .at(argument.name_span)
                        .hint(format!(
                            "remove it; read it elsewhere as `{address}.{name}[0].{}`",
                            argument.name
                        )),
                    ),
                    None if block_schema.blocks.iter().any(|b| b.name == argument.name) => {
                        self.diagnostics.push(
                            Diagnostic::error(format!(
                                "`{}` is a block, not an argument",
                                argument.name
                            ))
                            .at(argument.name_span.clone())
                            .hint(format!(
                                "write it without `=`: `{} {{ ... }}`",
                                argument.name
                            )),
                        )
                    }
                    None => {
                        let names = block_schema
                            .attributes
                            .iter()
                            .filter(|a| a.settable())
                            .map(|a| a.name);
                        let diagnostic = unknown_argument(&argument.name, address, names);
                        self.diagnostics.push(diagnostic.at(argument.name_span));
                    }
                }
            }
            let inner = Within {
                address,
                span: &nested_span,
                what: "block",
            };
            let inner_blocks = self.nested_blocks(
                file,
                body.blocks(),
                (block_schema.blocks, block_schema.attributes),
                inner,
            );
            self.missing_required(block_schema.attributes, &arguments, address, &nested_span);
            nested_blocks
                .entry(name.to_owned())
                .or_default()
                .push(NestedBlock {
                    span: nested_span,
                    arguments,
                    dynamic,
                    blocks: inner_blocks,
                });
        }
        for block in blocks
            .iter()
            .filter(|block| block.required && !self.partial)
        {
            if !nested_blocks.contains_key(block.name) {
                self.diagnostics.push(
                    Diagnostic::error(format!(
                        "missing required block `{}` in `{address}`",
                        block.name
                    ))
                    .at(within.span.clone())
                    .hint(format!(
                        "add `{} {{ ... }}` to the {}",
                        block.name, within.what
                    )),
                );
            }
        }
        nested_blocks
    }

    /// `lifecycle { prevent_destroy = true  ignore_changes = [tags] }`. Its values must be literal,
    /// as in Terraform.
    fn lifecycle(&mut self, file: FileId, block: &Block, kind: Kind) -> Lifecycle {
        let mut lifecycle = Lifecycle::default();
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            match (argument.name.as_str(), &*argument.expr) {
                ("prevent_destroy", Expression::Bool(flag)) => {
                    if *flag.value() {
                        lifecycle.prevent_destroy = Some(argument.name_span.clone());
                    }
                }
                ("ignore_changes", Expression::Variable(all)) if all.as_str() == "all" => {
                    lifecycle.ignore_changes = Some(IgnoreChanges::All);
                }
                ("ignore_changes", Expression::Array(items)) => {
                    let mut names = BTreeSet::new();
                    for item in items.iter() {
                        let name = match item {
                            Expression::Variable(name) => Some(name.as_str().to_owned()),
                            Expression::Traversal(traversal) => match &traversal.expr {
                                Expression::Variable(name) => Some(name.as_str().to_owned()),
                                _ => None,
                            },
                            _ => None,
                        };
                        let schema = kind.schema();
                        match name {
                            Some(name) if schema.argument_names().any(|known| known == name) => {
                                names.insert(name);
                            }
                            Some(name) => {
                                let mut problem = Diagnostic::error(format!(
                                    "`ignore_changes` names `{name}`, which `{}` does not have",
                                    kind.as_str()
                                ))
                                .at(Span::new(file, item.span()));
                                if let Some(close) = schema::closest(&name, schema.argument_names()) {
                                    problem = problem.hint(format!("did you mean `{close}`?"));
                                }
                                self.diagnostics.push(problem);
                            }
                            None => self.diagnostics.push(
                                Diagnostic::error("`ignore_changes` lists argument names")
                                    .at(Span::new(file, item.span()))
                                    .hint("write `ignore_changes = [tags, description]` or `ignore_changes = all`"),
                            ),
                        }
                    }
                    lifecycle.ignore_changes = Some(IgnoreChanges::Attributes(names));
                }
                ("create_before_destroy", Expression::Bool(flag)) => {
                    lifecycle.create_before_destroy = *flag.value();
                }
                ("prevent_destroy" | "ignore_changes" | "create_before_destroy", _) => {
                    self.diagnostics.push(
                        Diagnostic::error(format!("`{}` must be a literal value", argument.name))
                            .at(argument.value_span.clone())
                            .hint("write `prevent_destroy = true` or `ignore_changes = [tags]`"),
                    )
                }
                ("replace_triggered_by", Expression::Array(items)) => {
                    for item in items.iter() {
                        match crate::refs::references(item, file).as_slice() {
                            [reference] => lifecycle.replace_triggered_by.push(reference.clone()),
                            _ => self.diagnostics.push(
                                Diagnostic::error("`replace_triggered_by` lists resources or their attributes")
                                    .at(Span::new(file, item.span()))
                                    .hint("write `replace_triggered_by = [aws_apigatewayv2_route.example]`"),
                            ),
                        }
                    }
                }
                (other, _) => self.diagnostics.push(
                    Diagnostic::error(format!("unsupported argument `{other}` in `lifecycle`"))
                        .at(argument.name_span.clone()),
                ),
            }
        }
        lifecycle
    }

    /// `dynamic "NAME" { for_each = ..., iterator = ..., content { ... } }`: the block type it
    /// makes, its `content` body, and how to repeat it.
    fn dynamic<'b>(
        &mut self,
        file: FileId,
        block: &'b Block,
    ) -> Option<(&'b str, &'b Body, Dynamic)> {
        let header = header_span(file, block);
        let labels = label_texts(&block.labels);
        let [name] = labels.as_slice() else {
            self.diagnostics.push(
                Diagnostic::error("a dynamic block needs the name of the block it makes")
                    .at(header)
                    .hint(
                        "write `dynamic \"cors_configuration\" { for_each = ... content { ... } }`",
                    ),
            );
            return None;
        };
        let mut for_each = None;
        let mut iterator = (*name).to_owned();
        for attribute in block.body.attributes() {
            let argument = argument(file, attribute);
            match argument.name.as_str() {
                "for_each" => for_each = Some(argument),
                "iterator" => match &*argument.expr {
                    Expression::Variable(variable) => iterator = variable.as_str().to_owned(),
                    _ => self.diagnostics.push(
                        Diagnostic::error("`iterator` must be a name")
                            .at(argument.value_span.clone())
                            .hint("write `iterator = route`"),
                    ),
                },
                other => self.diagnostics.push(
                    Diagnostic::error(format!("unsupported argument `{other}` in a dynamic block"))
                        .at(argument.name_span.clone())
                        .hint("a dynamic block has `for_each`, `iterator` and a `content` block"),
                ),
            }
        }
        let content: Vec<&Block> = block
            .body
            .blocks()
            .filter(|inner| inner.ident.as_str() == "content")
            .collect();
        let (Some(for_each), [content]) = (for_each, content.as_slice()) else {
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "dynamic block `{name}` needs `for_each` and one `content` block"
                ))
                .at(header),
            );
            return None;
        };
        let name: &'b str = block
            .labels
            .first()
            .map(|label| match label {
                BlockLabel::String(text) => text.value().as_str(),
                BlockLabel::Ident(ident) => ident.as_str(),
            })
            .unwrap_or_default();
        Some((name, &content.body, Dynamic { for_each, iterator }))
    }

    /// Reports each required argument of `attributes` that `arguments` lacks, at `span`.
    fn missing_required(
        &mut self,
        attributes: &[schema::Attribute],
        arguments: &BTreeMap<String, Argument>,
        address: &Address,
        span: &Span,
    ) {
        for attribute in attributes {
            if attribute.presence == Presence::Required && !arguments.contains_key(attribute.name) {
                self.diagnostics.push(
                    Diagnostic::error(format!(
                        "missing required argument `{}` in `{address}`",
                        attribute.name
                    ))
                    .at(span.clone())
                    .hint(format!("add `{} = ...` to the block", attribute.name)),
                );
            }
        }
    }

    fn insert_argument(&mut self, arguments: &mut BTreeMap<String, Argument>, argument: Argument) {
        if arguments.contains_key(&argument.name) {
            self.diagnostics.push(
                Diagnostic::error(format!("argument `{}` is set twice", argument.name))
                    .at(argument.name_span)
                    .hint("remove one of the two"),
            );
        } else {
            arguments.insert(argument.name.clone(), argument);
        }
    }
}

fn unknown_argument<'a>(
    name: &str,
    address: &Address,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(format!("unknown attribute `{name}` in `{address}`"));
    match schema::closest(name, candidates) {
        Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
        None => diagnostic.hint(format!(
            "see the arguments of `{}` in the Terraform AWS provider docs",
            address.kind
        )),
    }
}

pub(crate) fn argument(file: FileId, attribute: &HclAttribute) -> Argument {
    Argument {
        name: attribute.key.as_str().to_owned(),
        expr: Box::new(attribute.value.clone()),
        name_span: Span::new(file, attribute.key.span()),
        value_span: Span::new(file, attribute.value.span()),
    }
}

fn label_texts(labels: &[BlockLabel]) -> Vec<&str> {
    labels.iter().map(BlockLabel::as_str).collect()
}

/// From the block's type to its last label.
fn header_span(file: FileId, block: &Block) -> Span {
    let start = block.ident.span().map_or(0, |range| range.start);
    let end = block
        .labels
        .last()
        .and_then(|label| label.span())
        .or_else(|| block.ident.span())
        .map_or(start, |range| range.end);
    Span::new(file, Some(start..end))
}
