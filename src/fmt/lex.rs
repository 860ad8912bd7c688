//! The tokens terraform fmt works on: HCL's native tokens as its scanner cuts them, each with
//! its byte offset. A `#` or `//` comment includes its line ending; a heredoc's opener includes
//! the newline after the marker, its literal lines include theirs, and its closing marker keeps
//! its indentation, so a whole heredoc is one logical line. The text must already parse as HCL.

/// What a token is, as far as formatting cares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Newline,
    Comment,
    Ident,
    Number,
    /// The `"` opening a quoted template, and the one closing it.
    OQuote,
    CQuote,
    /// Literal text inside a quoted template, escapes included.
    QuotedLit,
    /// `<<EOT` or `<<-EOT` and its newline; the closing marker line, without its newline.
    OHeredoc,
    CHeredoc,
    /// Literal text inside a heredoc.
    StringLit,
    /// `${` or `${~`; `%{` or `%{~`; the `}` or `~}` that ends either.
    TemplateInterp,
    TemplateControl,
    TemplateSeqEnd,
    OBrace,
    CBrace,
    OBrack,
    CBrack,
    OParen,
    CParen,
    /// A single `=`.
    Equal,
    Comma,
    Dot,
    Ellipsis,
    DoubleColon,
    Colon,
    Question,
    FatArrow,
    Bang,
    Minus,
    /// `+ * / %`.
    Arithmetic,
    /// `== != < > <= >=`.
    Comparison,
    /// `&& ||`.
    Logical,
    /// Anything else (only in text that does not parse).
    Other,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Where the token starts in the source.
    pub start: usize,
}

impl Token<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// Whether the token ends a line: a newline, or a line comment with its line ending.
    pub fn ends_line(&self) -> bool {
        self.kind == Kind::Newline || (self.kind == Kind::Comment && self.text.ends_with('\n'))
    }

    /// How many brackets the token opens (+1) or closes (-1). Template sequences count.
    pub fn bracket_change(&self) -> isize {
        match self.kind {
            Kind::OBrace
            | Kind::OBrack
            | Kind::OParen
            | Kind::TemplateInterp
            | Kind::TemplateControl => 1,
            Kind::CBrace | Kind::CBrack | Kind::CParen | Kind::TemplateSeqEnd => -1,
            _ => 0,
        }
    }
}

/// Where the scanner is: in expressions (counting the braces an interpolation opened inside
/// itself), in a quoted template, or in a heredoc.
enum Mode<'a> {
    Expression { braces: usize },
    Quoted,
    Heredoc { marker: &'a str, line_start: bool },
}

/// The source's tokens, in order. Whitespace between them is not a token.
pub(super) fn tokens(source: &str) -> Vec<Token<'_>> {
    let mut scanner = Scanner {
        source,
        at: 0,
        modes: vec![Mode::Expression { braces: 0 }],
        tokens: Vec::new(),
    };
    while scanner.at < source.len() {
        match scanner.modes.last() {
            Some(Mode::Quoted) => scanner.quoted(),
            Some(Mode::Heredoc { .. }) => scanner.heredoc(),
            _ => scanner.expression(),
        }
    }
    scanner.tokens
}

