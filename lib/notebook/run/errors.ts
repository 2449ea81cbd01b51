/**
 * The notebook runner's typed errors.
 *
 * @module
 */

/** Raised when the machine cannot run notebooks: no /usr/bin/python3, no jupyter_client, no kernelspec. */
export class NotebookSetupError extends Error {
  override name = "NotebookSetupError";
}

/**
 * Raised when the runner itself could not run a notebook (missing input, bad options, the runner
 * process crashed or was killed). A cell that fails is not an error: `runNotebook` returns
 * `ok: false` for it.
 */
export class NotebookRunError extends Error {
  override name = "NotebookRunError";
}
