//! Where the choices of the value maker come from. Every choice is one draw of a number
//! below a bound, and `0` is always the simplest answer (the first enum value, the
//! shortest text, an absent optional property): so one maker serves a fixed seed, the
//! bytes a fuzzer hands over, and a recorded sequence that shrinks toward zeros.

/// A supply of choices: each is a number in `0..bound`, and `0` is the simplest.
pub trait Source {
    /// A number in `0..bound` (`bound` is at least 1).
    fn draw(&mut self, bound: u64) -> u64;

    /// An index into `len` things (`len` at least 1).
    fn index(&mut self, len: usize) -> usize {
        self.draw(len.max(1) as u64) as usize
    }

    /// `true` about once in `one_in` draws; never for a source of zeros.
    fn chance(&mut self, one_in: u64) -> bool {
        self.draw(one_in.max(1)) == one_in.max(1) - 1
    }
}

/// Choices from a seed (SplitMix64): the same seed, the same values, on every machine.
#[derive(Debug, Clone)]
pub struct Seeded {
    state: u64,
}

impl Seeded {
    /// The choices of `seed`.
    pub fn new(seed: u64) -> Seeded {
        Seeded { state: seed }
    }

    /// A seed from a text (FNV-1a), such as an operation's id or a schema's pointer.
    pub fn from_text(text: &str) -> Seeded {
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        Seeded::new(hash)
    }

    /// A seed for another source, drawn from this one: a run of seeded values.
    pub fn draw_seed(&mut self) -> u64 {
        self.next()
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl Source for Seeded {
    fn draw(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// Choices that are all `0`: the simplest value of every schema.
#[derive(Debug, Clone, Copy, Default)]
pub struct Simplest;

impl Source for Simplest {
    fn draw(&mut self, _bound: u64) -> u64 {
        0
    }
}

/// Choices taken from bytes (a fuzzer's input), `0` once they run out.
#[derive(Debug, Clone)]
pub struct Bytes<'a> {
    bytes: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// The choices `bytes` make.
    pub fn new(bytes: &'a [u8]) -> Bytes<'a> {
        Bytes { bytes }
    }
}

impl Source for Bytes<'_> {
    fn draw(&mut self, bound: u64) -> u64 {
        let bound = bound.max(1);
        if bound == 1 {
            return 0;
        }
        // As many bytes as the bound needs, so small choices cost one byte.
        let width = (64 - (bound - 1).leading_zeros()).div_ceil(8) as usize;
        let (taken, rest) = self.bytes.split_at(width.min(self.bytes.len()));
        self.bytes = rest;
        let number = taken
            .iter()
            .fold(0u64, |number, byte| (number << 8) | u64::from(*byte));
        number % bound
    }
}

/// Choices replayed from a recorded sequence (`0` past its end), each draw recorded as
/// it is made: a value is remade exactly from its choices, and a simpler value from
/// simpler choices, which is how a failing value shrinks.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    choices: Vec<u64>,
    next: usize,
    /// The draws made, each as it was answered.
    pub made: Vec<u64>,
}

impl Replay {
    /// A replay of `choices`.
    pub fn new(choices: Vec<u64>) -> Replay {
        Replay {
            choices,
            next: 0,
            made: Vec::new(),
        }
    }
}

impl Source for Replay {
    fn draw(&mut self, bound: u64) -> u64 {
        let choice = self.choices.get(self.next).copied().unwrap_or(0) % bound.max(1);
        self.next += 1;
        self.made.push(choice);
        choice
    }
}

/// Choices of `inner`, recorded, so that a value can later be replayed and shrunk.
#[derive(Debug, Clone)]
pub struct Recorded<S> {
    inner: S,
    /// The draws made, each as it was answered.
    pub made: Vec<u64>,
}

impl<S: Source> Recorded<S> {
    /// The choices of `inner`, recorded from now on.
    pub fn new(inner: S) -> Recorded<S> {
        Recorded {
            inner,
            made: Vec::new(),
        }
    }
}

impl<S: Source> Source for Recorded<S> {
    fn draw(&mut self, bound: u64) -> u64 {
        let choice = self.inner.draw(bound);
        self.made.push(choice);
        choice
    }
}

/// Simpler sequences than `choices`, the simplest first: the sequence cut short, then
/// each choice set to zero, then each halved. A caller keeps the first that still fails
/// and asks again, until none does.
pub fn simpler(choices: &[u64]) -> Vec<Vec<u64>> {
    let mut candidates = Vec::new();
    let mut cut = choices.len() / 2;
    while cut > 0 {
        candidates.push(choices[..choices.len() - cut].to_vec());
        cut /= 2;
    }
    for index in 0..choices.len() {
        if choices[index] != 0 {
            let mut zeroed = choices.to_vec();
            zeroed[index] = 0;
            candidates.push(zeroed);
        }
    }
    for index in 0..choices.len() {
        if choices[index] > 1 {
            let mut halved = choices.to_vec();
            halved[index] /= 2;
            candidates.push(halved);
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_choices_every_time() {
        let draws = |seed| {
            let mut source = Seeded::new(seed);
            (0..8).map(|_| source.draw(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
    }

    #[test]
    fn bytes_answer_within_the_bound_and_then_zero() {
        let mut source = Bytes::new(&[200, 1, 2]);
        assert_eq!(source.draw(10), 0);
        assert_eq!(source.draw(1000), 258);
        assert_eq!(source.draw(5), 0);
    }

    #[test]
    fn a_replay_records_what_it_answers() {
        let mut source = Replay::new(vec![3, 9]);
        assert_eq!(source.draw(5), 3);
        assert_eq!(source.draw(4), 1);
        assert_eq!(source.draw(4), 0);
        assert_eq!(source.made, vec![3, 1, 0]);
    }

    #[test]
    fn simpler_sequences_are_simpler() {
        for candidate in simpler(&[4, 0, 7]) {
            assert!(candidate.len() < 3 || candidate.iter().sum::<u64>() < 11);
        }
        assert!(simpler(&[0, 0]).is_empty() || simpler(&[0, 0]).iter().all(|c| c.len() < 2));
    }
}
