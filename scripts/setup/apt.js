// System packages on Debian/Ubuntu, for the install and test steps (plain JS: runs before anything else).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether a command is on PATH. */
export function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** True when we may install Debian packages ourselves: root, apt-get present, not opted out. */
export function canApt() {
  return (
    process.platform === 'linux' &&
    typeof process.getuid === 'function' &&
    process.getuid() === 0 &&
    existsSync('/usr/bin/apt-get') &&
    !process.env.JXMB_NO_APT
  );
}

/**
 * Installs Debian packages quietly. Returns true on success; prints one line either way.
 * `why` says what the packages are for, so the user knows why the install takes a minute.
 */
export function aptInstall(packages, why) {
  if (packages.length === 0) return true;
  process.stderr.write(`jxmb: installing ${packages.join(' ')} (${why}) with apt-get …\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    return true;
  } catch (e) {
    process.stderr.write(`jxmb: apt-get install ${packages.join(' ')} failed: ${e.message.split('\n')[0]}\n`);
    return false;
  }
}
