/**
 * The last guard before a terminal (cli.ts terminalSafe): on a TTY nothing but jxmb's own colour codes
 * leaves raw; to a file or pipe, output (JSON, Markdown, YAML) is byte for byte.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../scripts/cli.ts';
import { ROOT, SEED_YAML } from './helpers.ts';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('terminalSafe', () => {
  it('keeps SGR colour codes, newlines and tabs; escapes every other control', () => {
    expect(terminalSafe('\x1b[1mok\x1b[0m\ta\nb')).toBe('\x1b[1mok\x1b[0m\ta\nb');
    const shown = terminalSafe('\x1b]0;title\x07 \x1b[2J \u202e \u200b \x9b');
    expect(shown).toBe('\\x1b]0;title\\x07 \\x1b[2J \\u202e \\u200b \\x9b');
  });
});

describe.runIf(hasScript)('jxmb on a terminal (script(1) gives it a TTY)', () => {
  it('diff --format md: data shown escaped on a terminal, raw into a pipe', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'jxmb-tty-'));
    copyFileSync(SEED_YAML, path.join(d, 'a.yaml'));
    const seed = readFileSync(SEED_YAML, 'utf8');
    writeFileSync(path.join(d, 'b.yaml'), seed.replace('name: 外贸进出口倍增企业', 'name: 外贸\u200b进出口倍增企业'));
    const cmd = `node ${path.join(ROOT, 'scripts/jxmb.js')} diff --format md a.yaml b.yaml`;
    const tty = execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: d, encoding: 'utf8' });
    expect(tty).toContain('\\u200b');
    expect(tty).not.toContain('\u200b');
    const piped = execFileSync('sh', ['-c', cmd], { cwd: d, encoding: 'utf8' });
    expect(piped).toContain('\u200b');
  });
});
