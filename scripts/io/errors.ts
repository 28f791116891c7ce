/**
 * Errors of the environment, shared by the layers that meet it (browser/, build/, commands/): the CLI
 * prints them without a stack and exits 69 (scripts/_command.ts).
 */

/** Raised for problems of the environment (no browser, disk full): printed without a stack, exit 69. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}
