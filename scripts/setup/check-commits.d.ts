/** Types for check-commits.js, which stays plain JS so that it runs before anything is compiled. */

/** The last commit before the rule: only the commits after it are checked. */
export declare const SINCE: string;
/** The longest subject allowed, in characters (code points). */
export declare const MAX_SUBJECT: number;
/** A commit whose subject is too long. */
export interface LongSubject {
  hash: string;
  subject: string;
  length: number;
}
/**
 * The commits after `since` in the git checkout at `dir` whose subject is longer than `max` characters,
 * or `skipped` with why nothing was checked.
 */
export declare function checkCommits(
  dir: string,
  since?: string,
  max?: number,
): { skipped: string } | { checked: number; long: LongSubject[] };