struct Scanner<'a> {
    source: &'a str,
    at: usize,
    modes: Vec<Mode<'a>>,
    tokens: Vec<Token<'a>>,
}

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a str {
        &self.source[self.at..]
    }

    fn push(&mut self, kind: Kind, length: usize) {
        let text = &self.source[self.at..self.at + length];
        self.tokens.push(Token {
            kind,
            text,
            start: self.at,
        });
        self.at += length;
    }

    /// Inside an interpolation or directive with no brace of its own open: a `}` ends it.
    fn in_template_sequence(&self) -> bool {
        self.modes.len() > 1 && matches!(self.modes.last(), Some(Mode::Expression { braces: 0 }))
    }

    fn expression(&mut self) {
        let rest = self.rest();
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        self.at += skipped;
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return;
        };
        let line_length = |rest: &str| rest.find('\n').map_or(rest.len(), |end| end + 1);
        let (kind, length) = match first {
            '\n' => (Kind::Newline, 1),
            '\r' if rest.starts_with("\r\n") => (Kind::Newline, 2),
            '#' => (Kind::Comment, line_length(rest)),
            '/' if rest.starts_with("//") => (Kind::Comment, line_length(rest)),
            '/' if rest.starts_with("/*") => (
                Kind::Comment,
                rest[2..].find("*/").map_or(rest.len(), |end| end + 4),
            ),
            '"' => {
                self.push(Kind::OQuote, 1);
                self.modes.push(Mode::Quoted);
                return;
            }
            '<' if heredoc_opener(rest).is_some() => {
                let (length, marker) = heredoc_opener(rest).unwrap_or_default();
                self.push(Kind::OHeredoc, length);
                self.modes.push(Mode::Heredoc {
                    marker,
                    line_start: true,
                });
                return;
            }
            '{' => {
                if let Some(Mode::Expression { braces }) = self.modes.last_mut() {
                    *braces += 1;
                }
                (Kind::OBrace, 1)
            }
            '}' | '~'
                if self.in_template_sequence() && (first == '}' || rest.starts_with("~}")) =>
            {
                self.push(Kind::TemplateSeqEnd, if first == '~' { 2 } else { 1 });
                self.modes.pop();
                if let Some(Mode::Heredoc { line_start, .. }) = self.modes.last_mut() {
                    *line_start = false;
                }
                return;
            }
            '}' => {
                if let Some(Mode::Expression { braces }) = self.modes.last_mut() {
                    *braces = braces.saturating_sub(1);
                }
                (Kind::CBrace, 1)
            }
            '[' => (Kind::OBrack, 1),
            ']' => (Kind::CBrack, 1),
            '(' => (Kind::OParen, 1),
            ')' => (Kind::CParen, 1),
            _ if rest.starts_with("...") => (Kind::Ellipsis, 3),
            _ if rest.starts_with("::") => (Kind::DoubleColon, 2),
            _ if rest.starts_with("=>") => (Kind::FatArrow, 2),
            _ if ["==", "!=", "<=", ">="]
                .iter()
                .any(|op| rest.starts_with(op)) =>
            {
                (Kind::Comparison, 2)
            }
            _ if rest.starts_with("&&") || rest.starts_with("||") => (Kind::Logical, 2),
            '=' => (Kind::Equal, 1),
            ',' => (Kind::Comma, 1),
            '.' => (Kind::Dot, 1),
            ':' => (Kind::Colon, 1),
            '?' => (Kind::Question, 1),
            '!' => (Kind::Bang, 1),
            '-' => (Kind::Minus, 1),
            '+' | '*' | '/' | '%' => (Kind::Arithmetic, 1),
            '<' | '>' => (Kind::Comparison, 1),
            '0'..='9' => (Kind::Number, number_length(rest)),
            _ if identifier_start(first) => (Kind::Ident, identifier_length(rest)),
            _ => (Kind::Other, first.len_utf8()),
        };
        self.push(kind, length);
    }

    fn quoted(&mut self) {
        let rest = self.rest();
        if rest.starts_with('"') {
            self.push(Kind::CQuote, 1);
            self.modes.pop();
        } else if let Some(length) = sequence_opener(rest) {
            self.open_sequence(rest, length);
        } else {
            let length = literal_length(rest, true);
            self.push(Kind::QuotedLit, length.max(1));
        }
    }

    fn heredoc(&mut self) {
        let rest = self.rest();
        let Some(&Mode::Heredoc { marker, line_start }) = self.modes.last() else {
            return;
        };
        let line = &rest[..rest.find('\n').map_or(rest.len(), |end| end + 1)];
        if line_start && line.trim() == marker {
            let closer = line.trim_end_matches(['\n', '\r']);
            self.modes.pop();
            self.push(Kind::CHeredoc, closer.len());
            let newline = line.len() - closer.len();
            if newline > 0 {
                self.push(Kind::Newline, newline);
            }
        } else if let Some(length) = sequence_opener(rest) {
            self.open_sequence(rest, length);
        } else {
            let length = literal_length(line, false);
            if let Some(Mode::Heredoc { line_start, .. }) = self.modes.last_mut() {
                *line_start = line[..length].ends_with('\n');
            }
            self.push(Kind::StringLit, length.max(1));
        }
    }

    fn open_sequence(&mut self, rest: &str, length: usize) {
        let kind = match rest.starts_with('$') {
            true => Kind::TemplateInterp,
            false => Kind::TemplateControl,
        };
        self.push(kind, length);
        self.modes.push(Mode::Expression { braces: 0 });
    }
}

