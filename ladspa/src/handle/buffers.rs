//! The lists of audio buffers a run takes ([`Buffers`], [`BuffersMut`]): one buffer per audio
//! port, as a slice, an array, a `Vec` or a boxed slice of any buffer type, and the empty list
//! `[]` for a plugin without audio inputs or outputs.
//!
//! Why traits rather than `&[B]`: a bare `&mut []` gives the compiler no buffer type to pick
//! for `B`, so `handle.run(n, &[&input], &mut [])` would not compile for a meter. Implemented
//! for arrays one length at a time, with a single impl for length 0 (of `[f32; 0]` buffers),
//! the empty list has exactly one type that fits and the compiler picks it. Each impl hands
//! the run a slice, so the run path is the same code as for a slice.

mod sealed {
    pub trait Sealed {}
}

/// A list of buffers a run reads, one per audio input port in port order: a slice, an array,
/// a `Vec` or a boxed slice of buffers of any type that gives a slice of samples
/// (`AsRef<[f32]>`: `&[f32]`, `Vec<f32>`, `[f32; N]`, references to them), a reference to such
/// a list, or the empty list `[]` (`&[]`) for a plugin without audio inputs.
///
/// Arrays are lists up to 64 buffers long; pass a longer one as a slice (`&buffers[..]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of audio buffers a run reads",
    note = "pass a slice, an array (up to 64 buffers), a `Vec` or `[]` of buffers that are `AsRef<[f32]>`; for a longer array or another container, pass a slice: `&buffers[..]`"
)]
pub trait Buffers: sealed::Sealed {
    /// The type of one buffer.
    type Buffer: AsRef<[f32]>;

    /// The buffers, as a slice.
    fn as_buffers(&self) -> &[Self::Buffer];
}

/// A list of buffers a run writes, one per audio output port in port order: as [`Buffers`],
/// of buffers that give a mutable slice of samples (`AsMut<[f32]>`: `&mut [f32]`,
/// `Vec<f32>`, `[f32; N]`, mutable references to them), or the empty list `[]` (`&mut []`)
/// for a plugin without audio outputs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of audio buffers a run writes",
    note = "pass a slice, an array (up to 64 buffers), a `Vec` or `[]` of buffers that are `AsMut<[f32]>`; for a longer array or another container, pass a slice: `&mut buffers[..]`"
)]
pub trait BuffersMut: sealed::Sealed {
    /// The type of one buffer.
    type Buffer: AsMut<[f32]>;

    /// The buffers, as a mutable slice.
    fn as_buffers_mut(&mut self) -> &mut [Self::Buffer];
}

/// Implements both traits for a container type that derefs to a slice of `B`.
macro_rules! slice_like {
    ($($container:ty),*) => {$(
        impl<B> sealed::Sealed for $container {}

        impl<B: AsRef<[f32]>> Buffers for $container {
            type Buffer = B;

            #[inline(always)]
            fn as_buffers(&self) -> &[B] {
                self
            }
        }

        impl<B: AsMut<[f32]>> BuffersMut for $container {
            type Buffer = B;

            #[inline(always)]
            fn as_buffers_mut(&mut self) -> &mut [B] {
                self
            }
        }
    )*};
}

slice_like!([B], Vec<B>, Box<[B]>);

/// Implements both traits for arrays of these lengths (not 0: see [`Buffers`]).
macro_rules! arrays {
    ($($n:literal)*) => {$(
        impl<B> sealed::Sealed for [B; $n] {}

        impl<B: AsRef<[f32]>> Buffers for [B; $n] {
            type Buffer = B;

            #[inline(always)]
            fn as_buffers(&self) -> &[B] {
                self
            }
        }

        impl<B: AsMut<[f32]>> BuffersMut for [B; $n] {
            type Buffer = B;

            #[inline(always)]
            fn as_buffers_mut(&mut self) -> &mut [B] {
                self
            }
        }
    )*};
}

arrays!(
    1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
    33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62
    63 64
);

/// The empty list: the one array of length 0 that is a list of buffers, so that the compiler
/// gives `[]` this type.
impl sealed::Sealed for [[f32; 0]; 0] {}

impl Buffers for [[f32; 0]; 0] {
    type Buffer = [f32; 0];

    #[inline(always)]
    fn as_buffers(&self) -> &[[f32; 0]] {
        self
    }
}

impl BuffersMut for [[f32; 0]; 0] {
    type Buffer = [f32; 0];

    #[inline(always)]
    fn as_buffers_mut(&mut self) -> &mut [[f32; 0]] {
        self
    }
}

/// A reference to a list is a list (a `&[Vec<f32>]` or `&mut Vec<Vec<f32>>` held in a
/// variable, passed by reference again).
impl<T: Buffers + ?Sized> sealed::Sealed for &T {}

impl<T: Buffers + ?Sized> Buffers for &T {
    type Buffer = T::Buffer;

    #[inline(always)]
    fn as_buffers(&self) -> &[T::Buffer] {
        (**self).as_buffers()
    }
}

impl<T: sealed::Sealed + ?Sized> sealed::Sealed for &mut T {}

impl<T: Buffers + ?Sized> Buffers for &mut T {
    type Buffer = T::Buffer;

    #[inline(always)]
    fn as_buffers(&self) -> &[T::Buffer] {
        (**self).as_buffers()
    }
}

impl<T: BuffersMut + ?Sized> BuffersMut for &mut T {
    type Buffer = T::Buffer;

    #[inline(always)]
    fn as_buffers_mut(&mut self) -> &mut [T::Buffer] {
        (**self).as_buffers_mut()
    }
}
