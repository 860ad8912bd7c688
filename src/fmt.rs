//! `gateform fmt`: configuration files in terraform fmt's canonical style. Two spaces per level,
//! `=` aligned across consecutive attributes, one blank line between blocks, no trailing spaces.
//! It works on lines, so every comment stays where it was; heredocs and multi-line strings are
//! left exactly as written. A file that does not parse is left alone and reported.

/// What one line of the source is, once the lexer has walked it.
struct Line<'a> {
    text: &'a str,
    /// The indentation level: how many lines opened brackets that are still open here. Brackets
    /// opened together on one line (`map(object({`) count once, as in terraform fmt.
    depth: usize,
    /// Whether the line leaves a bracket open, or closes one it did not open.
    unbalanced: bool,
    /// Inside a heredoc or a multi-line string: kept verbatim.
    verbatim: bool,
}

/// The file in canonical style. Pure; the text must already parse as HCL.
pub fn format(source: &str) -> String {
    let lines = lex(source);
    let mut out: Vec<String> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        if line.verbatim {
            out.push(line.text.to_owned());
            index += 1;
            continue;
        }
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            // One blank line at most, and none just inside braces.
            let previous_opens = out.last().is_some_and(|l| l.trim_end().ends_with('{'));
            let previous_blank = out.last().is_some_and(|l| l.trim().is_empty());
            if !out.is_empty() && !previous_opens && !previous_blank {
                out.push(String::new());
            }
            index += 1;
            continue;
        }
        // A run of consecutive one-line attributes at one depth shares the `=` column; an
        // attribute whose value goes on over more lines stands alone, as in terraform fmt.
        let group: Vec<usize> = (index..lines.len())
            .take_while(|&i| {
                let candidate = &lines[i];
                !candidate.verbatim
                    && candidate.depth == line.depth
                    && attribute(candidate.text.trim()).is_some()
                    && (i == index || !(candidate.unbalanced || lines[i - 1].unbalanced))
            })
            .collect();
        if group.is_empty() {
            if trimmed.starts_with(['}', ']', ')']) {
                // No blank line just before a closing brace.
                while out.last().is_some_and(|l| l.trim().is_empty()) {
                    out.pop();
                }
            }
            let depth = line.depth;
            // Blocks at the top level are separated by one blank line.
            let block_start = depth == 0 && opens_block(trimmed);
            if block_start && out.last().is_some_and(|l| l.trim() == "}") {
                out.push(String::new());
            }
            out.push(format!("{}{trimmed}", "  ".repeat(depth)));
            index += 1;
            continue;
        }
        let width = group
            .iter()
            .filter_map(|&i| attribute(lines[i].text.trim()))
            .map(|(name, _)| name.chars().count())
            .max()
            .unwrap_or(0);
        for &i in &group {
            let (name, value) = attribute(lines[i].text.trim()).unwrap_or_default();
            out.push(format!(
                "{}{} = {value}",
                "  ".repeat(line.depth),
                crate::render::padded(name, width)
            ));
        }
        index += group.len();
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out
        .iter()
        .map(|line| line.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

/// `name = value` on one line: the name and the value. Not `==`, and not a block header.
fn attribute(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim_end();
    let value = value.trim_start();
    if value.starts_with('=') || name.is_empty() {
        return None;
    }
    let identifier = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    let quoted = name.len() >= 2 && name.starts_with('"') && name.ends_with('"');
    (identifier || quoted).then_some((name, value))
}

/// A line that opens a block: `resource "x" "y" {`, `locals {`.
fn opens_block(line: &str) -> bool {
    line.ends_with('{') && attribute(line).is_none()
}

/// Walks the source once, tracking nesting outside strings, comments and heredocs.
fn lex(source: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    // The line number of each open bracket.
    let mut open: Vec<usize> = Vec::new();
    let levels = |open: &[usize]| {
        let mut distinct = open.to_vec();
        distinct.dedup();
        distinct.len()
    };
    let mut heredoc: Option<String> = None;
    // Inside a quoted string that a newline did not end (a template spanning lines).
    let mut in_string = false;
    let mut in_block_comment = false;
    for (number, text) in source.lines().enumerate() {
        if let Some(marker) = &heredoc {
            if text.trim() == marker {
                heredoc = None;
            }
            lines.push(Line {
                text,
                depth: levels(&open),
                unbalanced: false,
                verbatim: true,
            });
            continue;
        }
        let verbatim = in_string || in_block_comment;
        // A line that starts by closing brackets is indented like the line that opened them.
        let leading_closers = text
            .trim_start()
            .chars()
            .take_while(|c| matches!(c, '}' | ']' | ')'))
            .count();
        let depth = match verbatim {
            true => levels(&open),
            false => levels(&open[..open.len().saturating_sub(leading_closers)]),
        };
        let before = open.clone();
        let mut chars = text.char_indices().peekable();
        // Interpolations inside strings nest braces of their own.
        let mut interpolation: Vec<usize> = Vec::new();
        while let Some((at, c)) = chars.next() {
            if in_block_comment {
                if c == '*' && chars.peek().is_some_and(|(_, next)| *next == '/') {
                    chars.next();
                    in_block_comment = false;
                }
                continue;
            }
            if in_string {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' if interpolation.is_empty() => in_string = false,
                    '$' | '%' if chars.peek().is_some_and(|(_, next)| *next == '{') => {
                        chars.next();
                        interpolation.push(1);
                    }
                    '{' if !interpolation.is_empty() => {
                        if let Some(count) = interpolation.last_mut() {
                            *count += 1;
                        }
                    }
                    '}' if !interpolation.is_empty() => {
                        if let Some(count) = interpolation.last_mut() {
                            *count -= 1;
                            if *count == 0 {
                                interpolation.pop();
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '#' => break,
                '/' if chars.peek().is_some_and(|(_, next)| *next == '/') => break,
                '/' if chars.peek().is_some_and(|(_, next)| *next == '*') => {
                    chars.next();
                    in_block_comment = true;
                }
                '{' | '[' | '(' => open.push(number),
                '}' | ']' | ')' => {
                    open.pop();
                }
                '<' if text[at..].starts_with("<<") => {
                    let rest = text[at + 2..].trim_start_matches('-');
                    let marker: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !marker.is_empty() {
                        heredoc = Some(marker);
                        break;
                    }
                }
                _ => {}
            }
        }
        lines.push(Line {
            text,
            depth,
            unbalanced: open != before,
            verbatim,
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn aligns_indents_spaces_and_keeps_comments() {
        let messy = r#"# The api.
resource "aws_apigatewayv2_api" "example" {
name="example"   # its name
    protocol_type = "HTTP"
  description = "a = b"


  tags = {
      Team = "platform" // owner
    Environment="dev"
  }
  body = <<-EOT
    openapi: 3.0.1
      keep:   this
  EOT
}
resource "aws_apigatewayv2_route" "r" {

  api_id    = aws_apigatewayv2_api.example.id
  /* the key */ route_key = "GET /${var.path}"

}
"#;
        let expected = r#"# The api.
resource "aws_apigatewayv2_api" "example" {
  name          = "example"   # its name
  protocol_type = "HTTP"
  description   = "a = b"

  tags = {
    Team        = "platform" // owner
    Environment = "dev"
  }
  body = <<-EOT
    openapi: 3.0.1
      keep:   this
  EOT
}

resource "aws_apigatewayv2_route" "r" {
  api_id = aws_apigatewayv2_api.example.id
  /* the key */ route_key = "GET /${var.path}"
}
"#;
        assert_eq!(format(messy), expected);
        assert_eq!(format(expected), expected, "formatting is stable");
    }
}
