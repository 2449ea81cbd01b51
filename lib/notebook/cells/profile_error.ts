/**
 * The error of notebook profiles.
 *
 * @module
 */

/** Raised when a profile is unknown, its file is invalid, or its data / model is missing. */
export class ProfileError extends Error {
  override name = "ProfileError";
}
