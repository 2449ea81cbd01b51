/**
 * The few assertions the tests use (jsr:@std/assert is unreachable from here), with the
 * same names and meaning as @std/assert.
 *
 * @module
 */
import { inspect, isDeepStrictEqual } from "node:util";

/** Raised by a failed assertion. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** Asserts that `cond` is truthy. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

/** Asserts deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${inspect(expected, { depth: 4 })}, got ${
        inspect(actual, { depth: 4 })
      }`,
    );
  }
}

/** Asserts |actual - expected| <= tolerance (default 1e-7 relative to |expected|, min 1e-7). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance?: number,
  msg?: string,
): void {
  const tol = tolerance ?? Math.max(1e-7, Math.abs(expected) * 1e-7);
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${expected} +- ${tol}, got ${actual}`,
    );
  }
}

type ErrorClass<E extends Error> = new (...args: never[]) => E;

function checkMessage<E extends Error>(e: E, includes?: string): E {
  if (includes !== undefined && !e.message.includes(includes)) {
    throw new AssertionError(`expected the message to include '${includes}', got '${e.message}'`);
  }
  return e;
}

/**
 * Asserts that `fn` throws an instance of `cls` (whose message includes `includes`, when
 * given) and returns it.
 */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  cls: ErrorClass<E>,
  includes?: string,
): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof cls) return checkMessage(e, includes);
    throw new AssertionError(`expected ${cls.name}, got ${inspect(e)}`);
  }
  throw new AssertionError(`expected ${cls.name}, nothing was thrown`);
}

/**
 * Asserts that `fn` rejects with an instance of `cls` (whose message includes `includes`, when
 * given) and returns it.
 */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  cls: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof cls) return checkMessage(e, includes);
    throw new AssertionError(`expected ${cls.name}, got ${inspect(e)}`);
  }
  throw new AssertionError(`expected ${cls.name}, nothing was thrown`);
}
