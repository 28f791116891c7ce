/**
 * Types for compile.js, which stays plain JS so that it runs before anything is compiled; the tests import
 * it from TypeScript.
 */

/** The project root. */
export declare const ROOT: string;
/** Where the compiled copy of scripts/ goes: scripts/dist. */
export declare const DIST: string;
/** The file in DIST that lists every source the copy was made from (path, size, mtime). */
export declare const INPUTS_FILE: string;
/**
 * Compiles scripts/cli.ts and everything it loads into scripts/dist/ (replaced whole, atomically); resolves to the
 * number of sources.
 */
export declare function compile(): Promise<number>;
/** Why the compiled copy in `dist` cannot be used for the sources under `root`, or undefined if it can. */
export declare function staleReason(dist?: string, root?: string): string | undefined;
