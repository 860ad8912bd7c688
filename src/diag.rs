//! Diagnostics: what is wrong with the user's input, where, and what to do about it.

use std::ops::Range;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// The configuration files of one run, in the order they were read. A [`FileId`] indexes them.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// What is parsed: the file's text, or a `.tf.json` file's translation to native syntax.
    pub text: String,
    /// For a `.tf.json` file: its JSON, which messages show.
    pub json: Option<JsonSource>,
}

/// A `.tf.json` file as written, and where each piece of its translation came from in it.
#[derive(Debug)]
pub struct JsonSource {
    pub text: String,
    pub map: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    /// Why it is not valid JSON, if it is not; then the translation is empty.
    pub error: Option<String>,
}

impl JsonSource {
    /// Where a range of the translation came from in the JSON: the smallest piece written that
    /// holds it.
    pub fn original(&self, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.map
            .iter()
            .filter(|(written, _)| {
                written.start <= range.start && range.end <= written.end.max(written.start + 1)
            })
            .min_by_key(|(written, _)| written.len())
            .map_or(0..0, |(_, json)| json.clone())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

/// A byte range in one source file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    /// The span of `range` in `file`; a missing range (a node built, not parsed) is the file's start.
    pub fn new(file: FileId, range: Option<Range<usize>>) -> Span {
        Span {
            file,
            range: range.unwrap_or(0..0),
        }
    }
}

/// One problem with the input. An error stops the run before the state or AWS is touched; a
/// warning is said and the run goes on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// A short note printed under the marked source text.
    pub label: Option<Box<str>>,
    pub hint: Option<String>,
    /// The instance of a resource or module with `count` or `for_each` the problem is in, such
    /// as `aws_apigatewayv2_route.this["GET /pets"]`: its instances share their source lines.
    pub instance: Option<Box<str>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    /// Something the user likely did not mean, which does not stop the run (as Terraform's
    /// warnings).
    Warning,
}

