import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../src/api/mediaUrl';
import type { BrowserHost } from '../../src/engine/app/bridge/browserHost';
import { makeClip } from '../app/fixtures';
import { bearer, call, ok, startTestBridge } from './bridgeHelpers';

/*
 * The HTTP bridge against what a hostile local process, or a page elsewhere in the user's
 * browser, would try: real requests to a real bridge on 127.0.0.1 (issue 10, item 7).
 */
let host: BrowserHost;
let dir: string;
let stop: () => Promise<void>;
let clip: string;
const SECRET = 'hunter2-SECRET-LINE';

beforeAll(async () => {
  ({ host, dir, stop } = await startTestBridge());
  clip = makeClip(join(dir, 'A001.mov'), { codec: 'prores', seconds: 2 });
}, 60_000);
afterAll(() => stop());

/** A raw request (fetch cannot send a malformed path or a lying Content-Length). */
function raw(method: string, path: string, headers: Record<string, string | number>, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${host.origin}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the access token', () => {
  it('is required on every API, event-stream, media and page request', async () => {
    const media = mediaUrl(`${host.origin}/media`, { mode: 'file', path: clip });
    const asked = [
      fetch(`${host.origin}/api/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
      fetch(`${host.origin}/api/events`),
      // What a cross-origin <video> sends: no Origin header, and no cookie (SameSite=Strict).
      fetch(media),
      fetch(`${host.origin}/`),
    ];
    for (const r of await Promise.all(asked)) {
      expect(r.status).toBe(401);
      expect(await r.text()).toMatch(/access key/);
    }
  });

  it('refuses a wrong token, in the header, the cookie or the URL', async () => {
    const wrong = host.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const port = new URL(host.origin).port;
    const attempts: Record<string, string>[] = [{ Authorization: `Bearer ${wrong}` }, { Cookie: `lacuna_${port}=${wrong}` }, { Authorization: 'Bearer ' }];
    for (const headers of attempts) {
      const r = await fetch(`${host.origin}/api/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
      expect(r.status).toBe(401);
    }
    expect((await fetch(`${host.origin}/?token=${wrong}`, { redirect: 'manual' })).status).toBe(401);
  });

  it('opened once in the URL, becomes an HttpOnly SameSite=Strict cookie that lets the page in', async () => {
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    const r = await fetch(host.url, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/'); // the token leaves the address bar
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0];
    const info = await fetch(`${host.origin}/api/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: pair }, body: '{}' });
    expect(info.status).toBe(200);
    expect((await info.json()).ok).toBe(true);
    expect((await call(host, 'app.info')).status).toBe(200); // and the Bearer header for programs
  });

  it('differs per launch', async () => {
    const other = await startTestBridge();
    try {
      expect(other.host.token).not.toBe(host.token);
      expect(other.host.token.length).toBeGreaterThanOrEqual(40);
      const r = await fetch(`${other.host.origin}/api/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(host) }, body: '{}' });
      expect(r.status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});

describe('malformed requests', () => {
  it('a malformed % escape in a call name is a 400 with a plain message, not a 500', async () => {
    const r = await raw('POST', '/api/%E0%A4%A', { 'Content-Type': 'application/json', ...bearer(host) }, Buffer.from('{}'));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error.message).toMatch(/malformed % escape/);
    expect(r.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a malformed % escape in a media address is a 400 with a plain message, not a 500', async () => {
    for (const path of ['/media/file/%E0%A4%A', '/media/proxy/%ZZ', '/media/thumbs/%']) {
      const r = await raw('GET', path, { ...bearer(host) }, Buffer.alloc(0));
      expect(r.status, path).toBe(400);
      expect(r.text).toBe('bad media URL');
    }
    expect((await call(host, 'app.info')).status).toBe(200);
  });

  it('a body over the limit is answered 413, not a reset connection', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const r = await fetch(`${host.origin}/api/project.get`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(host) }, body: big });
    expect(r.status).toBe(413);
    expect((await r.json()).error.message).toMatch(/over 1 MiB/);
    // One that declares far more than it is worth reading is refused at once.
    const liar = await raw('POST', '/api/project.get', { 'Content-Type': 'application/json', 'Content-Length': 1024 ** 3, ...bearer(host) }, Buffer.alloc(0)).catch(() => null);
    if (liar) expect(liar.status).toBe(413);
    expect((await call(host, 'app.info')).status).toBe(200); // the bridge is still there
  });
});