/// `${`, `${~`, `%{` or `%{~` at the start: its length.
fn sequence_opener(rest: &str) -> Option<usize> {
    let opens = rest.starts_with("${") || rest.starts_with("%{");
    opens.then(|| if rest[2..].starts_with('~') { 3 } else { 2 })
}

/// The literal text at the start of a template, up to a sequence opener, or in a quoted
/// template also the closing quote (backslash escapes are literal there). `$${` and `%%{` are
/// escapes, not openers.
fn literal_length(rest: &str, quoted: bool) -> usize {
    let bytes = rest.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quoted => at += 2,
            b'"' if quoted => return at,
            // `$${` and `%%{` are escapes; `$$` alone is two literal dollars, so in `$$${` the
            // first is literal and the rest an escape.
            b'$' | b'%'
                if bytes.get(at + 1) == Some(&bytes[at]) && bytes.get(at + 2) == Some(&b'{') =>
            {
                at += 3
            }
            b'$' | b'%' if bytes.get(at + 1) == Some(&b'{') => return at,
            _ => at += 1,
        }
    }
    at.min(bytes.len())
}

/// `<<EOT` or `<<-EOT` followed by a line ending: the opener's length with it, and the marker.
fn heredoc_opener(rest: &str) -> Option<(usize, &str)> {
    let after = rest.strip_prefix("<<")?;
    let after_dash = after.strip_prefix('-').unwrap_or(after);
    let marker_length = identifier_length(after_dash);
    let marker = &after_dash[..marker_length];
    let newline = match &after_dash[marker_length..] {
        line if line.starts_with('\n') => 1,
        line if line.starts_with("\r\n") => 2,
        _ => return None,
    };
    let starts_well = marker.starts_with(identifier_start);
    starts_well.then_some((
        rest.len() - after_dash.len() + marker_length + newline,
        marker,
    ))
}

/// Whether an identifier may start with the character: Unicode's ID_Start, or `_`, as HCL says.
fn identifier_start(c: char) -> bool {
    unicode_ident::is_xid_start(c) || c == '_'
}

/// The length of the identifier at the start: ID_Continue characters and dashes.
fn identifier_length(rest: &str) -> usize {
    rest.find(|c: char| !(unicode_ident::is_xid_continue(c) || c == '-'))
        .unwrap_or(rest.len())
}

/// A number literal's length: digits, an optional fraction and an optional exponent.
fn number_length(rest: &str) -> usize {
    let digits = |text: &str| {
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len())
    };
    let mut length = digits(rest);
    let fraction = &rest[length..];
    if fraction.starts_with('.') && fraction[1..].starts_with(|c: char| c.is_ascii_digit()) {
        length += 1 + digits(&fraction[1..]);
    }
    let exponent = &rest[length..];
    if exponent.starts_with(['e', 'E']) {
        let signed = exponent[1..]
            .strip_prefix(['+', '-'])
            .unwrap_or(&exponent[1..]);
        let sign = exponent.len() - 1 - signed.len();
        if signed.starts_with(|c: char| c.is_ascii_digit()) {
            length += 1 + sign + digits(signed);
        }
    }
    length
}
