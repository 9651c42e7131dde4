//! BER-TLV as used in ISO 8583 field 55 (EMV / PBOC chip data): multi-byte tags,
//! short and long lengths, constructed tags, 0x00/0xFF padding between objects.

use std::fmt;

/// Deepest nesting of constructed tags that is followed; deeper data is an error.
pub const MAX_DEPTH: usize = 16;

/// One data object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tlv {
    /// Tag bytes (1 to 4).
    pub tag: Vec<u8>,
    /// Offset of the tag's first byte within the parsed data.
    pub offset: usize,
    /// Bytes of tag + length + value.
    pub len: usize,
    /// Offset of the value within the parsed data.
    pub value_offset: usize,
    /// Bytes of value.
    pub value_len: usize,
    /// The tag is constructed (its value is more TLVs).
    pub constructed: bool,
    /// Children of a constructed tag.
    pub children: Vec<Tlv>,
    /// The length used a long form where a short one would do (`81 05`).
    pub long_form_needless: bool,
}

impl Tlv {
    /// The tag as uppercase hex (`9F26`).
    pub fn tag_hex(&self) -> String {
        super::encoding::to_hex(&self.tag)
    }
}

/// Why data is not valid BER-TLV: where (offset within the data) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlvError {
    /// Offset within the parsed data.
    pub offset: usize,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not valid BER-TLV at byte {} of the field: {}",
            self.offset, self.problem
        )
    }
}

/// Parse a list of data objects. On error, the objects parsed before it are returned too.
pub fn parse(data: &[u8]) -> (Vec<Tlv>, Option<TlvError>) {
    let mut out = Vec::new();
    let err = parse_into(data, 0, 0, &mut out).err();
    (out, err)
}

fn parse_into(data: &[u8], base: usize, depth: usize, out: &mut Vec<Tlv>) -> Result<(), TlvError> {
    let mut i = 0;
    while i < data.len() {
        // 0x00 and 0xFF where a tag is expected are filler.
        if data[i] == 0x00 || data[i] == 0xFF {
            i += 1;
            continue;
        }
        let start = i;
        let at = |p: usize, problem: String| TlvError {
            offset: base + p,
            problem,
        };
        // Tag
        let first = data[i];
        let mut tag = vec![first];
        i += 1;
        if first & 0x1F == 0x1F {
            loop {
                let Some(&b) = data.get(i) else {
                    return Err(at(start, "tag runs past the end of the data".into()));
                };
                tag.push(b);
                i += 1;
                if b & 0x80 == 0 {
                    break;
                }
                if tag.len() >= 4 {
                    return Err(at(start, "tag longer than 4 bytes".into()));
                }
            }
        }
        // Length
        let Some(&l0) = data.get(i) else {
            return Err(at(
                i,
                format!("tag {} has no length", super::encoding::to_hex(&tag)),
            ));
        };
        i += 1;
        let (value_len, needless) = match l0 {
            0x00..=0x7F => (l0 as usize, false),
            0x80 => {
                return Err(at(
                    i - 1,
                    "indefinite length (0x80) is not allowed in EMV data".into(),
                ));
            }
            0x81..=0x83 => {
                let n = (l0 & 0x7F) as usize;
                let Some(bytes) = data.get(i..i + n) else {
                    return Err(at(i - 1, "length runs past the end of the data".into()));
                };
                i += n;
                let v = bytes.iter().fold(0usize, |a, &b| a << 8 | b as usize);
                (v, v < 0x80 || (n > 1 && bytes[0] == 0))
            }
            _ => {
                return Err(at(
                    i - 1,
                    format!("length byte 0x{l0:02X} is not used in EMV data"),
                ));
            }
        };
        let value_offset = i;
        if value_len > data.len() - i {
            return Err(at(
                start,
                format!(
                    "tag {} says {value_len} bytes but only {} remain",
                    super::encoding::to_hex(&tag),
                    data.len() - i
                ),
            ));
        }
        let constructed = first & 0x20 != 0;
        let mut children = Vec::new();
        if constructed {
            if depth + 1 >= MAX_DEPTH {
                return Err(at(
                    start,
                    format!("constructed tags nested deeper than {MAX_DEPTH}"),
                ));
            }
            let inner = &data[i..i + value_len];
            if let Err(e) = parse_into(inner, base + i, depth + 1, &mut children) {
                out.push(Tlv {
                    tag,
                    offset: base + start,
                    len: i + value_len - start,
                    value_offset: base + value_offset,
                    value_len,
                    constructed,
                    children,
                    long_form_needless: needless,
                });
                return Err(e);
            }
        }
        i += value_len;
        out.push(Tlv {
            tag,
            offset: base + start,
            len: i - start,
            value_offset: base + value_offset,
            value_len,
            constructed,
            children,
            long_form_needless: needless,
        });
    }
    Ok(())
}

