//! Whole messages: framing, MTI, bitmaps and the field loop, in both directions.

use std::collections::BTreeMap;

use super::cursor::Cursor;
use super::encoding::{BcdOpts, decode_value, encode_value};
use super::error::{DecodeError, EncodeError, ErrorKind};
use super::field::{pack, unpack};
use super::framing::{FramingChoice, FramingInfo, wrap};
use super::spec::{BitmapEncoding, Spec};
use super::unframe::unframe;

/// One decoded field: where it sits and where its value is in [`Decoded::values`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedField {
    /// Field number.
    pub id: u16,
    /// Offset of the element (length prefix included) in the input.
    pub offset: u32,
    /// Bytes of the element, prefix included.
    pub len: u32,
    /// Value range in [`Decoded::values`].
    value: (u32, u32),
    /// Pad nibble when it differs from the spec's.
    pub pad: Option<u8>,
}

/// A decoded message. Values live in one shared string so that decoding a message
/// costs two allocations at most, and none when the `Decoded` is reused.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    /// Framing found around the message.
    pub framing: Option<FramingInfo>,
    /// Offset of the MTI.
    pub mti_offset: usize,
    /// Bitmaps as read (primary, secondary, tertiary).
    pub bitmaps: [u64; 3],
    /// How many bitmaps were present (0 before the bitmap is read).
    pub bitmap_count: usize,
    /// Which hex-bitmap characters (bit i = character i of the 16/32/48) were lowercase.
    pub bitmap_lowercase: u64,
    /// Fields in wire order.
    pub fields: Vec<DecodedField>,
    /// All values back to back; the MTI is the first four characters.
    pub values: String,
    /// Bytes consumed, framing included.
    pub total_len: usize,
    /// Built from logged values (jPOS XML), not decoded from bytes: no offsets.
    pub from_values: bool,
}

impl Decoded {
    /// Forget the previous message, keeping the buffers.
    pub fn clear(&mut self) {
        self.framing = None;
        self.mti_offset = 0;
        self.bitmaps = [0; 3];
        self.bitmap_count = 0;
        self.bitmap_lowercase = 0;
        self.fields.clear();
        self.values.clear();
        self.total_len = 0;
        self.from_values = false;
    }

    /// A message known only by its values (a jPOS XML log): fields in the order given,
    /// without offsets. The bitmap is computed from the field numbers.
    pub fn from_values<'v>(mti: &str, fields: impl IntoIterator<Item = (u16, &'v str)>) -> Decoded {
        let mut d = Decoded {
            from_values: true,
            ..Decoded::default()
        };
        d.values
            .push_str(mti.get(..4).filter(|m| m.len() == 4).unwrap_or("????"));
        for (id, v) in fields {
            let start = d.values.len() as u32;
            d.values.push_str(v);
            d.fields.push(DecodedField {
                id,
                offset: 0,
                len: 0,
                value: (start, d.values.len() as u32),
                pad: None,
            });
            if (1..=192).contains(&id) {
                d.bitmaps[(id as usize - 1) / 64] |= 1 << (63 - (id as usize - 1) % 64);
            }
        }
        d.bitmap_count = if d.bitmaps[2] != 0 {
            3
        } else if d.bitmaps[1] != 0 {
            2
        } else {
            1
        };
        if d.bitmap_count >= 2 {
            d.bitmaps[0] |= 1 << 63;
        }
        d
    }

    /// The MTI (empty if decoding failed before it).
    pub fn mti(&self) -> &str {
        self.values.get(..4).unwrap_or("")
    }

    /// The value of a decoded field.
    pub fn value(&self, f: &DecodedField) -> &str {
        &self.values[f.value.0 as usize..f.value.1 as usize]
    }

    /// The value of field `id`, if present.
    pub fn get(&self, id: u16) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| self.value(f))
    }

    /// Bitmaps as uppercase hex (16, 32 or 48 characters).
    pub fn bitmap_hex(&self) -> String {
        let mut s = String::with_capacity(16 * self.bitmap_count);
        for b in &self.bitmaps[..self.bitmap_count] {
            super::encoding::push_hex(&b.to_be_bytes(), &mut s);
        }
        // A hex bitmap written in lower case is shown as written, so that encode gives the
        // same bytes back.
        if self.bitmap_lowercase != 0 {
            s = s
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i < 64 && self.bitmap_lowercase >> i & 1 == 1 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect();
        }
        s
    }

    /// The message as values, for re-encoding.
    pub fn to_message(&self) -> Message {
        Message {
            mti: self.mti().to_string(),
            fields: self
                .fields
                .iter()
                .map(|f| {
                    (
                        f.id,
                        FieldValue {
                            value: self.value(f).to_string(),
                            pad: f.pad,
                        },
                    )
                })
                .collect(),
            secondary: self.bitmap_count >= 2,
            bitmap_lowercase: self.bitmap_lowercase,
            framing: self.framing.clone(),
        }
    }
}

