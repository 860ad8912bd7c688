//! `gateform fmt`: configuration files written exactly as `terraform fmt` writes them, so the two
//! tools never undo each other in a team. Its rules (hclwrite's, and Terraform's own rewrites)
//! are in docs/fmt.md; in short:
//!
//! 1. Three rewrites of the syntax tree: block labels quoted, an attribute whose whole value is
//!    `"${expression}"` unwrapped, legacy `variable` types (`"string"`, `list`) modernised.
//! 2. The tokens are cut into lines, each with a lead, an assign cell (from the first `=`, when
//!    the brackets after it balance) and a trailing comment cell.
//! 3. Only the spaces before tokens change: indentation by the brackets each line opens, one
//!    space or none between tokens by what they are, and `=` and trailing comments aligned over
//!    runs of consecutive lines that have such a cell.
//!
//! No token is added, removed or moved by steps 2 and 3: comments, blank lines, line endings,
//! heredocs and string contents stay as written.

mod lex;

use lex::{Kind, Token};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// The file in terraform fmt's canonical style, or why it does not parse.
pub fn format(source: &str) -> Result<String, hcl_edit::parser::Error> {
    let body = hcl_edit::parser::parse_body(source)?;
    let mut edits = Vec::new();
    rewrite_body(source, &body, Nesting::Root, &mut edits);
    let rewritten = apply(source, edits);
    Ok(layout(&rewritten))
}

/// Where a body is: the top-level `variable` blocks' `type` is rewritten differently.
#[derive(Clone, Copy, PartialEq)]
enum Nesting {
    Root,
    Variable,
    Other,
}

/// Terraform's rewrites of the syntax tree (its fmt command's `formatBody`), as text edits.
fn rewrite_body(
    source: &str,
    body: &hcl_edit::structure::Body,
    nesting: Nesting,
    edits: &mut Vec<(Range<usize>, String)>,
) {
    use hcl_edit::Span;
    use hcl_edit::structure::{BlockLabel, Structure};
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let Some(span) = attribute.value.span() else {
                    continue;
                };
                let text = &source[span.clone()];
                let rewritten =
                    match nesting == Nesting::Variable && attribute.key.as_str() == "type" {
                        true => modern_type(text),
                        false => unwrapped(text),
                    };
                if let Some(rewritten) = rewritten {
                    edits.push((span, rewritten));
                }
            }
            Structure::Block(block) => {
                // Labels are written quoted, and what stood between them (comments) is dropped.
                let spans: Option<Vec<_>> = block.labels.iter().map(|label| label.span()).collect();
                if let (Some(first), Some(last), Some(spans)) =
                    (block.labels.first(), block.labels.last(), spans)
                {
                    let quoted: Vec<String> = block
                        .labels
                        .iter()
                        .zip(&spans)
                        .map(|(label, span)| match label {
                            BlockLabel::Ident(ident) => format!("\"{}\"", ident.as_str()),
                            BlockLabel::String(_) => source[span.clone()].to_owned(),
                        })
                        .collect();
                    if let (Some(start), Some(end)) = (first.span(), last.span()) {
                        let region = start.start..end.end;
                        let joined = quoted.join(" ");
                        if source[region.clone()] != joined {
                            edits.push((region, joined));
                        }
                    }
                }
                let inner = match (nesting, block.ident.as_str()) {
                    (Nesting::Root, "variable") => Nesting::Variable,
                    _ => Nesting::Other,
                };
                rewrite_body(source, &block.body, inner, edits);
            }
        }
    }
}

/// `"${expression}"` as the bare expression, when the quotes hold exactly one interpolation and
/// no literal text (interpolations inside nested strings are fine). An expression over several
/// lines is wrapped in parentheses unless it already is.
fn unwrapped(text: &str) -> Option<String> {
    let tokens = lex::tokens(text);
    let kinds = |range: Range<usize>| tokens.get(range).map(|t| t.iter().map(|t| t.kind));
    let outer = kinds(0..2)?.chain(kinds(tokens.len().checked_sub(2)?..tokens.len())?);
    let delimiters = [
        Kind::OQuote,
        Kind::TemplateInterp,
        Kind::TemplateSeqEnd,
        Kind::CQuote,
    ];
    if tokens.len() < 5 || !outer.eq(delimiters) {
        return None;
    }
    let inside = &tokens[2..tokens.len() - 2];
    let mut quotes = 0usize;
    for token in inside {
        match token.kind {
            Kind::OQuote => quotes += 1,
            Kind::CQuote => quotes = quotes.saturating_sub(1),
            _ if quotes > 0 => {}
            Kind::TemplateInterp | Kind::TemplateSeqEnd | Kind::QuotedLit => return None,
            _ => {}
        }
    }
    let kept: Vec<&Token> = {
        let first = inside.iter().position(|t| t.kind != Kind::Newline)?;
        let last = inside.iter().rposition(|t| t.kind != Kind::Newline)?;
        inside[first..=last].iter().collect()
    };
    let expression = &text[kept.first()?.start..kept.last()?.end()];
    let multi_line = kept.iter().any(|t| t.kind == Kind::Newline);
    let parenthesised = kept.first()?.kind == Kind::OParen && kept.last()?.kind == Kind::CParen;
    Some(match multi_line && !parenthesised {
        true => format!("({expression})"),
        false => expression.to_owned(),
    })
}

