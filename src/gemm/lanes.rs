//! A vector of f32 lanes, as the kernel sees it. The WebAssembly build uses
//! v128; the portable lanes exist so native tests can run the very same
//! kernel and compare it bit for bit with `matrixmultiply`. (The native
//! AVX-512 lanes are src/gemm/avx512.rs's.)

/// What the kernel needs from a vector of `WIDTH` f32.
pub trait Lanes: Copy {
    /// How many f32 a vector holds.
    const WIDTH: usize;
    fn zero() -> Self;
    fn splat(x: f32) -> Self;
    /// Broadcast one f32 read from memory (`v128.load32_splat`).
    ///
    /// # Safety
    /// `p` must be valid for one read.
    unsafe fn load_splat(p: *const f32) -> Self;
    /// # Safety
    /// `p` must be valid for `WIDTH` reads.
    unsafe fn load(p: *const f32) -> Self;
    /// # Safety
    /// `p` must be valid for `WIDTH` writes.
    unsafe fn store(self, p: *mut f32);
    /// `a·b + c`, fused or not as the build's multiply–add is (the same
    /// choice `matrixmultiply` makes, so the sums round alike).
    fn madd(a: Self, b: Self, c: Self) -> Self;
    fn mul(a: Self, b: Self) -> Self;
}

/// Four portable lanes; `FUSED` picks one rounding (`mul_add`) or two.
#[derive(Clone, Copy)]
pub struct Portable<const FUSED: bool>([f32; 4]);

impl<const FUSED: bool> Lanes for Portable<FUSED> {
    const WIDTH: usize = 4;
    #[inline(always)]
    fn zero() -> Self {
        Portable([0.0; 4])
    }
    #[inline(always)]
    fn splat(x: f32) -> Self {
        Portable([x; 4])
    }
    #[inline(always)]
    unsafe fn load_splat(p: *const f32) -> Self {
        Portable([*p; 4])
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        Portable([*p, *p.add(1), *p.add(2), *p.add(3)])
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        for (i, v) in self.0.into_iter().enumerate() {
            *p.add(i) = v;
        }
    }
    #[inline(always)]
    fn madd(a: Self, b: Self, c: Self) -> Self {
        Portable(std::array::from_fn(|i| if FUSED { a.0[i].mul_add(b.0[i], c.0[i]) } else { a.0[i] * b.0[i] + c.0[i] }))
    }
    #[inline(always)]
    fn mul(a: Self, b: Self) -> Self {
        Portable(std::array::from_fn(|i| a.0[i] * b.0[i]))
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use wasm::Simd;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::*;

    use super::Lanes;

    #[derive(Clone, Copy)]
    pub struct Simd(v128);

    impl Lanes for Simd {
        const WIDTH: usize = 4;
        #[inline(always)]
        fn zero() -> Self {
            Simd(f32x4_splat(0.0))
        }
        #[inline(always)]
        fn splat(x: f32) -> Self {
            Simd(f32x4_splat(x))
        }
        #[inline(always)]
        unsafe fn load_splat(p: *const f32) -> Self {
            Simd(v128_load32_splat(p as *const u32))
        }
        #[inline(always)]
        unsafe fn load(p: *const f32) -> Self {
            Simd(v128_load(p as *const v128))
        }
        #[inline(always)]
        unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0)
        }
        // Chromium and Firefox run relaxed_madd as one fused multiply–add on
        // CPUs that have it, as the native build's AVX2 kernel does.
        #[cfg(target_feature = "relaxed-simd")]
        #[inline(always)]
        fn madd(a: Self, b: Self, c: Self) -> Self {
            Simd(f32x4_relaxed_madd(a.0, b.0, c.0))
        }
        #[cfg(not(target_feature = "relaxed-simd"))]
        #[inline(always)]
        fn madd(a: Self, b: Self, c: Self) -> Self {
            Simd(f32x4_add(f32x4_mul(a.0, b.0), c.0))
        }
        #[inline(always)]
        fn mul(a: Self, b: Self) -> Self {
            Simd(f32x4_mul(a.0, b.0))
        }
    }
}
