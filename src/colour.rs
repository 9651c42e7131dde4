//! Colour means one thing in every command: a heading is bold, an approval green, a decline
//! or an error red, anything else that needs attention yellow. Styles are anstyle's (what
//! clap uses); whether to colour at all is decided once (`--color`, NO_COLOR, a terminal).

use anstyle::{AnsiColor, Style};

/// A heading line.
pub const HEADING: Style = Style::new().bold();
/// An approved response.
pub const APPROVED: Style = AnsiColor::Green.on_default();
/// A declined response, an error, a failed check.
pub const BAD: Style = AnsiColor::Red.on_default();
/// Something else to look at (a referral, an unknown code).
pub const NOTICE: Style = AnsiColor::Yellow.on_default();

/// `s` in `style` when `on`, else as it is.
pub fn paint(on: bool, style: Style, s: &str) -> String {
    if on {
        format!("{}{s}{}", style.render(), style.render_reset())
    } else {
        s.to_string()
    }
}

/// The style of a response of this category.
pub fn for_category(category: &str) -> Style {
    match category {
        "approved" => APPROVED,
        "decline" | "pickup" => BAD,
        _ => NOTICE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_render_the_usual_sequences() {
        assert_eq!(paint(true, HEADING, "x"), "\x1b[1mx\x1b[0m");
        assert_eq!(paint(true, APPROVED, "x"), "\x1b[32mx\x1b[0m");
        assert_eq!(paint(true, BAD, "x"), "\x1b[31mx\x1b[0m");
        assert_eq!(paint(false, BAD, "x"), "x");
    }
}