/// A `variable`'s type written before Terraform 0.12: `list`, `map` and `set` of any, and the
/// quoted `"string"`, `"list"` and `"map"` (of strings, as 0.11 converted their elements).
fn modern_type(text: &str) -> Option<String> {
    let tokens = lex::tokens(text);
    let modern = match tokens.as_slice() {
        [keyword] if keyword.kind == Kind::Ident => match keyword.text {
            "list" | "map" | "set" => format!("{}(any)", keyword.text),
            _ => return None,
        },
        [open, literal, close]
            if (open.kind, literal.kind, close.kind)
                == (Kind::OQuote, Kind::QuotedLit, Kind::CQuote) =>
        {
            match literal.text {
                "string" => "string".to_owned(),
                "list" | "map" => format!("{}(string)", literal.text),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(modern)
}

/// The source with each edit's range replaced. The ranges do not overlap.
fn apply(source: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&source[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&source[at..]);
    out
}

/// One line of tokens, cut into its cells (ranges of token indices).
struct Line {
    lead: Range<usize>,
    assign: Option<Range<usize>>,
    comment: Option<usize>,
}

/// The tokens with the spaces hclwrite puts before each: indentation, spacing, alignment.
fn layout(source: &str) -> String {
    let tokens = lex::tokens(source);
    let lines = lines(&tokens);
    let mut spaces = vec![0usize; tokens.len()];
    indent(&tokens, &lines, &mut spaces);
    space(&tokens, &lines, &mut spaces);
    align(&tokens, &lines, &mut spaces);
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    for (token, spaces) in tokens.iter().zip(spaces) {
        out.extend(std::iter::repeat_n(' ', spaces));
        out.push_str(token.text);
    }
    // Trailing whitespace after the last token stays, as hclwrite keeps it before end of file.
    let end = tokens.last().map_or(0, Token::end);
    out.push_str(&source[end..]);
    out
}

/// The net bracket change over tokens for indentation, stopping after a heredoc opener.
fn net_brackets(tokens: &[Token]) -> isize {
    let mut net = 0;
    for token in tokens {
        net += token.bracket_change();
        if token.kind == Kind::OHeredoc {
            break;
        }
    }
    net
}

fn lines(tokens: &[Token]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (index, token) in tokens.iter().enumerate() {
        if token.ends_line() {
            lines.push(start..index + 1);
            start = index + 1;
        }
    }
    lines.push(start..tokens.len());
    lines
        .into_iter()
        .map(|mut lead| {
            let mut comment = None;
            if lead.len() > 1 && tokens[lead.end - 1].kind == Kind::Comment {
                comment = Some(lead.end - 1);
                lead.end -= 1;
            }
            // Every bracket after the `=` counts here, a heredoc's interpolations too; only
            // indentation stops counting at a heredoc's opener.
            let balanced = |from: usize| {
                let net: isize = tokens[from..lead.end]
                    .iter()
                    .map(Token::bracket_change)
                    .sum();
                net == 0
            };
            let equal = (lead.start + 1..lead.end).find(|&i| tokens[i].kind == Kind::Equal);
            let assign = equal
                .filter(|&equal| balanced(equal))
                .map(|equal| equal..lead.end);
            if let Some(assign) = &assign {
                lead.end = assign.start;
            }
            Line {
                lead,
                assign,
                comment,
            }
        })
        .collect()
}

/// Two spaces per level. A line that opens brackets (however many) pushes one level; a line
/// that closes them pops the levels whose brackets it closed, and is indented at what remains.
fn indent(tokens: &[Token], lines: &[Line], spaces: &mut [usize]) {
    let mut levels: Vec<isize> = Vec::new();
    for line in lines {
        let Some(first) = tokens
            .get(line.lead.start)
            .filter(|_| !line.lead.is_empty())
        else {
            continue;
        };
        if first.kind == Kind::Newline {
            continue;
        }
        let net = net_brackets(&tokens[line.lead.clone()])
            + line
                .assign
                .clone()
                .map_or(0, |assign| net_brackets(&tokens[assign]));
        if net < 0 {
            let mut closed = -net;
            while closed > 0 {
                let Some(top) = levels.last_mut() else { break };
                if closed < *top {
                    *top -= closed;
                    closed = 0;
                } else {
                    closed -= *top;
                    levels.pop();
                }
            }
        }
        spaces[line.lead.start] = 2 * levels.len();
        if net > 0 {
            levels.push(net);
        }
    }
}

/// One space or none between the tokens of each cell; the assign cell's `=` gets one.
fn space(tokens: &[Token], lines: &[Line], spaces: &mut [usize]) {
    for line in lines {
        for cell in [Some(line.lead.clone()), line.assign.clone()]
            .into_iter()
            .flatten()
        {
            if line.assign.as_ref() == Some(&cell) {
                spaces[cell.start] = 1;
            }
            for index in cell.start + 1..cell.end {
                let before = (index >= cell.start + 2).then(|| &tokens[index - 2]);
                let spaced = space_between(&tokens[index - 1], before, &tokens[index]);
                spaces[index] = usize::from(spaced);
            }
        }
    }
}

/// Whether hclwrite puts a space between `subject` and the token after it (`before` is the
/// token before `subject` in the same cell). The first rule that matches decides.
fn space_between(subject: &Token, before: Option<&Token>, after: &Token) -> bool {
    use Kind::*;
    let (s, a) = (subject.kind, after.kind);
    match () {
        _ if a == Newline => false,
        _ if s == Ident && a == OParen => false,
        _ if (s == Ident && a == DoubleColon) || (s == DoubleColon && a == Ident) => false,
        _ if s == Dot || a == Dot => false,
        _ if a == Comma || a == Ellipsis => false,
        _ if s == Comma => true,
        _ if matches!(s, QuotedLit | StringLit | OQuote | OHeredoc)
            || matches!(a, QuotedLit | StringLit | CQuote | CHeredoc) =>
        {
            false
        }
        _ if s == Ident && subject.text == "in" && before.is_some_and(|b| b.kind == Ident) => true,
        _ if a == OBrack && (s == Ident || s == Number || subject.bracket_change() < 0) => false,
        _ if s == Bang => false,
        _ if s == Minus => !before.is_none_or(|before| {
            matches!(
                before.kind,
                OParen
                    | OBrace
                    | OBrack
                    | Equal
                    | Colon
                    | Comma
                    | Question
                    | Arithmetic
                    | Minus
                    | Comparison
                    | Logical
                    | Bang
            )
        }),
        _ if s == OBrace || a == CBrace => !(s == OBrace && a == CBrace),
        _ if matches!(s, TemplateInterp | TemplateControl) && a == OBrace => true,
        _ if s == CBrace && a == TemplateSeqEnd => true,
        _ if s == TemplateSeqEnd && matches!(a, TemplateInterp | TemplateControl) => false,
        _ if subject.bracket_change() > 0 => false,
        _ if after.bracket_change() < 0 => false,
        _ => true,
    }
}

/// `=` aligned one column after the widest lead over each run of consecutive lines with an
/// assign cell; then trailing comments one column after the widest lead and assign over each
/// run of consecutive lines with a comment cell. Width is in grapheme clusters.
fn align(tokens: &[Token], lines: &[Line], spaces: &mut [usize]) {
    let columns = |range: Range<usize>, spaces: &[usize]| -> usize {
        range
            .map(|i| spaces[i] + tokens[i].text.graphemes(true).count())
            .sum()
    };
    let lead = |line: &Line, spaces: &[usize]| columns(line.lead.clone(), spaces);
    let assign = |line: &Line| line.assign.as_ref().map(|assign| assign.start);
    line_up(lines, spaces, assign, lead);
    let lead_and_assign = |line: &Line, spaces: &[usize]| {
        let assign = line
            .assign
            .clone()
            .map_or(0, |assign| columns(assign, spaces));
        lead(line, spaces) + assign
    };
    line_up(lines, spaces, |line| line.comment, lead_and_assign);
}

/// Over each maximal run of consecutive lines that have the cell `at` finds, puts the cell's
/// first token one column after the widest `width` of the run.
fn line_up(
    lines: &[Line],
    spaces: &mut [usize],
    at: impl Fn(&Line) -> Option<usize> + Copy,
    width: impl Fn(&Line, &[usize]) -> usize,
) {
    let runs = lines
        .chunk_by(|a, b| at(a).is_some() == at(b).is_some())
        .filter(|run| at(&run[0]).is_some());
    for run in runs {
        let widest = run
            .iter()
            .map(|line| width(line, spaces))
            .max()
            .unwrap_or(0);
        for line in run {
            if let Some(index) = at(line) {
                spaces[index] = widest - width(line, spaces) + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn only_spaces_change_and_every_comment_stays() {
        let messy = "# The api.\nresource aws_apigatewayv2_api example {\nname=\"example\"   # its name\n    protocol_type = \"${var.protocol}\"\n\n\n  tags = {\n      Team = \"platform\" // owner\n    Environment=\"dev\"\n  }\n  body = <<-EOT\n    openapi: 3.0.1\n      keep:   ${ var.x }\n  EOT\n}\n";
        let expected = "# The api.\nresource \"aws_apigatewayv2_api\" \"example\" {\n  name          = \"example\" # its name\n  protocol_type = var.protocol\n\n\n  tags = {\n    Team        = \"platform\" // owner\n    Environment = \"dev\"\n  }\n  body = <<-EOT\n    openapi: 3.0.1\n      keep:   ${var.x}\n  EOT\n}\n";
        assert_eq!(format(messy).unwrap(), expected);
        assert_eq!(format(expected).unwrap(), expected, "formatting is stable");
    }
}
