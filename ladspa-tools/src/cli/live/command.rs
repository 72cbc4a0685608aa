//! The commands `ladspa live` reads on standard input while it runs, one a line, words split
//! as a shell splits them (quotes and backslashes), stages counted from 1.

use std::fmt;

/// One command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `set STAGE PORT VALUE`: a control input of a stage, by name or index; the value a
    /// number or one of the port's named values.
    Set {
        /// The stage, from 0 (typed from 1).
        stage: usize,
        /// The port's name or index, as typed.
        port: String,
        /// The value, as typed.
        value: String,
    },
    /// `bypass STAGE on|off`.
    Bypass {
        /// The stage, from 0 (typed from 1).
        stage: usize,
        /// Whether to bypass it.
        on: bool,
    },
    /// `info`: the chain, its controls and the host's state.
    Info,
    /// `help`: the commands.
    Help,
    /// `quit` (or `exit`): stop.
    Quit,
    /// An empty line.
    Nothing,
}

/// What `help` prints.
pub const HELP: &str = "\
commands (stages counted from 1; quote names with spaces):
  set STAGE PORT VALUE   set a control input by name or index: set 2 \"Reverb Type\" \"Hall (Large)\"
  bypass STAGE on|off    bypass a stage (crossfaded over one period) or bring it back
  info                   the chain, its controls, latency, load and xruns
  quit                   stop (as Ctrl-C and SIGTERM do; the end of the input does not)";

/// Why a command line was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError(pub String);

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CommandError {}

fn refuse<T>(message: impl Into<String>) -> Result<T, CommandError> {
    Err(CommandError(message.into()))
}

/// Parses one line against a chain of `stages` stages.
pub fn parse(line: &str, stages: usize) -> Result<Command, CommandError> {
    let words = split_words(line)?;
    let Some((name, args)) = words.split_first() else {
        return Ok(Command::Nothing);
    };
    let arity = |n: usize, usage: &str| {
        if args.len() == n {
            Ok(())
        } else {
            refuse(format!("usage: {usage}"))
        }
    };
    match name.as_str() {
        "set" => {
            arity(3, "set STAGE PORT VALUE")?;
            Ok(Command::Set {
                stage: stage(&args[0], stages)?,
                port: args[1].clone(),
                value: args[2].clone(),
            })
        }
        "bypass" => {
            arity(2, "bypass STAGE on|off")?;
            let on = match args[1].to_ascii_lowercase().as_str() {
                "on" | "1" | "true" | "yes" => true,
                "off" | "0" | "false" | "no" => false,
                other => return refuse(format!("bypass: `{other}` is neither on nor off")),
            };
            Ok(Command::Bypass {
                stage: stage(&args[0], stages)?,
                on,
            })
        }
        "info" => arity(0, "info").map(|()| Command::Info),
        "help" | "?" => Ok(Command::Help),
        "quit" | "exit" => arity(0, "quit").map(|()| Command::Quit),
        other => refuse(format!(
            "unknown command `{other}` (commands: set, bypass, info, help, quit)"
        )),
    }
}

/// A stage number as typed (from 1) to an index (from 0).
fn stage(word: &str, stages: usize) -> Result<usize, CommandError> {
    match word.parse::<usize>() {
        Ok(n) if (1..=stages).contains(&n) => Ok(n - 1),
        _ => refuse(format!(
            "no stage `{word}`: the chain has stages 1 to {stages}"
        )),
    }
}

/// Splits a line into words as a POSIX shell does for quotes: `'…'` literal, `"…"` with `\"`
/// and `\\` escapes, a backslash outside quotes escaping the next character.
fn split_words(line: &str) -> Result<Vec<String>, CommandError> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '\'' => {
                let word = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return refuse("a quote ' is not closed"),
                    }
                }
            }
            '"' => {
                let word = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return refuse("a quote \" is not closed"),
                        },
                        Some(c) => word.push(c),
                        None => return refuse("a quote \" is not closed"),
                    }
                }
            }
            '\\' => {
                if let Some(c) = chars.next() {
                    word.get_or_insert_with(String::new).push(c);
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(stage: usize, port: &str, value: &str) -> Command {
        Command::Set {
            stage,
            port: port.into(),
            value: value.into(),
        }
    }

    #[test]
    fn the_issue_examples_parse() {
        assert_eq!(
            parse(r#"set 2 "Reverb Type" "Hall (Large)""#, 2),
            Ok(set(1, "Reverb Type", "Hall (Large)"))
        );
        assert_eq!(
            parse("bypass 1 on", 2),
            Ok(Command::Bypass { stage: 0, on: true })
        );
        assert_eq!(parse("  info ", 1), Ok(Command::Info));
        assert_eq!(parse("quit", 1), Ok(Command::Quit));
        assert_eq!(parse("", 1), Ok(Command::Nothing));
        assert_eq!(parse("   \t", 1), Ok(Command::Nothing));
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            parse(r"set 1 Cutoff\ Frequency\ (Hz) 2000", 1),
            Ok(set(0, "Cutoff Frequency (Hz)", "2000"))
        );
        assert_eq!(
            parse(r#"set 1 'Gain (dB)' -6"#, 1),
            Ok(set(0, "Gain (dB)", "-6"))
        );
        assert_eq!(
            parse(r#"set 1 "a \"quoted\" name" '' "#, 1),
            Ok(set(0, "a \"quoted\" name", ""))
        );
        assert_eq!(parse(r#"set 1 x"y z"w 3"#, 1), Ok(set(0, "xy zw", "3")));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        let error = |line: &str| parse(line, 3).unwrap_err().0;
        assert_eq!(
            error("set 0 Gain 1"),
            "no stage `0`: the chain has stages 1 to 3"
        );
        assert_eq!(
            error("set 4 Gain 1"),
            "no stage `4`: the chain has stages 1 to 3"
        );
        assert_eq!(
            error("bypass two on"),
            "no stage `two`: the chain has stages 1 to 3"
        );
        assert_eq!(error("set 1 Gain"), "usage: set STAGE PORT VALUE");
        assert_eq!(
            error("bypass 1 maybe"),
            "bypass: `maybe` is neither on nor off"
        );
        assert_eq!(error("info now"), "usage: info");
        assert_eq!(error(r#"set 1 "Gain 1"#), "a quote \" is not closed");
        assert_eq!(error("set 1 'Gain 1"), "a quote ' is not closed");
        assert!(error("louder").starts_with("unknown command `louder`"));
    }
}
