import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLine, readEdl, reelNames, writeEdl } from '../../src/engine/interchange/edl';
import { PathWriter } from '../../src/engine/interchange/mediaPaths';
import type { IxMedia, IxTimeline } from '../../src/engine/interchange/model';
import { OTIO_SCHEMAS, readOtio, writeOtio } from '../../src/engine/interchange/otio';
import { writeFcp7Xml } from '../../src/engine/interchange/fcp7xml';
import { writeFcpxml } from '../../src/engine/interchange/fcpxml';
import { timecodeFrames, timecodeLabel } from '../../src/engine/interchange/rates';
import { lacuna } from '../cli/cliHarness';
import { makeFixture, type Fixture } from './fixtures';
import { canRunWith } from '../helpers/externalTools';

/*
 * Structure, checked against the published descriptions rather than our own reader: FCP7 XML and
 * FCPXML against DTDs written from Apple's element references (xmllint), OTIO against the schema
 * versions it declares, EDLs against CMX3600's columns; and 29.97 drop-frame right across the
 * hour in every format that writes timecode.
 */

const SCHEMAS = join(import.meta.dirname, 'schemas');
let f: Fixture;
const dirs: string[] = [];
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-struct-'));
  dirs.push(dir);
  f = await makeFixture(dir, { num: 30000, den: 1001 }, '01:00:59;20');
}, 240_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function xmllint(file: string, dtd: string): { ok: boolean; out: string } {
  const r = spawnSync('xmllint', ['--noout', '--dtdvalid', join(SCHEMAS, dtd), file], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stderr };
}

async function exportAs(name: string, ...args: string[]): Promise<string> {
  const out = join(f.dir, name);
  const run = await lacuna('export', f.projectPath, '-o', out, '--matte', ...args);
  expect(run.code, run.stderr).toBe(0);
  return out;
}

describe.runIf(canRunWith('xmllint'))('FCP7 XML and FCPXML validate against the published structure (xmllint)', () => {
  it('FCP7 XML (xmeml v5)', async () => {
    const r = xmllint(await exportAs('s.xml'), 'xmeml-v5-subset.dtd');
    expect(r.out).toBe('');
    expect(r.ok).toBe(true);
  });

  it.each(['1.8', '1.9', '1.10', '1.11'])('FCPXML %s', async (v) => {
    const file = await exportAs(`s-${v}.fcpxml`, '--fcpxml-version', v);
    const r = xmllint(file, 'fcpxml-1.10-subset.dtd');
    expect(r.out).toBe('');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`<fcpxml version="${v}">`);
    // Every time attribute is rational seconds; 1.9 on name files in media-rep, 1.8 as src.
    for (const m of text.matchAll(/ (offset|start|duration|tcStart|frameDuration)="([^"]*)"/g)) expect(m[2]).toMatch(/^(0|\d+(\/\d+)?)s$/);
    expect(text.includes('<media-rep')).toBe(v !== '1.8');
  });

  it('the DTD check can fail: a clipitem without its file is refused', async () => {
    const file = await exportAs('broken.xml');
    const text = readFileSync(file, 'utf8').replace(/<file id="file-1">[\s\S]*?<\/file>/, '');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, text);
    expect(xmllint(file, 'xmeml-v5-subset.dtd').ok).toBe(false);
  });
});