/// A field value to encode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldValue {
    /// The value as `decode` shows it.
    pub value: String,
    /// A BCD pad nibble other than the spec's, to reproduce odd input exactly.
    pub pad: Option<u8>,
}

impl From<&str> for FieldValue {
    fn from(v: &str) -> Self {
        FieldValue {
            value: v.to_string(),
            pad: None,
        }
    }
}

/// A message as values: what `encode` takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// Four-digit MTI.
    pub mti: String,
    /// Field values by number.
    pub fields: BTreeMap<u16, FieldValue>,
    /// Emit a secondary bitmap even when no field above 64 is present.
    pub secondary: bool,
    /// Which hex-bitmap characters to write in lowercase (bit i = character i).
    pub bitmap_lowercase: u64,
    /// Framing to wrap the message in (none when absent).
    pub framing: Option<FramingInfo>,
}

fn read_bitmap(
    spec: &Spec,
    cur: &mut Cursor<'_>,
    which: &str,
    lower: &mut u64,
    index: usize,
) -> Result<u64, DecodeError> {
    let at = cur.offset();
    let field = Some(which.to_string());
    match spec.bitmap_enc {
        BitmapEncoding::Binary => {
            let b = cur.take(8).map_err(|s| {
                DecodeError::new(
                    at,
                    field.clone(),
                    ErrorKind::Truncated {
                        needed: s.needed,
                        available: s.available,
                    },
                )
            })?;
            Ok(u64::from_be_bytes(b.try_into().unwrap_or_default()))
        }
        BitmapEncoding::Hex => {
            let b = cur.take(16).map_err(|s| {
                DecodeError::new(
                    at,
                    field.clone(),
                    ErrorKind::Truncated {
                        needed: s.needed,
                        available: s.available,
                    },
                )
            })?;
            let mut v = 0u64;
            for (i, &c) in b.iter().enumerate() {
                let d = super::encoding::hex_val(c)
                    .ok_or_else(|| DecodeError::new(at + i, field.clone(), ErrorKind::BadBitmap))?;
                if c.is_ascii_lowercase() {
                    *lower |= 1 << (index * 16 + i);
                }
                v = v << 4 | d as u64;
            }
            Ok(v)
        }
    }
}

/// Decode one message into `out` (cleared first). On error `out` keeps what was
/// decoded before the failure.
pub fn decode_into(
    spec: &Spec,
    bytes: &[u8],
    framing: &FramingChoice,
    out: &mut Decoded,
) -> Result<(), DecodeError> {
    out.clear();
    if bytes.is_empty() {
        return Err(DecodeError::new(0, None, ErrorKind::Empty));
    }
    let first = unframe(bytes, spec, framing).and_then(|un| decode_body(spec, un, out));
    match first {
        Err(e) if *framing == FramingChoice::Auto => {
            // 0x02 starts both an STX frame and a BCD 02xx MTI: if the reading the detector
            // preferred does not decode, the other one may.
            let Some(other) = super::unframe::other_stx_reading(bytes, spec) else {
                return Err(e);
            };
            let partial = std::mem::take(out);
            match decode_body(spec, other, out) {
                Ok(()) => Ok(()),
                Err(_) => {
                    *out = partial;
                    Err(e)
                }
            }
        }
        r => r,
    }
}

