//! The codec: the one place that knows the wire format. It never prints.

pub mod cursor;
pub mod encoding;
pub mod error;
pub mod field;
pub mod framing;
pub mod message;
pub mod spec;
pub mod subfield;
pub mod tlv;
pub mod unframe;

pub use error::{DecodeError, EncodeError, ErrorKind, SpecError};
pub use framing::{FramingChoice, FramingInfo, FramingSpec};
pub use message::{
    Decoded, DecodedField, FieldValue, Message, decode, decode_into, encode, encode_body,
};
pub use spec::{Dialect, FieldDef, Sensitivity, Spec};