describe('OTIO declares the schema versions it writes', () => {
  it('every object is one of Timeline.1, Stack.1, Track.1, Clip.2, ExternalReference.1, Gap.1 (plus time values)', async () => {
    const text = readFileSync(await exportAs('s.otio'), 'utf8');
    const seen = new Set([...text.matchAll(/"OTIO_SCHEMA": "([^"]+)"/g)].map((m) => m[1]));
    expect([...seen].sort()).toEqual([...OTIO_SCHEMAS, 'RationalTime.1', 'TimeRange.1'].sort());
    const clip = JSON.parse(text).tracks.children[0].children.find((c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA === 'Clip.2');
    expect(clip.active_media_reference_key).toBe('DEFAULT_MEDIA');
    expect(Object.keys(clip.media_references).sort()).toEqual(['DEFAULT_MEDIA', 'matte', 'original']);
    expect(clip.media_references.DEFAULT_MEDIA.target_url).toBe(new URL(`file://${f.take}`).href);
  });
});

/** CMX3600 event line: columns as the format fixes them (1-based, inclusive). */
const COLUMNS = { event: [1, 3], reel: [6, 13], channel: [15, 19], transition: [21, 24], duration: [26, 28], srcIn: [30, 40], srcOut: [42, 52], recIn: [54, 64], recOut: [66, 76] } as const;
const col = (line: string, [a, b]: readonly [number, number]) => line.slice(a - 1, b);

describe('EDLs follow the CMX3600 column rules', () => {
  it('one file per video track; events numbered from 001; 8-character reels; C transitions; timecodes in their columns', async () => {
    const run = await lacuna('--json', 'export', f.projectPath, '-o', join(f.dir, 'cols.edl'));
    expect(run.code).toBe(0);
    for (const name of ['cols_V1.edl', 'cols_V2.edl']) {
      const text = readFileSync(join(f.dir, name), 'utf8');
      expect(text).toMatch(/^TITLE: .+\r\nFCM: DROP FRAME\r\n/);
      const events = text.split('\r\n').filter((l) => /^\d{3}  /.test(l));
      expect(events.length).toBeGreaterThan(0);
      events.forEach((line, i) => {
        expect(line.length).toBe(76);
        expect(col(line, COLUMNS.event)).toBe(String(i + 1).padStart(3, '0'));
        expect(line.slice(3, 5)).toBe('  ');
        expect(col(line, COLUMNS.reel)).toMatch(/^[A-Z0-9_]{1,8} *$/);
        expect(col(line, COLUMNS.channel).trim()).toMatch(/^(V|A|A[2-4])$/);
        expect(col(line, COLUMNS.transition)).toBe('C   ');
        expect(col(line, COLUMNS.duration)).toBe('   ');
        for (const k of ['srcIn', 'srcOut', 'recIn', 'recOut'] as const) expect(col(line, COLUMNS[k])).toMatch(/^\d\d:\d\d:\d\d[:;]\d\d$/);
        for (const gap of [13, 19, 24, 28, 40, 52, 64]) expect(line[gap]).toBe(' ');
      });
      const events2 = text.split('\r\n');
      // Each event is followed by its clip name and source file comments.
      const firstAt = events2.findIndex((l) => /^001  /.test(l));
      expect(events2[firstAt + 1]).toMatch(/^\* FROM CLIP NAME: /);
      expect(events2[firstAt + 2]).toMatch(/^\* SOURCE FILE: \//);
    }
    const result = run.lines.find((l) => l.type === 'result')!.value as { reels: Array<{ reel: string; file: string }> };
    expect(result.reels.map((r) => r.file).sort()).toEqual(['plateA.mov', 'plateB.mov', f.take.replace(/^.*\//, '')].sort());
    for (const r of result.reels) expect(r.reel.length).toBeLessThanOrEqual(8);
  });

  it('reel names are unique within 8 characters and never BL or AX', () => {
    const reels = reelNames(['A001_C002_0101AB.mov', 'A001_C002_0101XY.mov', 'bl.mov', 'ax.mov', 'a001 c002 0101ab.mxf']);
    const values = [...reels.values()];
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) {
      expect(v).toMatch(/^[A-Z0-9_]{1,8}$/);
      expect(['BL', 'AX']).not.toContain(v);
    }
  });

  it('eventLine pads every field to its column', () => {
    expect(eventLine(7, 'R1', 'A2', ['01:00:00:00', '01:00:01:00', '00:00:00:00', '00:00:01:00'])).toBe('007  R1       A2    C        01:00:00:00 01:00:01:00 00:00:00:00 00:00:01:00');
  });

  it('a wipe, a dissolve and a speed change in a hand-made EDL are reported, not dropped silently', () => {
    const text = [
      'TITLE: hand',
      'FCM: NON-DROP FRAME',
      '001  TAPE1    V     C        01:00:00:00 01:00:02:00 01:00:00:00 01:00:02:00',
      '002  TAPE1    V     C        01:00:04:00 01:00:04:00 01:00:02:00 01:00:02:00',
      '002  TAPE2    V     D    012 02:00:00:00 02:00:03:00 01:00:02:00 01:00:05:00',
      'M2   TAPE2       050.0                02:00:00:00',
      '003  TAPE1    V     W001 010 01:00:10:00 01:00:11:00 01:00:05:00 01:00:06:00',
    ].join('\n');
    const r = readEdl([{ name: 'hand.edl', text }], '/x', { fps: { num: 25, den: 1 } });
    expect(r.timeline.tracks[0].clips.map((c) => [c.position, c.duration])).toEqual([[0, 50], [50, 75], [125, 25]]);
    expect(r.notes.map((n) => n.kind).sort()).toEqual(['speed', 'transition', 'transition']);
  });
});

describe('29.97 drop-frame is right across the hour', () => {
  const df = { num: 30000, den: 1001 };
  it('01:00:59;29 is followed by 01:01:00;02, and 01:09:59;29 by 01:10:00;00', () => {
    const at = timecodeFrames('01:00:59;29', df)!.frames;
    expect(timecodeLabel(at + 1, df, true)).toBe('01:01:00;02');
    expect(timecodeLabel(timecodeFrames('01:09:59;29', df)!.frames + 1, df, true)).toBe('01:10:00;00');
    expect(timecodeLabel(timecodeFrames('00:59:59;29', df)!.frames + 1, df, true)).toBe('01:00:00;00');
  });

  it('a clip starting at 01:00:59;29 on the timeline is recorded there, and the next frame is 01:01:00;02, in the EDL, OTIO and FCP7 XML', () => {
    const media: IxMedia = { name: 'm.mov', path: '/m/m.mov', rate: df, frames: 100, startFrame: 0, dropFrame: true, video: { width: 16, height: 16 }, audio: null };
    const start = timecodeFrames('01:00:59;28', df)!.frames;
    const t: IxTimeline = { name: 'df', rate: df, startTimecode: timecodeLabel(start, df, true), width: 16, height: 16, sampleRate: 48000, tracks: [{ kind: 'video', name: 'V1', clips: [{ name: 'c', position: 1, duration: 1, shown: { media, sourceIn: 0, sourceOut: 1 } }] }] };
    const paths = new PathWriter('/m');
    const edl = writeEdl(t, paths).files[0].text;
    expect(edl).toContain('00:00:00;00 00:00:00;01 01:00:59;29 01:01:00;02');
    const otio = JSON.parse(writeOtio(t, paths));
    expect(otio.global_start_time.value).toBe(start);
    expect(readOtio(writeOtio(t, paths), '/m').timeline.startTimecode).toBe('01:00:59;28');
    const xml = writeFcp7Xml(t, paths);
    expect(xml).toContain('<string>01:00:59;28</string>');
    expect(xml).toContain('<displayformat>DF</displayformat>');
    const fcpxml = writeFcpxml(t, paths);
    expect(fcpxml).toContain('tcFormat="DF"');
  });

  it('the exported fixture (starting 01:00:59;20) records its first clip at 01:00:59;23 and its end past the minute', async () => {
    const text = readFileSync(join(f.dir, 'cols_V1.edl'), 'utf8');
    const v = text.split('\r\n').find((l) => /^001 /.test(l))!;
    expect(col(v, COLUMNS.recIn)).toBe('01:00:59;23');
    // 18 frames later: 59;23 + 7 → 01:01:00;02 (;00 and ;01 dropped), + 11 more → 01:01:00;13.
    expect(col(v, COLUMNS.recOut)).toBe('01:01:00;13');
  });
});

describe.runIf(canRunWith('melt', 'xmllint'))('melt is a real consumer installed here', () => {
  it('melt and xmllint are on PATH (CI installs them)', () => {
    expect(execFileSync('melt', ['-version'], { encoding: 'utf8' })).toMatch(/melt/);
    expect(spawnSync('xmllint', ['--version']).status).toBe(0);
  });
});