/// All the problems found in one run, in the order they were found.
#[derive(Clone, Debug, Default, thiserror::Error)]
#[error("{} problem(s) in the configuration", .0.len())]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.add_file(SourceFile {
            path,
            text,
            json: None,
        })
    }

    pub fn add_file(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(index), file))
    }
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            hint: None,
            instance: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into().into_boxed_str());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Says which instance the problem is in, unless a closer one was said already.
    pub fn within(mut self, instance: impl ToString) -> Diagnostic {
        self.instance
            .get_or_insert_with(|| instance.to_string().into_boxed_str());
        self
    }
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Says of each diagnostic which instance it is in ([`Diagnostic::within`]).
    pub fn within(self, instance: impl ToString) -> Diagnostics {
        let instance = instance.to_string();
        Diagnostics(
            self.0
                .into_iter()
                .map(|diagnostic| diagnostic.within(&instance))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sorts the diagnostics by file and position, the order a reader fixes them in.
    /// In source order, each problem once (an instance of a module repeated by `count` finds the
    /// same problems as the others).
    pub fn sort(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.0.retain(|diagnostic| seen.insert(diagnostic.clone()));
        self.0.sort_by_key(|diagnostic| {
            diagnostic
                .span
                .as_ref()
                .map(|span| (span.file, span.range.start))
        });
    }

    /// `Ok(value)` when nothing was reported, otherwise every diagnostic.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Renders diagnostics the way rustc does: message, `--> file:line:col`, the source line with the
/// offending text marked, then the hint. `styled` adds ANSI colour.
pub fn render(diagnostics: &Diagnostics, sources: &Sources, styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in &diagnostics.0 {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(&diagnostic.message));
        if let Some(span) = &diagnostic.span {
            let file = sources.get(span.file);
            let (text, range) = match &file.json {
                Some(json) => (&json.text, json.original(&span.range)),
                None => (&file.text, span.range.clone()),
            };
            let mut annotation = AnnotationKind::Primary.span(range);
            if let Some(label) = &diagnostic.label {
                annotation = annotation.label(&**label);
            }
            group = group.element(
                Snippet::source(&**text)
                    .path(file.path.to_string_lossy())
                    .annotation(annotation),
            );
        }
        if let Some(instance) = &diagnostic.instance {
            group = group.element(Level::NOTE.with_name(Some("with")).message(&**instance));
        }
        if let Some(hint) = &diagnostic.hint {
            group = group.element(Level::HELP.with_name(Some("hint")).message(hint));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// Diagnostics as `terraform validate -json` prints them, for editors and CI annotators: each
/// with its `severity`, `summary`, `detail`, the `range` of source it is about (1-based lines
/// and columns in characters, 0-based byte offsets, the end exclusive) and a `snippet` of the
/// lines it covers.
pub fn json(diagnostics: &Diagnostics, sources: &Sources) -> serde_json::Value {
    let count = |severity| {
        let of = |diagnostic: &&Diagnostic| diagnostic.severity == severity;
        diagnostics.0.iter().filter(of).count()
    };
    let errors = count(Severity::Error);
    serde_json::json!({
        "format_version": "1.0",
        "valid": errors == 0,
        "error_count": errors,
        "warning_count": count(Severity::Warning),
        "diagnostics": diagnostics.0.iter().map(|diagnostic| json_diagnostic(diagnostic, sources)).collect::<Vec<_>>(),
    })
}

fn json_diagnostic(diagnostic: &Diagnostic, sources: &Sources) -> serde_json::Value {
    let detail: Vec<&str> = diagnostic
        .label
        .as_deref()
        .into_iter()
        .chain(diagnostic.hint.as_deref())
        .collect();
    let mut entry = serde_json::json!({
        "severity": match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "summary": diagnostic.message,
        "detail": detail.join("; "),
    });
    if let Some(instance) = &diagnostic.instance {
        entry["address"] = serde_json::json!(instance);
    }
    let Some(span) = &diagnostic.span else {
        return entry;
    };
    let file = sources.get(span.file);
    let (text, mut range) = match &file.json {
        Some(json) => (json.text.as_str(), json.original(&span.range)),
        None => (file.text.as_str(), span.range.clone()),
    };
    range.start = range.start.min(text.len());
    range.end = range.end.clamp(range.start, text.len());
    let position = |byte: usize| {
        let line_start = text[..byte].rfind('\n').map_or(0, |at| at + 1);
        serde_json::json!({
            "line": text[..byte].matches('\n').count() + 1,
            "column": text[line_start..byte].chars().count() + 1,
            "byte": byte,
        })
    };
    // An empty range is widened by one column on its own line, as Terraform does.
    let start = position(range.start);
    let end = match range.is_empty() {
        true => serde_json::json!({
            "line": start["line"],
            "column": start["column"].as_u64().unwrap_or(1) + 1,
            "byte": range.start + 1,
        }),
        false => position(range.end),
    };
    entry["range"] = serde_json::json!({
        "filename": file.path.to_string_lossy(),
        "start": start,
        "end": end,
    });
    // The whole lines the range covers, without their line endings.
    let code_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
    let code_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |at| range.end + at);
    let code = text[code_start..code_end].trim_end_matches(['\r', '\n']);
    let start_line_end = text[range.start..]
        .find('\n')
        .map_or(text.len(), |at| range.start + at);
    entry["snippet"] = serde_json::json!({
        "context": enclosing_block(&text[..start_line_end]),
        "code": code,
        "start_line": text[..code_start].matches('\n').count() + 1,
        "highlight_start_offset": range.start - code_start,
        "highlight_end_offset": (range.end - code_start).min(code.len()),
        "values": [],
    });
    entry
}

/// The header of the top-level block still open at the end of `before` (which ends with the
/// line the problem starts on, so a problem in a block's header is in that block), such as
/// `resource "aws_apigatewayv2_route" "r"` or `locals`: what Terraform names a snippet's context.
fn enclosing_block(before: &str) -> Option<String> {
    let mut open = None;
    for line in before.lines() {
        let starts_block = line.starts_with(|c: char| c.is_ascii_alphabetic());
        match line.trim_end().strip_suffix('{') {
            Some(header) if starts_block => open = Some(header.trim_end().to_owned()),
            _ if line.starts_with('}') => open = None,
            _ => {}
        }
    }
    open
}
