import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMain, MenuItemConstructorOptions, WebFrameMain } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/api/dispatch';
import { ipcCallChannel } from '../../src/api/ipcChannels';
import { AppService } from '../../src/engine/app/AppService';
import { withProjectPathRules } from '../../src/engine/app/projectPathRules';
import { bindContract } from '../../src/main/ipc';
import { menuTemplate } from '../../src/main/menuTemplate';
import { installPermissionPolicy, permissionAllowed, type PermissionSession } from '../../src/main/permissions';
import { tempDir } from './fixtures';

/*
 * The Electron shell's security decisions, tested in Node (issue 10, item 8, and item 7's "the
 * IPC handlers apply the same path rules"): the menu of a packaged build, the permission policy
 * on a session, and the IPC handlers composed as src/main/index.ts composes them.
 */

const roles = (template: MenuItemConstructorOptions[]): string[] =>
  template.flatMap((i) => [...(i.role ? [String(i.role)] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has no developer tools in a packaged build (${platform})`, () => {
      const packaged = roles(menuTemplate(() => {}, { appName: 'Lacuna', platform, packaged: true }));
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged).not.toContain('forceReload');
      expect(packaged).toContain('togglefullscreen');
      const dev = roles(menuTemplate(() => {}, { appName: 'Lacuna', platform, packaged: false }));
      expect(dev).toContain('toggleDevTools');
    });
  }

  it('forwards project commands to the renderer', () => {
    const sent: string[] = [];
    const file = menuTemplate((c) => sent.push(c), { appName: 'Lacuna', platform: 'linux', packaged: true })[0];
    const save = (file.submenu as MenuItemConstructorOptions[]).find((i) => i.label === 'Save As…')!;
    (save.click as () => void)();
    expect(sent).toEqual(['project.saveAs']);
  });

  it('has File ▸ Import Timeline… and Export Timeline…, forwarded like the project commands', () => {
    const sent: string[] = [];
    const file = menuTemplate((c) => sent.push(c), { appName: 'Lacuna', platform: 'linux', packaged: false })[0];
    const items = file.submenu as MenuItemConstructorOptions[];
    for (const label of ['Import Timeline…', 'Export Timeline…']) (items.find((i) => i.label === label)!.click as () => void)();
    expect(sent).toEqual(['timeline.import', 'timeline.export']);
    // Ctrl+Shift+I stays the developer tools'.
    expect(items.find((i) => i.label === 'Import Timeline…')!.accelerator).toBeUndefined();
  });
});

describe('web permissions', () => {
  const own = (url: string) => url === 'file:///app/out/renderer/index.html';

  it('are denied by default, for every page and every permission but the few our page uses', () => {
    for (const p of ['media', 'geolocation', 'midi', 'midiSysex', 'openExternal', 'hid', 'serial', 'usb', 'display-capture', 'pointerLock', 'idle-detection']) {
      expect(permissionAllowed(p, 'file:///app/out/renderer/index.html', own), p).toBe(false);
    }
    expect(permissionAllowed('fullscreen', 'file:///app/out/renderer/index.html', own)).toBe(true);
    expect(permissionAllowed('fullscreen', 'https://example.com/', own)).toBe(false);
    expect(permissionAllowed('fullscreen', undefined, own)).toBe(false);
  });

  it('are enforced by request, check and device handlers on the session', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => void (handlers.request = h),
      setPermissionCheckHandler: (h: never) => void (handlers.check = h),
      setDevicePermissionHandler: (h: never) => void (handlers.device = h),
    } as unknown as PermissionSession;
    installPermissionPolicy(session, own);
    const page = { getURL: () => 'file:///app/out/renderer/index.html' };
    const answers: boolean[] = [];
    const request = handlers.request as unknown as (wc: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void;
    request(page, 'media', (ok) => answers.push(ok), { requestingUrl: 'file:///app/out/renderer/index.html' });
    request(page, 'fullscreen', (ok) => answers.push(ok), { requestingUrl: 'file:///app/out/renderer/index.html' });
    // An iframe of another origin inside our page asks in its own name.
    request(page, 'fullscreen', (ok) => answers.push(ok), { requestingUrl: 'https://ads.example/' });
    expect(answers).toEqual([false, true, false]);
    const check = handlers.check as unknown as (wc: unknown, p: string, origin: string, d: unknown) => boolean;
    expect(check(page, 'media', 'file:///', { requestingUrl: 'file:///app/out/renderer/index.html' })).toBe(false);
    expect(check(null, 'fullscreen', 'https://x.example', {})).toBe(false);
    expect((handlers.device as unknown as () => boolean)()).toBe(false);
  });
});

describe('IPC handlers', () => {
  let tmp: { dir: string; cleanup: () => void };
  let service: AppService;
  const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();

  beforeAll(async () => {
    tmp = tempDir('lacuna-ipc-');
    service = await AppService.create({
      host: { kind: 'electron', nativeDialogs: true },
      appName: 'Lacuna',
      appVersion: '0.0.0',
      versions: {},
      dataDir: join(tmp.dir, 'data'),
      emit: () => {},
      engines: [],
    });
    // Composed as src/main/index.ts does: the engine's handlers under the shared path rules.
    const dispatch = createDispatcher({ ...withProjectPathRules(service.handlers) } as never);
    const ipcMain = { handle: (channel: string, h: never) => handlers.set(channel, h), removeHandler: () => {} } as unknown as IpcMain;
    bindContract(ipcMain, dispatch, (frame: WebFrameMain | null) => frame !== null);
  });
  afterAll(async () => {
    await service.dispose();
    tmp.cleanup();
  });

  const invoke = (name: string, input: unknown) => handlers.get(ipcCallChannel(name))!({ senderFrame: {} }, input) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;

  it('apply the same open and save rules as the bridge', async () => {
    const key = join(tmp.dir, 'id_rsa');
    writeFileSync(key, 'SECRET KEY LINE\n');
    const opened = await invoke('project.open', { path: key, discardChanges: true });
    expect(opened.ok).toBe(false);
    expect(opened.error!.code).toBe('PROJECT_INVALID');
    expect(JSON.stringify(opened)).not.toContain('SECRET');

    expect((await invoke('project.new', { name: 'Cut', discardChanges: true })).ok).toBe(true);
    const notes = join(tmp.dir, 'notes.lacuna');
    writeFileSync(notes, 'not a project');
    const saved = await invoke('project.saveAs', { path: notes });
    expect(saved.error!.code).toBe('OUTPUT_EXISTS');
  });
});
