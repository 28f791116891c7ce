/**
 * Which names the dev server answers to: the guard against DNS rebinding, applied to every request
 * before anything else (the event stream and the status included).
 */
import { isIP } from 'node:net';
import os from 'node:os';

/** `Host: name:port` → `name` (lower case, no trailing dot, IPv6 without brackets). */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  const close = h.indexOf(']');
  const name = h.startsWith('[') ? h.slice(1, close < 0 ? undefined : close) : h.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

const isLoopback = (name: string): boolean =>
  name === 'localhost' ||
  name.endsWith('.localhost') ||
  name === '::1' ||
  (isIP(name) === 4 && name.startsWith('127.'));

/**
 * Whether a request's Host header names this server. Binding to loopback is not enough: through DNS
 * rebinding a web page's own name (`evil.example`) comes to resolve to 127.0.0.1, and its scripts can
 * then read the served documents (their data) and the event stream. A browser always sends the name
 * it used, so only names that cannot be rebound are accepted: `localhost` (and `*.localhost`), loopback
 * addresses, the `--host` given, and `allowed`. When listening beyond loopback (`--host 0.0.0.0`), also
 * any IP address and this machine's name: a page can only be rebound to a name, never to an address.
 * The port is not compared (an SSH tunnel or a proxy may forward another one).
 */
export function hostAllowed(header: string | undefined, bound: string, allowed: readonly string[] = []): boolean {
  // HTTP/1.1 requires Host (Node answers 400 without it); an HTTP/1.0 tool without one is no browser.
  if (header === undefined) return true;
  const name = hostName(header);
  if (!name) return false;
  const boundName = hostName(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  if (isLoopback(name) || name === boundName || allowed.some((a) => hostName(a) === name)) return true;
  if (isLoopback(boundName)) return false;
  const me = os.hostname().toLowerCase();
  return isIP(name) !== 0 || name === me || name === `${me}.local`;
}
