import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Only src/main and src/preload may touch Electron. The engine runs in the CLI, in render-farm
 * workers and in tests; the API contract and the renderer must load in a plain browser. ESLint
 * enforces this too; this test is the backstop that also catches require() and dynamic import().
 */
const root = join(import.meta.dirname, '../..');
const GUARDED = ['src/engine', 'src/cli', 'src/api', 'src/renderer'];
const ELECTRON_IMPORT = [
  /\bfrom\s+['"]electron(\/[^'"]*)?['"]/,
  /\brequire\(\s*['"]electron(\/[^'"]*)?['"]\s*\)/,
  /\bimport\(\s*['"]electron(\/[^'"]*)?['"]\s*\)/,
  /^\s*import\s+['"]electron(\/[^'"]*)?['"]/m,
];

function sources(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(c|m)?(t|j)sx?$/.test(name) ? [p] : [];
  });
}

describe('layering', () => {
  it('finds the sources it guards', () => {
    for (const dir of ['src/engine', 'src/api', 'src/renderer']) expect(sources(join(root, dir)).length).toBeGreaterThan(0);
  });

  it.each(GUARDED)('nothing under %s imports electron', (dir) => {
    const offenders = sources(join(root, dir)).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return ELECTRON_IMPORT.some((re) => re.test(text));
    });
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('the patterns catch every form of import', () => {
    const forms = [
      "import { app } from 'electron';",
      'import type { IpcMain } from "electron";',
      "const { app } = require('electron');",
      "await import('electron/main');",
      "import 'electron';",
    ];
    for (const text of forms) expect(ELECTRON_IMPORT.some((re) => re.test(text)), text).toBe(true);
    expect(ELECTRON_IMPORT.some((re) => re.test("import x from 'electron-vite';"))).toBe(false);
  });
});
