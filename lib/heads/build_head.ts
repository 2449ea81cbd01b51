/**
 * Builds a head by name, as configs name it (`head_type`).
 *
 * @module
 */
import { ArcHead, type ArcHeadOptions } from "./arc_head.ts";
import { type Head, HeadConfigError } from "./head.ts";
import { NormHead } from "./norm_head.ts";

/** Every head name {@linkcode buildHead} accepts. */
export const HEAD_NAMES = ["ArcHead", "NormHead"] as const;

/** A head name. */
export type HeadName = typeof HEAD_NAMES[number];

/** Checks a head name, throwing a {@linkcode HeadConfigError} that lists the valid ones. */
export function parseHeadName(value: string): HeadName {
  if ((HEAD_NAMES as readonly string[]).includes(value)) return value as HeadName;
  throw new HeadConfigError(`Unknown head '${value}'. Valid names: ${HEAD_NAMES.join(", ")}.`);
}

/**
 * Creates an {@linkcode ArcHead} or a {@linkcode NormHead} (which ignores `margin`, `scale`, `eps`).
 *
 * @throws {HeadConfigError} for an unknown name or invalid options.
 */
export function buildHead(type: HeadName | string, options: ArcHeadOptions): Head {
  switch (parseHeadName(type)) {
    case "ArcHead":
      return new ArcHead(options);
    case "NormHead":
      return new NormHead({
        embdShape: options.embdShape,
        numClasses: options.numClasses,
        seed: options.seed,
        name: options.name,
      });
  }
}
