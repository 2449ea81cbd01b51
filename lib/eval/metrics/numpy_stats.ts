/**
 * Mean and standard deviation computed the way numpy does (pairwise summation, `np.std` with
 * its default ddof=0, i.e. the POPULATION standard deviation), so that fold means match an
 * insightface run bit for bit.
 *
 * @module
 */

/** numpy's pairwise summation (`pairwise_sum` in numpy/core/src/umath/loops_utils.h). */
export function numpySum(values: ArrayLike<number>, start = 0, n = values.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = values[start + j];
    const full = n - (n % 8);
    for (let i = 8; i < full; i += 8) {
      for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (let i = full; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(values, start, n2) + numpySum(values, start + n2, n - n2);
}

/** `np.mean(values)`; NaN for an empty array (numpy warns and returns nan). */
export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}

/** `np.std(values)`: population standard deviation (ddof=0), numpy's order of operations. */
export function numpyStd(values: ArrayLike<number>): number {
  const mean = numpyMean(values);
  const sq = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const d = Math.abs(values[i] - mean);
    sq[i] = d * d;
  }
  return Math.sqrt(numpySum(sq) / values.length);
}
