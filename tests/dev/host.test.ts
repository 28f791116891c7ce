/**
 * `jxmb dev` answers only requests that name it: a page whose own name was rebound to 127.0.0.1 (DNS
 * rebinding) sends `Host: evil.example` and gets 403, on the documents, the status and the event stream.
 * An empty project: no document, so no browser.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PATH, STATUS_PATH } from '../../scripts/dev/page.ts';
import { type DevServer, hostAllowed, startDevServer } from '../../scripts/dev/serve.ts';
import { devOptions } from './_dev.ts';

/** One raw HTTP/1.1 request with the Host header given; the status line's code and the body. */
function rawGet(port: number, urlPath: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = `GET ${urlPath} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    let b = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      b += d;
      // The event stream never ends: its first event is enough.
      if (b.includes('event: hello')) s.destroy();
    });
    s.on('error', reject);
    s.on('close', () => {
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(b)?.[1]), text: b.slice(b.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('hostAllowed', () => {
  it('on loopback: only loopback names, the --host given and the allowed ones, with any port', () => {
    const good = ['localhost', 'localhost:4173', 'LOCALHOST.:80', 'app.localhost:1', '127.0.0.1:4173', '[::1]:4173'];
    for (const h of good) expect(hostAllowed(h, '127.0.0.1'), h).toBe(true);
    const bad = ['evil.example', 'evil.example:4173', '127.0.0.1.evil.example', 'localhost.evil.example', '10.0.0.5:1'];
    for (const h of [...bad, '', ':4173']) expect(hostAllowed(h, '127.0.0.1'), h).toBe(false);
    expect(hostAllowed('dev.lan:4173', '127.0.0.1', ['dev.lan'])).toBe(true);
    expect(hostAllowed('[::1]:9', '::1')).toBe(true);
    expect(hostAllowed('evil.example', '::1')).toBe(false);
  });

  it('beyond loopback (--host 0.0.0.0): addresses and this machine’s name too, still no other name', () => {
    for (const h of ['192.168.1.20:4173', '[fe80::1]:4173', `${os.hostname()}:4173`, 'localhost']) {
      expect(hostAllowed(h, '0.0.0.0'), h).toBe(true);
    }
    expect(hostAllowed('evil.example:4173', '0.0.0.0')).toBe(false);
    expect(hostAllowed('evil.example', '::')).toBe(false);
    expect(hostAllowed('box.lan', 'box.lan')).toBe(true);
  });
});

describe('jxmb dev refuses a foreign Host', () => {
  let dir: string;
  let server: DevServer;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-dev-host-'));
    await fs.mkdir(path.join(dir, 'data'));
    server = await startDevServer(devOptions(dir, { allowedHosts: ['jxmb.test'] }));
    await server.idle();
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('403 with a short message for Host: evil.example, on pages, status and the event stream', async () => {
    for (const p of ['/', '/index.html', STATUS_PATH, EVENTS_PATH]) {
      const r = await rawGet(server.port, p, `evil.example:${server.port}`);
      expect(r.status, p).toBe(403);
      expect(r.text).toContain('evil.example');
      expect(r.text).toContain('DNS');
      expect(r.text).not.toContain('event: hello');
    }
  });

  it('serves localhost, 127.0.0.1, [::1] and an allowed name', async () => {
    for (const h of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, 'jxmb.test']) {
      expect((await rawGet(server.port, STATUS_PATH, h)).status, h).toBe(200);
    }
    const events = await rawGet(server.port, EVENTS_PATH, `localhost:${server.port}`);
    expect(events.status).toBe(200);
    expect(events.text).toContain('event: hello');
  });
});
