//! A borrowing reader that only moves through checked splits.

/// Not enough bytes: how many were asked for and how many remained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short {
    /// Bytes requested.
    pub needed: usize,
    /// Bytes left.
    pub available: usize,
}

/// Reads a byte slice front to back, tracking the absolute offset of each read.
#[derive(Clone, Debug)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over `buf` whose first byte sits at absolute offset `base`.
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        Cursor { buf, pos: 0, base }
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The unread bytes, without consuming them.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// Take exactly `n` bytes or fail without moving.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Short> {
        let available = self.remaining();
        if n > available {
            return Err(Short {
                needed: n,
                available,
            });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Take `n` bytes as a sub-cursor that keeps absolute offsets.
    pub fn sub(&mut self, n: usize) -> Result<Cursor<'a>, Short> {
        let base = self.offset();
        self.take(n).map(|b| Cursor::new(b, base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_is_checked_and_does_not_move_on_failure() {
        let mut c = Cursor::new(b"abcdef", 10);
        assert_eq!(c.take(2).unwrap(), b"ab");
        assert_eq!(c.offset(), 12);
        assert_eq!(
            c.take(5),
            Err(Short {
                needed: 5,
                available: 4
            })
        );
        assert_eq!(c.offset(), 12);
        let mut s = c.sub(3).unwrap();
        assert_eq!(s.offset(), 12);
        assert_eq!(s.take(3).unwrap(), b"cde");
        assert_eq!(c.rest(), b"f");
    }
}
