/** The tool's version, part of every output's cache key. */
import pkg from '../../package.json' with { type: 'json' };

export const TOOL_VERSION: string = (pkg as { version: string }).version;
