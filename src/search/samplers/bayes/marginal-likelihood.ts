import { choleskyInverse, choleskySolve, choleskyWithJitter, logDiagSum } from '../../numeric/cholesky';
import { kernelParamsFromLog, matern52, matern52DerivR2 } from './matern52.kernel';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Training data of the GP: feature rows, standardised targets and which dimensions are categorical. */
export interface GpData {
  /** Row-major `n × d` features. */
  X: Float64Array;
  /** Standardised targets (minimisation). */
  y: Float64Array;
  n: number;
  d: number;
  isCat: Uint8Array;
}

/**
 * Weak priors on the hyperparameters (standardised outputs, unit-cube inputs), after Optuna's GP:
 * `0.05·(1/ℓ² + ℓ²)` keeps each length-scale near the width of the cube unless the data insist, a
 * log-normal keeps the signal variance near 1, and a Gamma(1.1, 30) on the noise variance says
 * most tuning objectives are close to deterministic (a noisy model explains a rugged objective
 * away as noise and stops learning where to go).
 */
export interface HyperPrior {
  lengthWeight: number;
  logSignalMean: number;
  logSignalSd: number;
  noiseShape: number;
  noiseRate: number;
}

/** The default priors. */
export const DEFAULT_PRIOR: HyperPrior = { lengthWeight: 0.05, logSignalMean: 0, logSignalSd: 1.5, noiseShape: 1.1, noiseRate: 30 };

function gaussianPenalty(x: number, mean: number, sd: number): { value: number; grad: number } {
  const t = (x - mean) / sd;
  return { value: 0.5 * t * t, grad: t / sd };
}

/**
 * Negative log marginal likelihood plus negative log prior of log-hyperparameters
 * `theta = [log ℓ_1 … log ℓ_d, log signal, log noise]`, with its analytic gradient written to
 * `grad`. Uses `∂/∂θ (-log p(y)) = ½ tr((K⁻¹ - ααᵀ) ∂K/∂θ)` with `α = K⁻¹y`. Returns Infinity when
 * the covariance cannot be factored.
 */
export function negLogPosterior(theta: Float64Array, data: GpData, prior: HyperPrior, grad: Float64Array): number {
  const { X, y, n, d, isCat } = data;
  const p = kernelParamsFromLog(theta, d);
  // K and dk/dr² are kept for the gradient pass.
  const K = new Float64Array(n * n);
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = p.signal + p.noise;
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let t = 0; t < d; t++) {
        const a = X[i * d + t],
          b = X[j * d + t];
        if (isCat[t]) r2 += a !== b ? p.invL2[t] : 0;
        else r2 += (a - b) * (a - b) * p.invL2[t];
      }
      const k = p.signal * matern52(r2);
      K[i * n + j] = k;
      K[j * n + i] = k;
      D[i * n + j] = p.signal * matern52DerivR2(r2);
    }
  }
  const chol = choleskyWithJitter(K, n, 1e-10, 1e-4);
  if (!chol) {
    grad.fill(0);
    return Infinity;
  }
  const alpha = choleskySolve(chol.L, y, n);
  let fit = 0;
  for (let i = 0; i < n; i++) fit += y[i] * alpha[i];
  let value = 0.5 * fit + logDiagSum(chol.L, n) + n * HALF_LOG_2PI;

  const W = choleskyInverse(chol.L, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) W[i * n + j] -= alpha[i] * alpha[j];
  grad.fill(0);
  let gSignal = 0;
  let gNoise = 0;
  for (let i = 0; i < n; i++) {
    const wii = W[i * n + i];
    gSignal += 0.5 * wii * p.signal;
    gNoise += 0.5 * wii * p.noise;
    for (let j = 0; j < i; j++) {
      const w = W[i * n + j];
      gSignal += w * K[i * n + j];
      // ∂k/∂log ℓ_t = dk/dr² · (-2 Δ_t² / ℓ_t²); symmetric pairs count twice, halved by the ½.
      const c = -2 * w * D[i * n + j];
      for (let t = 0; t < d; t++) {
        const a = X[i * d + t],
          b = X[j * d + t];
        const sq = isCat[t] ? (a !== b ? 1 : 0) : (a - b) * (a - b);
        grad[t] += c * sq;
      }
    }
  }
  for (let t = 0; t < d; t++) grad[t] *= p.invL2[t];
  grad[d] = gSignal;
  grad[d + 1] = gNoise;

  for (let t = 0; t < d; t++) {
    // w·(θ + 1/θ) with θ = 1/ℓ² = e^{-2 log ℓ}.
    const inv = p.invL2[t];
    value += prior.lengthWeight * (inv + 1 / inv);
    grad[t] += prior.lengthWeight * 2 * (1 / inv - inv);
  }
  const ps = gaussianPenalty(theta[d], prior.logSignalMean, prior.logSignalSd);
  // -log Gamma density of the noise in θ = log noise: rate·e^θ - (shape - 1)·θ.
  value += ps.value + prior.noiseRate * p.noise - (prior.noiseShape - 1) * theta[d + 1];
  grad[d] += ps.grad;
  grad[d + 1] += prior.noiseRate * p.noise - (prior.noiseShape - 1);
  return value;
}
