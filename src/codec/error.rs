//! Typed decode and spec errors. They say where (byte offset, field path) and what,
//! and never carry field values, so card data cannot leak through an error.

use std::fmt;

/// What went wrong while decoding a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input ended inside an element.
    Truncated { needed: usize, available: usize },
    /// The input holds no bytes at all.
    Empty,
    /// A length prefix that is not a number in its encoding.
    BadLengthPrefix { encoding: &'static str },
    /// A length prefix larger than the field's maximum.
    TooLong {
        len: usize,
        max: usize,
        unit: &'static str,
    },
    /// A length prefix counting bytes that cannot hold whole units (e.g. odd hex).
    BadWireLength { len: usize },
    /// A byte that is not valid in the field's encoding.
    BadByte { byte: u8, expected: &'static str },
    /// A packed-BCD pad nibble that is neither 0 nor F.
    BadPad { nibble: u8 },
    /// The MTI is not four digits.
    BadMti,
    /// A bitmap in hex form holds a non-hex character.
    BadBitmap,
    /// A bitmap bit is set for a field the spec does not define.
    UndefinedField,
    /// Bytes left over after the last field the bitmap announces.
    TrailingData { count: usize },
    /// The framing (length prefix, TPDU, header) does not fit the data.
    Framing(String),
}

/// A decode failure: where and what. Offsets count from the first byte of the input
/// message, framing included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset where the problem starts.
    pub offset: usize,
    /// Field path (`"4"`, `"55.9F26"`, `"MTI"`, `"bitmap"`), when inside one.
    pub field: Option<String>,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl DecodeError {
    /// A new error at `offset` in `field`.
    pub fn new(offset: usize, field: Option<String>, kind: ErrorKind) -> Self {
        DecodeError {
            offset,
            field,
            kind,
        }
    }

    /// One sentence on what to do about it.
    pub fn hint(&self) -> &'static str {
        match self.kind {
            ErrorKind::Truncated { .. } => {
                "the message is cut short, or --spec/--framing does not match how it was encoded"
            }
            ErrorKind::Empty => "give a message as hex, a binary file or a log",
            ErrorKind::BadLengthPrefix { .. }
            | ErrorKind::TooLong { .. }
            | ErrorKind::BadWireLength { .. } => {
                "check that --spec matches the sender's field definitions"
            }
            ErrorKind::BadByte { .. } | ErrorKind::BadPad { .. } => {
                "the field's encoding differs from the spec: check --spec"
            }
            ErrorKind::BadMti => {
                "check --spec (ASCII or BCD MTI) and --framing (bytes before the MTI)"
            }
            ErrorKind::BadBitmap => {
                "check --spec: the bitmap may be binary rather than hex characters"
            }
            ErrorKind::UndefinedField => {
                "define the field in a spec file (--spec FILE) or pick the sender's spec"
            }
            ErrorKind::TrailingData { .. } => {
                "extra bytes follow the last field: check --framing, or the spec's field lengths"
            }
            ErrorKind::Framing(_) => {
                "name the framing with --framing, or check that the capture is complete"
            }
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Truncated { needed, available } => {
                write!(f, "needs {needed} bytes but only {available} remain")
            }
            ErrorKind::Empty => write!(f, "no message bytes"),
            ErrorKind::BadLengthPrefix { encoding } => {
                write!(f, "length prefix is not a valid {encoding} number")
            }
            ErrorKind::TooLong { len, max, unit } => {
                write!(
                    f,
                    "length prefix says {len} {unit}, more than the field's maximum of {max}"
                )
            }
            ErrorKind::BadWireLength { len } => {
                write!(
                    f,
                    "length prefix says {len} bytes, which is not a whole number of units"
                )
            }
            ErrorKind::BadByte { byte, expected } => {
                write!(f, "byte 0x{byte:02X} where {expected} was expected")
            }
            ErrorKind::BadPad { nibble } => {
                write!(f, "BCD pad nibble is {nibble:X}, expected 0 or F")
            }
            ErrorKind::BadMti => write!(f, "message type indicator is not four digits"),
            ErrorKind::BadBitmap => write!(f, "bitmap is not 16 hex characters"),
            ErrorKind::UndefinedField => write!(
                f,
                "bitmap announces this field but the spec does not define it"
            ),
            ErrorKind::TrailingData { count } => {
                write!(f, "{count} bytes left over after the last field")
            }
            ErrorKind::Framing(s) => write!(f, "{s}"),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) if field.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                write!(f, "field {field} at byte {}: {}", self.offset, self.kind)
            }
            Some(field) => write!(f, "{field} at byte {}: {}", self.offset, self.kind),
            None => write!(f, "at byte {}: {}", self.offset, self.kind),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A value that cannot be encoded into its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    /// Field path, or `MTI`.
    pub field: String,
    /// The rule the value breaks.
    pub problem: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.chars().all(|c| c.is_ascii_digit() || c == '.') {
            write!(f, "field {}: {}", self.field, self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}

impl std::error::Error for EncodeError {}

/// A spec file that is itself invalid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// Spec name or file path.
    pub spec: String,
    /// Field id, when the problem is in one field.
    pub field: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "spec {}: field {}: {}", self.spec, field, self.problem),
            None => write!(f, "spec {}: {}", self.spec, self.problem),
        }
    }
}

impl std::error::Error for SpecError {}
