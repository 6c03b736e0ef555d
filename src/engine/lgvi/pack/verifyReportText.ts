// The plain-text form of a VerifyReport, as `lacuna models verify` prints it. Kept beside the
// report so the CLI and any log that records a verification say the same thing.
import { PROVIDER_TITLES } from './executionProviders';
import { describePackMemory } from './memoryEstimate';
import type { VerifyReport } from './verifyPack';

const STATUS_TEXT: Record<string, string> = {
  ok: 'ok',
  missing: 'MISSING',
  'wrong-size': 'WRONG SIZE',
  'bad-checksum': 'BAD CHECKSUM',
  unreadable: 'UNREADABLE',
  'bad-tensors': 'TENSORS DO NOT MATCH MANIFEST',
  unloadable: 'CANNOT BE LOADED',
  'bad-format': 'BAD FORMAT',
};

export function formatVerifyReport(report: VerifyReport): string {
  const lines: string[] = [`Model pack ${report.dir}`];
  if (report.manifest.ok) {
    const m = report.manifest;
    lines.push(`  manifest.json: ok (${m.name} ${m.version}, id ${m.id}; mask at ${m.maskResolution} size)`);
  } else {
    lines.push('  manifest.json: INVALID');
    for (const p of report.manifest.problems) lines.push(`    ${p.field}: ${p.message}`);
  }
  for (const f of report.files) {
    const what = f.variant === 'fp16' ? `${f.path} (fp16)` : f.path;
    const how = f.status === 'ok' && f.checksum ? ` (checksum ${f.checksum})` : '';
    lines.push(`  ${what}: ${STATUS_TEXT[f.status] ?? f.status}${how}`);
    for (const p of f.problems) lines.push(`    ${p}`);
  }
  lines.push('  execution providers:');
  for (const s of report.providers.statuses) {
    lines.push(`    ${PROVIDER_TITLES[s.name]}: ${s.available ? 'available' : 'not available'} (${s.reason})`);
  }
  lines.push(`    will try: ${report.providers.candidates.join(' -> ') || 'none'} (setting: ${report.providers.preference})`);
  if (report.manifest.ok && report.packManifest) lines.push(...describePackMemory(report.packManifest).map((l) => `  ${l}`));
  if (!report.cacheWritten) lines.push('  note: could not write the verified-checksum cache; files will be hashed again next time');
  lines.push(report.ok ? 'Pack is OK.' : 'Pack has problems (see above).');
  return lines.join('\n');
}
