//! The standard normal quantile Φ⁻¹, the one used for every grid of
//! Gaussian quantiles (the page's manifold and the CLI's `sample --manifold`).

/// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation, relative error
/// below 1.15e-9 over the whole range (P. J. Acklam, "An algorithm for
/// computing the inverse normal cumulative distribution function", 2003).
/// Outside (0, 1) it returns ±∞ (p ≤ 0, p ≥ 1) or NaN (p is NaN).
#[allow(clippy::excessive_precision)] // the coefficients as Acklam published them
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] =
        [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    const B: [f64; 5] = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    const C: [f64; 6] =
        [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    const D: [f64; 4] = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    /// Below this (and above 1 − this) the tail formula takes over.
    const LOW: f64 = 0.02425;
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Φ⁻¹((i + ½) / n): the `i`-th of `n` evenly spaced quantiles, each the
/// centre of a slice holding 1/n of the probability (Kingma & Welling 2014, fig. 4).
pub fn grid_quantile(i: usize, n: usize) -> f64 {
    normal_quantile((i as f64 + 0.5) / n as f64)
}