describe('open and save only project files', () => {
  it('will not open a file that is not a project, and quotes none of it', async () => {
    const key = join(dir, 'id_ed25519');
    writeFileSync(key, `-----BEGIN OPENSSH PRIVATE KEY----- ${SECRET}\nline two\n`);
    const disguised = join(dir, 'key.lacuna');
    writeFileSync(disguised, `${SECRET}\n`);
    const config = join(dir, 'config.lacuna');
    writeFileSync(config, JSON.stringify({ format: SECRET, password: SECRET }));
    for (const path of [key, disguised, config]) {
      const { envelope } = await call(host, 'project.open', { path, discardChanges: true });
      expect(envelope.ok).toBe(false);
      expect(envelope.error.code).toBe('PROJECT_INVALID');
      expect(JSON.stringify(envelope.error)).not.toContain(SECRET);
      expect(JSON.stringify(envelope.error)).not.toContain('line two');
    }
  });

  it('still says where a damaged project is damaged', async () => {
    const damaged = join(dir, 'damaged.lacuna');
    writeFileSync(damaged, '{\n  "format": "lacuna.project",\n  "version": 1,\n  "name": \n');
    const { envelope } = await call(host, 'project.open', { path: damaged, discardChanges: true });
    expect(envelope.error.code).toBe('PROJECT_INVALID');
    expect(envelope.error.message).toMatch(/line \d+, column \d+/);
  });

  it('never replaces a file that is not a project; adds the extension; keeps a .bak of a project it replaces', async () => {
    await ok(host, 'project.new', { name: 'Cut', discardChanges: true });
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'precious');
    const saved = await ok<{ path: string }>(host, 'project.saveAs', { path: notes });
    expect(saved.path).toBe(`${notes}.lacuna`);
    expect(readFileSync(notes, 'utf8')).toBe('precious');

    const lookalike = join(dir, 'other.lacuna');
    writeFileSync(lookalike, 'not a project');
    const refused = await call(host, 'project.saveAs', { path: lookalike });
    expect(refused.envelope.error.code).toBe('OUTPUT_EXISTS');
    expect(readFileSync(lookalike, 'utf8')).toBe('not a project');

    const beside = join(dir, 'beside.lacuna');
    await ok(host, 'project.saveAs', { path: beside });
    writeFileSync(`${beside}.bak`, 'a file of the same name as the backup');
    expect((await call(host, 'project.saveAs', { path: beside })).envelope.error.code).toBe('OUTPUT_EXISTS');
    expect(readFileSync(`${beside}.bak`, 'utf8')).toBe('a file of the same name as the backup');

    const cut = join(dir, 'cut.lacuna');
    await ok(host, 'project.saveAs', { path: cut });
    await ok(host, 'project.saveAs', { path: cut });
    expect(existsSync(`${cut}.bak`)).toBe(true);
    expect(JSON.parse(readFileSync(`${cut}.bak`, 'utf8')).format).toBe('lacuna.project');
  });
});

describe('project media', () => {
  it('a crafted project naming a private key as its clip gets none of its bytes', async () => {
    await ok(host, 'project.new', { name: 'Crafted', discardChanges: true });
    await ok(host, 'media.import', { paths: [clip] });
    const crafted = join(dir, 'crafted.lacuna');
    await ok(host, 'project.saveAs', { path: crafted });
    const key = join(dir, 'id_rsa');
    writeFileSync(key, `-----BEGIN RSA PRIVATE KEY-----\n${SECRET}\n`);
    writeFileSync(crafted, readFileSync(crafted, 'utf8').split('A001.mov').join('id_rsa'));
    const project = await ok<{ media: { path: string }[] }>(host, 'project.open', { path: crafted, discardChanges: true });
    expect(project.media.map((m) => m.path)).toContain(key);

    const file = await fetch(mediaUrl(`${host.origin}/media`, { mode: 'file', path: key }), { headers: bearer(host) });
    expect(file.status).toBe(403);
    expect(await file.text()).not.toContain(SECRET);
    const proxy = await fetch(mediaUrl(`${host.origin}/media`, { mode: 'proxy', path: key, start: 0 }), { headers: bearer(host) });
    expect(proxy.status).toBe(422); // no video came out of it
    expect(await proxy.text()).not.toContain(SECRET);
  });

  it('twelve proxy requests start three transcodes; the rest are told to retry', async () => {
    await ok(host, 'project.new', { name: 'Proxies', discardChanges: true });
    await ok(host, 'media.import', { paths: [clip] });
    const url = mediaUrl(`${host.origin}/media`, { mode: 'proxy', path: clip, start: 0 });
    const controllers = Array.from({ length: 12 }, () => new AbortController());
    const answers = await Promise.all(controllers.map((c) => fetch(url, { headers: bearer(host), signal: c.signal })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(3).fill(200), ...Array(9).fill(503)]);
    expect(answers.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('1');
    for (const c of controllers) c.abort();
    await new Promise((res) => setTimeout(res, 500));
    const again = await fetch(url, { headers: bearer(host) });
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
