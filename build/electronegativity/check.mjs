#!/usr/bin/env node
/*
 * Electronegativity (Doyensec's Electron security scanner) over the sources and the built app:
 *   node build/electronegativity/check.mjs src out
 * Fails (exit 1) on any HIGH or MEDIUM finding that reasons.json does not explain. Each reason
 * names the check, the scanned folder, the file (relative to it; "*" for any) and why the finding
 * does not apply or is accepted. Reasons that matched nothing are listed (remove them when stale).
 * A folder may be given relative to the repository or absolute (tests scan fixtures).
 *
 * Its programmatic API is used because its CLI does not start with the commander version npm
 * hoists here (`_commander2.default.version is not a function`).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const require = createRequire(join(root, 'package.json'));
const run = require('@doyensec/electronegativity');
const electronVersion = require('electron/package.json').version;
const reasons = JSON.parse(readFileSync(join(here, 'reasons.json'), 'utf8')).reasons;

// It fetches Electron's release list from GitHub to look for newer security releases, which no
// offline machine (CI here) can reach; the Electron version is kept current by dependency updates.
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];
const SERIOUS = new Set(['HIGH', 'MEDIUM']);

/**
 * A copy of `dir` to scan, its JavaScript lowered to ES2020 by esbuild: the scanner's AST walker
 * stops at syntax newer than that (`Unknown node type ClassPrivateProperty` on the main bundle's
 * private fields), which would leave the built main process unscanned. Only syntax changes;
 * every call and option the checks look for is kept, and so are the file names.
 */
function lowered(dir, target) {
  const esbuild = require('esbuild');
  const copy = join(root, '.tmp/electronegativity', target);
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  cpSync(dir, copy, { recursive: true });
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m|c)?js$/.test(e.name)) {
        const code = readFileSync(p, 'utf8');
        writeFileSync(p, esbuild.transformSync(code, { target: 'es2020', loader: 'js', legalComments: 'inline' }).code);
      }
    }
  };
  walk(copy);
  return copy;
}

const targets = process.argv.slice(2);
if (!targets.length) {
  console.error('usage: check.mjs <folder>...  (e.g. src out)');
  process.exit(2);
}

const used = new Set();
let unexplained = 0;
let explained = 0;
for (const target of targets) {
  const input = lowered(resolve(root, target), target.replace(/[^\w.-]+/g, '_'));
  const result = await run({ input, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: EXCLUDED });
  const hardErrors = result.errors.filter((e) => !e.tolerable);
  for (const e of hardErrors) console.error(`electronegativity: ${target}: could not parse ${relative(input, e.file)}: ${e.message}`);
  if (hardErrors.length) unexplained += hardErrors.length;
  for (const issue of result.issues) {
    const severity = issue.severity.name;
    const where = `${target}/${issue.file}:${issue.location.line}:${issue.location.column}`;
    if (!SERIOUS.has(severity)) {
      console.log(`  ${severity.padEnd(13)} ${issue.id} ${where}`);
      continue;
    }
    const i = reasons.findIndex((r) => r.check === issue.id && r.target === target && (r.file === '*' || r.file === issue.file));
    if (i >= 0) {
      used.add(i);
      explained++;
      console.log(`  ${severity.padEnd(13)} ${issue.id} ${where} — explained: ${reasons[i].reason}`);
    } else {
      unexplained++;
      console.log(`✗ ${severity.padEnd(13)} ${issue.id} ${where} — NOT EXPLAINED (${issue.shortenedURL})`);
    }
  }
}
reasons.forEach((r, i) => {
  if (!used.has(i) && targets.includes(r.target)) console.log(`  (reason not used in this run: ${r.check} in ${r.target}/${r.file})`);
});
console.log(`electronegativity: ${explained} high/medium finding(s) explained in build/electronegativity/reasons.json, ${unexplained} not`);
process.exit(unexplained ? 1 : 0);
