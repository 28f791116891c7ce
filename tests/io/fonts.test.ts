/**
 * The fonts the .html outputs link to (out/assets/fonts/): linked from the installed packages where the
 * file system allows, copied where it does not, and the same files either way.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileIfChanged } from '../../scripts/io/files.ts';
import { FONT_CSS, FONT_DIR, loadFontAssets, writeFontAssets } from '../../scripts/io/fonts.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function check(out: string): Promise<{ linked: number; copied: number }> {
  const fonts = await loadFontAssets();
  expect(await writeFontAssets(out, writeFileIfChanged)).toBe(fonts.files.size);
  const dir = path.join(out, FONT_DIR);
  expect(
    readdirSync(dir)
      .filter((f) => !f.startsWith('.'))
      .sort(),
  ).toEqual([...fonts.files.keys(), FONT_CSS].sort());
  let linked = 0;
  let copied = 0;
  for (const [name, src] of fonts.files) {
    const a = statSync(src);
    const b = statSync(path.join(dir, name));
    expect(readFileSync(path.join(dir, name)).equals(readFileSync(src)), name).toBe(true);
    if (a.ino === b.ino && a.dev === b.dev) linked++;
    else copied++;
  }
  // Nothing to do a second time.
  expect(await writeFontAssets(out, writeFileIfChanged)).toBe(0);
  return { linked, copied };
}

describe('writeFontAssets', () => {
  it('links every subset on the file system the packages are on (no bytes written)', async () => {
    const fonts = await loadFontAssets();
    const pkgDir = path.dirname([...fonts.files.values()][0]!);
    // A folder beside the installed packages: surely the same file system.
    const out = mkdtempSync(path.join(path.dirname(path.dirname(pkgDir)), '.jxmb-fonts-test-'));
    dirs.push(out);
    expect(await check(out)).toEqual({ linked: fonts.files.size, copied: 0 });
  });

  it.runIf(process.platform === 'linux')(
    'copies them where it cannot link (another file system: /dev/shm)',
    async () => {
      const fonts = await loadFontAssets();
      const out = mkdtempSync('/dev/shm/jxmb-fonts-test-');
      dirs.push(out);
      if (statSync(out).dev === statSync([...fonts.files.values()][0]!).dev) return;
      expect(await check(out)).toEqual({ linked: 0, copied: fonts.files.size });
    },
  );

  it('leaves no temporary files behind', () => {
    for (const d of dirs) expect(readdirSync(path.join(d, FONT_DIR)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
