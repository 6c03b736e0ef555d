// Programs some tests use as real peers: Chromium for the UI, melt / xmllint / OpenShot as the
// interchange exports' consumers, redis-server for the farm. CI installs every one of them (.ci/run)
// and there a missing one is a failure, never a skip. On a developer's or user's machine that has
// only Node and npm (the README's fresh machine), the tests that need an absent program are skipped,
// and the skip names what to install.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** Whether an executable of this name is in a folder on PATH. */
export function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Debian's Chromium (CI installs it with apt); override with LACUNA_CHROMIUM. */
export const CHROMIUM = process.env.LACUNA_CHROMIUM ?? '/usr/bin/chromium';

const present = {
  chromium: () => existsSync(CHROMIUM),
  melt: () => onPath('melt'),
  xmllint: () => onPath('xmllint'),
  'redis-server': () => onPath('redis-server'),
  // OpenShot's own importers run under Debian's python3 with its libopenshot bindings.
  openshot: () => spawnSync('/usr/bin/python3', ['-c', 'import openshot, PyQt5'], { stdio: 'ignore' }).status === 0,
} as const;

export type ExternalTool = keyof typeof present;

/** Whether tests needing these programs run here: always in CI (where absence fails them). */
export function canRunWith(...tools: ExternalTool[]): boolean {
  if (inCi) return true;
  const missing = tools.filter((t) => !present[t]());
  if (missing.length > 0 && !warned.has(missing.join())) {
    warned.add(missing.join());
    console.warn(`skipped here: needs ${missing.join(', ')} (Debian: apt-get install ${missing.map(debianPackage).join(' ')})`);
  }
  return missing.length === 0;
}

const warned = new Set<string>();

function debianPackage(tool: ExternalTool): string {
  return { chromium: 'chromium', melt: 'melt', xmllint: 'libxml2-utils', 'redis-server': 'redis-server', openshot: 'openshot-qt' }[tool];
}