/// Append one BER-TLV element to `out`: the tag's bytes, the length (short form below 128,
/// else 81 xx, 82 xx xx, 83 xx xx xx), the value. The inverse of [`parse`] for one element.
pub fn write(tag: &[u8], value: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(tag);
    let n = value.len();
    match n {
        0..=0x7F => out.push(n as u8),
        0x80..=0xFF => out.extend([0x81, n as u8]),
        0x100..=0xFFFF => out.extend([0x82, (n >> 8) as u8, n as u8]),
        _ => out.extend([0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::from_hex;

    #[test]
    fn reference_examples() {
        // tlv.md example 2: ARPC, then template 72 with a script id and a command.
        let data = from_hex(
            "910801020304050607087 20F9F180400000001860684DA9F580300"
                .replace(' ', "")
                .as_str(),
        )
        .unwrap();
        let (tlvs, err) = parse(&data);
        assert!(err.is_none());
        assert_eq!(tlvs.len(), 2);
        assert_eq!(tlvs[0].tag_hex(), "91");
        assert_eq!(tlvs[0].value_len, 8);
        assert_eq!(tlvs[1].tag_hex(), "72");
        assert!(tlvs[1].constructed);
        let kids: Vec<String> = tlvs[1].children.iter().map(Tlv::tag_hex).collect();
        assert_eq!(kids, ["9F18", "86"]);
        assert_eq!(tlvs[1].children[1].value_offset, 21);
    }

    #[test]
    fn long_forms_multibyte_tags_and_padding() {
        let mut data = vec![0x00, 0xFF, 0x9F, 0x10, 0x81, 0x80];
        data.extend(std::iter::repeat_n(0xAB, 128));
        data.extend([0xDF, 0x81, 0x01, 0x01, 0x07, 0x00]);
        let (tlvs, err) = parse(&data);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(tlvs[0].tag_hex(), "9F10");
        assert_eq!(tlvs[0].value_len, 128);
        assert_eq!(tlvs[0].offset, 2);
        assert!(!tlvs[0].long_form_needless);
        assert_eq!(tlvs[1].tag_hex(), "DF8101");
        let (t, _) = parse(&[0x91, 0x81, 0x02, 0x01, 0x02]);
        assert!(t[0].long_form_needless);
    }

    #[test]
    fn errors_say_where() {
        let (_, e) = parse(&[0x9F, 0x26, 0x08, 0x01]);
        let e = e.unwrap();
        assert_eq!(e.offset, 0);
        assert!(e.problem.contains("says 8 bytes but only 1 remain"), "{e}");
        assert!(parse(&[0x9F]).1.is_some());
        assert!(
            parse(&[0x91, 0x80])
                .1
                .unwrap()
                .problem
                .contains("indefinite")
        );
        assert!(parse(&[0x91, 0x85, 0, 0, 0, 0, 1]).1.is_some());
        assert!(
            parse(&[0x9F, 0x81, 0x82, 0x83, 0x04, 0x00])
                .1
                .unwrap()
                .problem
                .contains("longer than 4")
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut data: Vec<u8> = vec![0x01, 0x00];
        for _ in 0..1000 {
            let mut outer = vec![0xE1];
            if data.len() < 128 {
                outer.push(data.len() as u8);
            } else {
                outer.push(0x82);
                outer.extend((data.len() as u16).to_be_bytes());
            }
            outer.extend(data);
            data = outer;
        }
        let (_, e) = parse(&data);
        assert!(e.unwrap().problem.contains("nested deeper"));
    }

    #[test]
    fn write_is_the_inverse_of_parse() {
        for n in [0usize, 1, 0x7F, 0x80, 0xFF, 0x100, 0x1234, 0x10000] {
            let value: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let mut out = Vec::new();
            write(&[0x9F, 0x26], &value, &mut out);
            let (t, err) = parse(&out);
            assert!(err.is_none(), "{n}");
            assert_eq!(t.len(), 1);
            assert_eq!(t[0].tag_hex(), "9F26");
            assert_eq!(t[0].value_len, n);
        }
    }
}
