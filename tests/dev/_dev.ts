/** What every dev-server test starts with: a project in `dir`, HTML only, one page, any free port. */
import path from 'node:path';
import type { DevServerOptions } from '../../scripts/dev/serve.ts';

export const devOptions = (dir: string, more: Partial<DevServerOptions> = {}): DevServerOptions => ({
  cwd: dir,
  root: dir,
  dataDir: path.join(dir, 'data'),
  outDir: path.join(dir, 'out'),
  formats: ['html'],
  jobs: 1,
  host: '127.0.0.1',
  port: 0,
  lang: 'zh',
  color: false,
  log: () => undefined,
  ...more,
});
