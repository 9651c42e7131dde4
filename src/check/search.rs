//! Which MAC choice reproduces a message's MAC: every algorithm posresp knows (with both
//! ISO 9797-1 paddings where the algorithm takes one), over each MAC block that hosts are
//! known to use, compared in full or on the first four bytes. The answer to "our MACs do not
//! match: which algorithm does the other side use?".

use super::{Key, MacAlgorithm, mac};

/// Where a message's parts are, for choosing MAC blocks (offsets into `frame`).
#[derive(Debug, Clone)]
pub struct MacSite<'a> {
    /// The whole frame as received (framing included).
    pub frame: &'a [u8],
    /// Where the bytes after the length prefix (and STX) begin: TPDU, header or MTI.
    pub after_length: usize,
    /// Where the MTI begins.
    pub mti: usize,
    /// Where the bitmap begins (after the MTI).
    pub bitmap: usize,
    /// Where the first data field begins (after the bitmaps).
    pub fields: usize,
    /// Where the MAC field begins.
    pub mac_at: usize,
    /// The MAC the message carries, as bytes (hex characters already turned into bytes).
    pub sent: Vec<u8>,
    /// The MAC field as it is on the wire (for MACs carried as ASCII hex, like CUP's).
    pub wire: &'a [u8],
}

/// Which bytes a MAC is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// From the MTI up to the MAC field (ISO 8583's usual block; CUP's MTI … field 63).
    MtiToMac,
    /// From the TPDU or header (everything after the length) up to the MAC field.
    HeaderToMac,
    /// From the bitmap (MTI left out) up to the MAC field.
    BitmapToMac,
    /// The data fields only (MTI and bitmaps left out) up to the MAC field.
    FieldsToMac,
    /// The MTI-to-MAC bytes written as hex characters (some hosts MAC the hex text).
    MtiToMacAsHex,
}

impl Block {
    /// Every block, in the order tried.
    pub const ALL: [Block; 5] = [
        Block::MtiToMac,
        Block::HeaderToMac,
        Block::BitmapToMac,
        Block::FieldsToMac,
        Block::MtiToMacAsHex,
    ];

    /// As users know it.
    pub fn name(self) -> &'static str {
        match self {
            Block::MtiToMac => "MTI up to the MAC field",
            Block::HeaderToMac => "TPDU/header up to the MAC field",
            Block::BitmapToMac => "bitmap up to the MAC field (MTI left out)",
            Block::FieldsToMac => "data fields up to the MAC field (MTI and bitmap left out)",
            Block::MtiToMacAsHex => "MTI up to the MAC field, as hex characters",
        }
    }

    fn bytes(self, s: &MacSite<'_>) -> Option<Vec<u8>> {
        let range = |a: usize| s.frame.get(a..s.mac_at).map(<[u8]>::to_vec);
        match self {
            Block::MtiToMac => range(s.mti),
            // Only a different block when something sits between the length and the MTI.
            Block::HeaderToMac if s.after_length < s.mti => range(s.after_length),
            Block::HeaderToMac => None,
            Block::BitmapToMac => range(s.bitmap),
            Block::FieldsToMac => range(s.fields),
            Block::MtiToMacAsHex => {
                range(s.mti).map(|b| crate::codec::encoding::to_hex(&b).into_bytes())
            }
        }
    }
}

/// One choice that reproduces the MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub algorithm: MacAlgorithm,
    pub block: Block,
    /// Only the first four bytes agree (the rest of the field is zeros or other data).
    pub left_four: bool,
}

/// Every choice (algorithm × block) under `key` that reproduces the MAC of `site`, full
/// matches first; and how many choices were tried.
pub fn search(key: &Key, site: &MacSite<'_>) -> (Vec<Hit>, usize) {
    let mut hits = Vec::new();
    let mut tried = 0;
    for block in Block::ALL {
        let Some(data) = block.bytes(site) else {
            continue;
        };
        for alg in MacAlgorithm::ALL {
            let Ok(m) = mac(alg, key, &data) else {
                continue;
            };
            tried += 1;
            // The CUP MAC is ASCII hex characters: compare with the field as on the wire.
            let sent: &[u8] = if alg == MacAlgorithm::CupEcb {
                site.wire
            } else {
                &site.sent
            };
            if sent.len() == 8 && sent == m {
                hits.push(Hit {
                    algorithm: alg,
                    block,
                    left_four: false,
                });
            } else if sent.len() >= 4 && sent[..4] == m[..4] && alg != MacAlgorithm::CupEcb {
                hits.push(Hit {
                    algorithm: alg,
                    block,
                    left_four: true,
                });
            }
        }
    }
    hits.sort_by_key(|h| h.left_four);
    (hits, tried)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_is_found_under_its_own_name() {
        let key = Key::from_hex("0123456789ABCDEFFEDCBA9876543210").unwrap();
        // A made-up frame: 2-byte length, 5-byte TPDU, MTI, 8-byte bitmap, fields, MAC.
        let mut frame = vec![0x00, 0x30, 0x60, 0x00, 0x03, 0x00, 0x00];
        frame.extend_from_slice(b"0200");
        frame.extend_from_slice(&[0x30, 0x20, 0, 0, 0, 0, 0, 1]);
        frame.extend_from_slice(b"000000123456");
        let mac_at = frame.len();
        for block in Block::ALL {
            for alg in MacAlgorithm::ALL {
                let mut site = MacSite {
                    frame: &frame,
                    after_length: 2,
                    mti: 7,
                    bitmap: 11,
                    fields: 19,
                    mac_at,
                    sent: Vec::new(),
                    wire: &[],
                };
                let data = block.bytes(&site).unwrap();
                let m = mac(alg, &key, &data).unwrap();
                site.sent = m.to_vec();
                site.wire = &m;
                let (hits, tried) = search(&key, &site);
                assert_eq!(tried, 35);
                assert!(
                    hits.iter()
                        .any(|h| h.algorithm == alg && h.block == block && !h.left_four),
                    "{alg:?} over {block:?} not found: {hits:?}"
                );
            }
        }
    }
}
