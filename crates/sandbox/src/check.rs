//! The SQL pre-check: refuses, with a reason a user can act on, SQL that tries to reach outside
//! the project's layer views or to change the sandbox.
//!
//! It is a usability layer, not the guard: the child's DuckDB configuration (external access
//! off, an allow-list of paths, locked configuration) refuses the same things on its own, and the
//! escape-matrix tests prove it with this check bypassed. What this check adds is a clear
//! [`SandboxError::Refused`] (a 422) before a process is spawned, instead of a DuckDB message.
//!
//! It works on tokens, not text, so string literals, quoted identifiers and comments neither hide
//! a call nor cause a false refusal. Where DuckDB's lexer is more permissive than this one
//! (nested block comments), this one ends the comment sooner and so sees more code, never less.

use crate::protocol::SandboxError;

/// Refuses the SQL if any statement leaves the sandbox; `Ok` otherwise.
pub fn check_sql(sql: &str) -> Result<(), SandboxError> {
    let tokens = tokenize(sql)?;
    for statement in tokens.split(|token| *token == Token::Semicolon) {
        check_statement(statement)?;
    }
    Ok(())
}

/// The statements of a script, as source text, without the empty ones between `;`s.
pub fn split_statements(sql: &str) -> Result<Vec<Statement<'_>>, SandboxError> {
    let mut statements = Vec::new();
    let mut lexer = Lexer { sql, pos: 0 };
    let mut start = 0;
    let mut tokens = Vec::new();
    loop {
        let next = lexer.next_token()?;
        let end = match &next {
            Some((Token::Semicolon, at)) => *at,
            Some((token, _)) => {
                tokens.push(token.clone());
                continue;
            }
            None => sql.len(),
        };
        let text = sql[start..end].trim();
        if !tokens.is_empty() {
            statements.push(Statement {
                text,
                returns_rows: returns_rows(tokens.first()),
                creates_table: created_table(&tokens),
            });
        }
        if next.is_none() {
            return Ok(statements);
        }
        tokens.clear();
        start = lexer.pos;
    }
}

