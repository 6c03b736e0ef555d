import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures';

/*
 * The Electron fuses in build/electron-builder.yml (issue 10, item 8), followed as far as this
 * machine can without an Electron binary: the config is valid for electron-builder, electron-
 * builder turns it into the fuse settings it flips before signing (its own generateFuseConfig),
 * and @electron/fuses flips exactly those fuses in a binary laid out as Electron's is (sentinel,
 * wire version, wire length, one byte per fuse, shipped with Electron's defaults).
 */
const root = join(import.meta.dirname, '../..');
const require = createRequire(join(root, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>> } };
};
// The @electron/fuses electron-builder itself uses (resolved from it, not from us).
const builderRequire = createRequire(require.resolve('app-builder-lib'));
const fuses = builderRequire('@electron/fuses') as {
  FuseV1Options: Record<string, number>;
  flipFuses(path: string, config: unknown): Promise<number>;
  getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
};
const { SENTINEL, FuseState } = builderRequire('@electron/fuses/dist/constants.js') as { SENTINEL: string; FuseState: Record<string, number> };

const config = yaml.load(readFileSync(join(root, 'build/electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };

describe('Electron fuses in build/electron-builder.yml', () => {
  it('are set as the hardening asks, in a config electron-builder accepts', async () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('are flipped in the binary electron-builder packs', async () => {
    const generated = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    const { FuseV1Options: O } = fuses;
    const S = FuseState;
    // Electron 45's wire: 8 fuses, as shipped (RunAsNode, NodeOptions, inspect and file:// privileges on).
    const shipped = [S.ENABLE, S.DISABLE, S.ENABLE, S.ENABLE, S.DISABLE, S.DISABLE, S.DISABLE, S.ENABLE];
    const tmp = tempDir('lacuna-fuses-');
    try {
      const binary = join(tmp.dir, 'electron');
      writeFileSync(binary, Buffer.concat([Buffer.alloc(512, 7), Buffer.from(SENTINEL), Buffer.from([1, shipped.length, ...shipped]), Buffer.alloc(512, 7)]));
      await fuses.flipFuses(binary, generated);
      const wire = await fuses.getCurrentFuseWire(binary);
      expect(wire[O.RunAsNode]).toBe(S.DISABLE);
      expect(wire[O.EnableNodeOptionsEnvironmentVariable]).toBe(S.DISABLE);
      expect(wire[O.EnableNodeCliInspectArguments]).toBe(S.DISABLE);
      expect(wire[O.EnableEmbeddedAsarIntegrityValidation]).toBe(S.ENABLE);
      expect(wire[O.OnlyLoadAppFromAsar]).toBe(S.ENABLE);
      expect(wire[O.EnableCookieEncryption]).toBe(S.ENABLE);
      expect(wire[O.GrantFileProtocolExtraPrivileges]).toBe(S.ENABLE); // file:// module scripts need it
    } finally {
      tmp.cleanup();
    }
  });

  it('leave nothing in the app that needs ELECTRON_RUN_AS_NODE', () => {
    // With RunAsNode off, child_process.fork of the app binary and ELECTRON_RUN_AS_NODE stop working.
    const sources = ['src/main/index.ts', 'src/engine/util/moduleWorker.ts'].map((f) => readFileSync(join(root, f), 'utf8'));
    for (const s of sources) expect(s).not.toMatch(/ELECTRON_RUN_AS_NODE|\bfork\(/);
  });
});
