/**
 * The one error type of the verification metrics, and the input checks they share.
 *
 * @module
 */

/** Raised for bad metric input: length mismatches, odd pair arrays, NaN values, bad folds. */
export class MetricInputError extends Error {
  override name = "MetricInputError";
}

/** Throws a {@linkcode MetricInputError} unless every value is finite; says which and where. */
export function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new MetricInputError(`${what}[${i}] is ${values[i]}: every value must be finite`);
    }
  }
}

/** Throws unless `distances` and `issame` have the same non-zero length. */
export function checkPairs(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
): void {
  if (distances.length !== issame.length) {
    throw new MetricInputError(
      `distances has ${distances.length} values but issame has ${issame.length}: ` +
        `one label per pair is needed`,
    );
  }
  if (distances.length === 0) throw new MetricInputError("no pairs: distances is empty");
  checkFinite(distances, "distances");
}