/// One statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub text: &'a str,
    /// Whether it is a query (its rows are the run's result when it is the last statement).
    pub returns_rows: bool,
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] [schema.]name`: the schema and name, as written.
    pub creates_table: Option<(Option<String>, String)>,
}

fn created_table(tokens: &[Token]) -> Option<(Option<String>, String)> {
    let mut rest = tokens.iter().peekable();
    if !rest.next().is_some_and(|token| token.is_word("create")) {
        return None;
    }
    while rest
        .peek()
        .is_some_and(|token| ["or", "replace"].iter().any(|word| token.is_word(word)))
    {
        rest.next();
    }
    if !rest.next().is_some_and(|token| token.is_word("table")) {
        return None;
    }
    while rest.peek().is_some_and(|token| {
        ["if", "not", "exists"]
            .iter()
            .any(|word| token.is_word(word))
    }) {
        rest.next();
    }
    let first = rest.next()?.identifier()?;
    if rest.peek() != Some(&&Token::Punct('.')) {
        return Some((None, first));
    }
    rest.next();
    let second = rest.next()?.identifier()?;
    if rest.peek() == Some(&&Token::Punct('.')) {
        // catalog.schema.name
        rest.next();
        return Some((Some(second), rest.next()?.identifier()?));
    }
    Some((Some(first), second))
}

fn returns_rows(first: Option<&Token>) -> bool {
    let first_word = match first {
        Some(Token::Word(word)) => Some(word.as_str()),
        Some(Token::Punct('(')) => Some("("),
        _ => None,
    };
    matches!(
        first_word,
        Some(
            "select"
                | "with"
                | "from"
                | "values"
                | "table"
                | "pivot"
                | "unpivot"
                | "summarize"
                | "describe"
                | "show"
                | "("
        )
    )
}

/// Table and scalar functions that read files, URLs or the environment, or run SQL text the
/// check cannot see. Users reach data only through the `bronze`/`silver`/`gold` views.
const FORBIDDEN_FUNCTIONS: &[&str] = &[
    "glob",
    "getenv",
    "query",
    "query_table",
    "json_execute_serialized_sql",
    "sniff_csv",
    "load_aws_credentials",
];

fn is_forbidden_function(name: &str) -> bool {
    FORBIDDEN_FUNCTIONS.contains(&name)
        || name.starts_with("read_")
        || name.starts_with("parquet_")
        || name.ends_with("_scan")
}

fn check_statement(tokens: &[Token]) -> Result<(), SandboxError> {
    check_leading_keywords(tokens)?;
    for (i, token) in tokens.iter().enumerate() {
        let name = match token {
            Token::Word(word) => word.clone(),
            Token::QuotedIdent(ident) => ident.to_lowercase(),
            Token::Str if follows_from_or_join(&tokens[..i]) => {
                return Err(SandboxError::refused(
                    "reading a file by its path is not allowed; use the bronze, silver and gold views",
                ));
            }
            _ => continue,
        };
        if tokens.get(i + 1) == Some(&Token::Punct('(')) && is_forbidden_function(&name) {
            return Err(SandboxError::refused(format!(
                "function {name}() reads outside the sandbox; use the bronze, silver and gold views"
            )));
        }
        if name == "external"
            && matches!(tokens.get(i + 1), Some(Token::Word(next)) if next == "resource")
        {
            return Err(SandboxError::refused("external resources are not allowed"));
        }
    }
    Ok(())
}

/// `FROM 'file.csv'` and `JOIN 'file.csv'`: DuckDB's replacement scans read a path named by a
/// string where a table belongs.
fn follows_from_or_join(before: &[Token]) -> bool {
    matches!(before.last(), Some(Token::Word(word)) if word == "from" || word == "join")
}

fn check_leading_keywords(tokens: &[Token]) -> Result<(), SandboxError> {
    let words: Vec<&str> = tokens
        .iter()
        .take(8)
        .map(|token| match token {
            Token::Word(word) => word.as_str(),
            _ => "",
        })
        .collect();
    let Some(&first) = words.first() else {
        return Ok(());
    };
    let refuse = |what: &str| {
        Err(SandboxError::refused(format!(
            "{what} is not allowed in the sandbox"
        )))
    };
    match first {
        "attach" | "detach" => refuse("ATTACH/DETACH (other databases)"),
        "install" | "load" => refuse("INSTALL/LOAD (extensions)"),
        "force" if words.get(1) == Some(&"install") => refuse("FORCE INSTALL (extensions)"),
        "update" if words.get(1) == Some(&"extensions") => refuse("UPDATE EXTENSIONS"),
        "set" | "reset" if words.get(1) != Some(&"variable") => {
            refuse("changing the configuration (SET/RESET)")
        }
        "pragma" => refuse("PRAGMA"),
        "copy" => refuse("COPY (reading or writing files)"),
        "export" | "import" => refuse("EXPORT/IMPORT DATABASE"),
        "call" => refuse("CALL"),
        "connect" | "disconnect" => refuse("CONNECT/DISCONNECT"),
        "register" | "destroy" => refuse("external resources"),
        "create" | "drop" => {
            let object = words[1..].iter().find(|word| {
                !matches!(
                    **word,
                    "or" | "replace" | "persistent" | "temp" | "temporary"
                )
            });
            match object {
                Some(&"secret") => refuse("secrets (CREATE/DROP SECRET)"),
                Some(&"extension") => refuse("extension repositories"),
                _ => Ok(()),
            }
        }
        // EXPLAIN ANALYZE and PREPARE … AS run the statement they wrap.
        "explain" => {
            let skip = 1 + usize::from(matches!(words.get(1), Some(&"analyze" | &"analyse")));
            let rest = skip_parenthesised(&tokens[skip.min(tokens.len())..]);
            check_leading_keywords(rest)
        }
        "prepare" => match tokens.iter().position(|token| token.is_word("as")) {
            Some(as_at) => check_leading_keywords(&tokens[as_at + 1..]),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Drops an option list in parentheses at the start (`EXPLAIN (FORMAT json) …`).
fn skip_parenthesised(tokens: &[Token]) -> &[Token] {
    if tokens.first() != Some(&Token::Punct('(')) {
        return tokens;
    }
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => {
                depth -= 1;
                if depth == 0 {
                    return &tokens[i + 1..];
                }
            }
            _ => {}
        }
    }
    &[]
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A keyword or an unquoted identifier, lower-cased.
    Word(String),
    /// A `"quoted"` identifier, as written (without the quotes).
    QuotedIdent(String),
    /// A string literal of any form (`'…'`, `E'…'`, `$$…$$`); its content never matters.
    Str,
    Number,
    Semicolon,
    Punct(char),
}

impl Token {
    fn is_word(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w == word)
    }

    /// The identifier this token names: a word as DuckDB folds it, a quoted one as written.
    fn identifier(&self) -> Option<String> {
        match self {
            Token::Word(word) => Some(word.clone()),
            Token::QuotedIdent(ident) => Some(ident.clone()),
            _ => None,
        }
    }
}

fn tokenize(sql: &str) -> Result<Vec<Token>, SandboxError> {
    let mut lexer = Lexer { sql, pos: 0 };
    let mut tokens = Vec::new();
    while let Some((token, _)) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

struct Lexer<'a> {
    sql: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.sql[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// The next token and the byte offset where it starts; `None` at the end.
    fn next_token(&mut self) -> Result<Option<(Token, usize)>, SandboxError> {
        self.skip_space_and_comments()?;
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(None);
        };
        let token = match c {
            ';' => Token::Semicolon,
            '\'' => {
                self.string_body(false)?;
                Token::Str
            }
            'e' | 'E' if self.peek() == Some('\'') => {
                self.bump();
                self.string_body(true)?;
                Token::Str
            }
            '"' => Token::QuotedIdent(self.quoted_identifier()?),
            '$' if self.dollar_quote_start(start).is_some() => {
                self.dollar_string(start)?;
                Token::Str
            }
            c if c.is_ascii_digit() => {
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '.')
                {
                    self.bump();
                }
                Token::Number
            }
            c if c.is_alphabetic() || c == '_' => {
                while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_' || c == '$')
                {
                    self.bump();
                }
                Token::Word(self.sql[start..self.pos].to_lowercase())
            }
            c => Token::Punct(c),
        };
        Ok(Some((token, start)))
    }

    fn skip_space_and_comments(&mut self) -> Result<(), SandboxError> {
        loop {
            let rest = self.rest();
            if rest.starts_with("--") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if let Some(body) = rest.strip_prefix("/*") {
                // Not nested on purpose: ending at the first `*/` shows more code, never less.
                match body.find("*/") {
                    Some(end) => self.pos += 2 + end + 2,
                    None => return Err(SandboxError::refused("unterminated /* comment")),
                }
            } else if self.peek().is_some_and(char::is_whitespace) {
                self.bump();
            } else {
                return Ok(());
            }
        }
    }

    /// After the opening quote; `''` is a quote, and in `E'…'` strings a backslash escapes.
    fn string_body(&mut self, backslash_escapes: bool) -> Result<(), SandboxError> {
        loop {
            match self.bump() {
                None => return Err(SandboxError::refused("unterminated string literal")),
                Some('\\') if backslash_escapes => {
                    self.bump();
                }
                Some('\'') if self.peek() == Some('\'') => {
                    self.bump();
                }
                Some('\'') => return Ok(()),
                Some(_) => {}
            }
        }
    }

    fn quoted_identifier(&mut self) -> Result<String, SandboxError> {
        let mut ident = String::new();
        loop {
            match self.bump() {
                None => return Err(SandboxError::refused("unterminated quoted identifier")),
                Some('"') if self.peek() == Some('"') => {
                    self.bump();
                    ident.push('"');
                }
                Some('"') => return Ok(ident),
                Some(c) => ident.push(c),
            }
        }
    }

    /// `$tag$` at `start` (the tag may be empty); `None` for `$1` parameters and the like.
    fn dollar_quote_start(&self, start: usize) -> Option<&str> {
        let after = &self.sql[start + 1..];
        let tag_len = after.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
        let tag = &after[..tag_len];
        let starts_with_digit = tag.starts_with(|c: char| c.is_ascii_digit());
        (after[tag_len..].starts_with('$') && !starts_with_digit)
            .then(|| &self.sql[start..start + tag_len + 2])
    }

    fn dollar_string(&mut self, start: usize) -> Result<(), SandboxError> {
        let delimiter = self.dollar_quote_start(start).unwrap_or("$$").to_string();
        self.pos = start + delimiter.len();
        match self.rest().find(&delimiter) {
            Some(end) => {
                self.pos += end + delimiter.len();
                Ok(())
            }
            None => Err(SandboxError::refused("unterminated $$ string")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(sql: &str) -> bool {
        matches!(check_sql(sql), Err(SandboxError::Refused { .. }))
    }

    #[test]
    fn ordinary_transforms_pass() {
        for sql in [
            "CREATE TABLE silver.orders AS SELECT id, amount::DECIMAL(18,2) AS amount FROM bronze.orders",
            "SELECT 'ATTACH ''/tmp/x.db''; read_csv(''/etc/passwd'')' AS s -- COPY x TO 'y'",
            "SELECT \"read_csv\" FROM bronze.x /* LOAD httpfs; */",
            "SELECT $$ INSTALL httpfs $$, $tag$ read_text('x') $tag$, 1",
            "SET VARIABLE cutoff = DATE '2024-01-01'; SELECT getvariable('cutoff')",
            "WITH t AS (SELECT * FROM silver.orders) SELECT count(*) FROM t; ",
            "CREATE TABLE gold.secret AS SELECT 1 AS copy",
            "SELECT E'it\\'s', 'load'",
            "SELECT * FROM bronze.events JOIN bronze.users USING (user_id)",
        ] {
            assert_eq!(check_sql(sql), Ok(()), "{sql}");
        }
    }

    #[test]
    fn escapes_are_refused() {
        for sql in [
            "ATTACH '/tmp/x.db'",
            "select 1; detach x",
            "INSTALL httpfs",
            "LOAD httpfs",
            "FORCE INSTALL httpfs",
            "UPDATE EXTENSIONS",
            "SET memory_limit='100GB'",
            "set enable_external_access = true",
            "RESET threads",
            "PRAGMA threads=8",
            "COPY (SELECT 1) TO '/tmp/x.csv'",
            "copy t from 'x.csv'",
            "EXPORT DATABASE '/tmp/x'",
            "IMPORT DATABASE '/tmp/x'",
            "CALL pragma_version()",
            "CREATE SECRET s (TYPE s3, KEY_ID 'x')",
            "CREATE OR REPLACE PERSISTENT SECRET s (TYPE s3)",
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM READ_CSV_AUTO('/etc/passwd')",
            "SELECT * FROM main.\"read_text\"('/etc/passwd')",
            "FROM read_blob('/etc/passwd')",
            "SELECT * FROM glob('/etc/*')",
            "SELECT * FROM parquet_scan('/x.parquet')",
            "SELECT * FROM parquet_metadata('/x.parquet')",
            "SELECT * FROM read_json_auto('x.json')",
            "SELECT * FROM sniff_csv('/etc/passwd')",
            "SELECT getenv('HOME')",
            "SELECT 'HOME'.getenv()",
            "SELECT * FROM query('SELECT 1')",
            "SELECT * FROM '/etc/passwd'",
            "SELECT * FROM bronze.x JOIN '/etc/passwd' ON true",
            "EXPLAIN ANALYZE COPY (SELECT 1) TO '/tmp/x'",
            "PREPARE p AS ATTACH '/tmp/x.db'",
            "CREATE EXTERNAL RESOURCE 'x'",
            "SELECT 1; /* ; */ SELECT * FROM read_csv('/etc/passwd')",
            "SELECT 1 -- comment\n; LOAD httpfs",
            "SELECT /* /* */ read_text('x') */ 1",
            "SELECT 'unterminated",
        ] {
            assert!(refused(sql), "not refused: {sql}");
        }
    }

    #[test]
    fn statements_split_on_top_level_semicolons() {
        let statements = split_statements(
            "CREATE TABLE silver.a AS SELECT ';' AS s; -- x; y\n\n ;SELECT * FROM silver.a /* ; */",
        )
        .unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(
            statements[0].text,
            "CREATE TABLE silver.a AS SELECT ';' AS s"
        );
        assert!(!statements[0].returns_rows);
        assert_eq!(statements[1].text, "SELECT * FROM silver.a /* ; */");
        assert!(statements[1].returns_rows);
        assert_eq!(
            statements[0].creates_table,
            Some((Some("silver".into()), "a".into()))
        );
    }

    #[test]
    fn created_tables_are_named() {
        let created = |sql: &str| split_statements(sql).unwrap()[0].creates_table.clone();
        assert_eq!(
            created("create or replace table Gold.\"Sales\" as select 1"),
            Some((Some("gold".into()), "Sales".into()))
        );
        assert_eq!(
            created("CREATE TABLE IF NOT EXISTS memory.silver.x (id INT)"),
            Some((Some("silver".into()), "x".into()))
        );
        assert_eq!(
            created("CREATE TABLE x AS SELECT 1"),
            Some((None, "x".into()))
        );
        assert_eq!(created("CREATE VIEW silver.x AS SELECT 1"), None);
    }
}
