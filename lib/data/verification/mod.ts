/**
 * Verification sets for evaluation: LFW-style pairs files and insightface `.bin` files read into
 * one {@linkcode VerificationSet} shape (unique images, pair indices, labels, 10 contiguous
 * folds), and a `.bin` writer. See docs/verification_and_alignment.md.
 *
 * @module
 */
export * from "./verification_set.ts";
export * from "./errors.ts";
export * from "./lfw_pairs.ts";
export * from "./insightface_bin.ts";
export * from "./bin_writer.ts";
export { MAX_PICKLE_PROTOCOL, readPickle } from "./pickle_reader.ts";
export { NumpyArray, NumpyDtype, PyGlobal, type PyValue } from "./pickle_objects.ts";