fn decode_body(
    spec: &Spec,
    un: super::unframe::Unframed<'_>,
    out: &mut Decoded,
) -> Result<(), DecodeError> {
    out.clear();
    out.framing = Some(un.info);
    let mut cur = Cursor::new(un.body, un.body_offset);

    // MTI
    out.mti_offset = cur.offset();
    let mti_field = || Some("MTI".to_string());
    let mb = cur.take(spec.mti_enc.wire_len(4)).map_err(|s| {
        DecodeError::new(
            out.mti_offset,
            mti_field(),
            ErrorKind::Truncated {
                needed: s.needed,
                available: s.available,
            },
        )
    })?;
    decode_value(spec.mti_enc, mb, 4, BcdOpts::default(), &mut out.values)
        .ok()
        .filter(|_| out.values.len() == 4 && out.values.bytes().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| DecodeError::new(out.mti_offset, mti_field(), ErrorKind::BadMti))?;

    // Bitmaps
    let mut lower = 0u64;
    out.bitmaps[0] = read_bitmap(spec, &mut cur, "bitmap", &mut lower, 0)?;
    out.bitmap_count = 1;
    if out.bitmaps[0] & (1 << 63) != 0 {
        out.bitmaps[1] = read_bitmap(spec, &mut cur, "secondary bitmap", &mut lower, 1)?;
        out.bitmap_count = 2;
        if spec.tertiary && out.bitmaps[1] & (1 << 63) != 0 {
            out.bitmaps[2] = read_bitmap(spec, &mut cur, "tertiary bitmap", &mut lower, 2)?;
            out.bitmap_count = 3;
        }
    }
    out.bitmap_lowercase = lower;

    // Fields
    for k in 0..out.bitmap_count {
        let mut bits = out.bitmaps[k];
        // Bit 1 of the primary bitmap (and of the secondary, with a tertiary bitmap)
        // announces the next bitmap, not data.
        if k == 0 || (k == 1 && spec.tertiary) {
            bits &= !(1 << 63);
        }
        while bits != 0 {
            let lz = bits.leading_zeros() as usize;
            bits &= !(1u64 << (63 - lz));
            let id = k * 64 + lz + 1;
            let at = cur.offset();
            let def = spec.field(id).ok_or_else(|| {
                DecodeError::new(at, Some(id.to_string()), ErrorKind::UndefinedField)
            })?;
            let v0 = out.values.len();
            let pad = unpack(def, &mut cur, &mut out.values)?;
            out.fields.push(DecodedField {
                id: id as u16,
                offset: at as u32,
                len: (cur.offset() - at) as u32,
                value: (v0 as u32, out.values.len() as u32),
                pad,
            });
        }
    }
    if cur.remaining() > 0 {
        return Err(DecodeError::new(
            cur.offset(),
            out.fields.last().map(|f| f.id.to_string()),
            ErrorKind::TrailingData {
                count: cur.remaining(),
            },
        ));
    }
    out.total_len = cur.offset();
    Ok(())
}

/// Decode one message.
pub fn decode(spec: &Spec, bytes: &[u8], framing: &FramingChoice) -> Result<Decoded, DecodeError> {
    let mut d = Decoded::default();
    decode_into(spec, bytes, framing, &mut d)?;
    Ok(d)
}

/// Encode a message body (MTI, bitmaps, fields) without framing.
pub fn encode_body(spec: &Spec, msg: &Message) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    let mti_ok = msg.mti.len() == 4 && msg.mti.bytes().all(|c| c.is_ascii_digit());
    if !mti_ok {
        return Err(EncodeError {
            field: "MTI".into(),
            problem: "must be four digits".into(),
        });
    }
    encode_value(spec.mti_enc, &msg.mti, BcdOpts::default(), None, &mut out).map_err(|e| {
        EncodeError {
            field: "MTI".into(),
            problem: e.expected.to_string(),
        }
    })?;

    let mut maps = [0u64; 3];
    for &id in msg.fields.keys() {
        let id = id as usize;
        if spec.field(id).is_none() {
            return Err(EncodeError {
                field: id.to_string(),
                problem: format!("spec {} does not define this field", spec.name),
            });
        }
        maps[(id - 1) / 64] |= 1 << (63 - (id - 1) % 64);
    }
    let count = if maps[2] != 0 {
        3
    } else if maps[1] != 0 || msg.secondary {
        2
    } else {
        1
    };
    if count >= 2 {
        maps[0] |= 1 << 63;
    }
    if count == 3 {
        maps[1] |= 1 << 63;
    }
    for (k, map) in maps[..count].iter().enumerate() {
        match spec.bitmap_enc {
            BitmapEncoding::Binary => out.extend_from_slice(&map.to_be_bytes()),
            BitmapEncoding::Hex => {
                let s = format!("{map:016X}");
                for (i, c) in s.bytes().enumerate() {
                    let lower = msg.bitmap_lowercase >> (k * 16 + i) & 1 == 1;
                    out.push(if lower { c.to_ascii_lowercase() } else { c });
                }
            }
        }
    }
    for (&id, v) in &msg.fields {
        if let Some(def) = spec.field(id as usize) {
            pack(def, &v.value, v.pad, &mut out)?;
        }
    }
    Ok(out)
}

/// Encode a message, wrapped in its framing when it has one.
pub fn encode(spec: &Spec, msg: &Message) -> Result<Vec<u8>, EncodeError> {
    let body = encode_body(spec, msg)?;
    match &msg.framing {
        Some(info) if info.kind != "none" => wrap(info, &body).map_err(|problem| EncodeError {
            field: "framing".into(),
            problem,
        }),
        _ => Ok(body),
    }
}
