import { describe, expect, it } from 'vitest';
import { readFcp7Xml } from '../../src/engine/interchange/fcp7xml';
import { readFcpxml } from '../../src/engine/interchange/fcpxml';
import type { IxNote } from '../../src/engine/interchange/model';
import { readOtio } from '../../src/engine/interchange/otio';
import { rateFromFloat } from '../../src/engine/interchange/rates';

/*
 * Files as other NLEs write them, with what Lacuna cannot hold: each is reported (kind, where,
 * what was done instead) and the rest comes in at the right place.
 */

const kinds = (notes: IxNote[]) => notes.map((n) => n.kind).sort();

describe('OTIO from another tool', () => {
  const rt = (value: number, rate = 24) => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });
  const range = (start: number, duration: number, rate = 24) => ({ OTIO_SCHEMA: 'TimeRange.1', start_time: rt(start, rate), duration: rt(duration, rate) });
  const ext = (url: string) => ({ OTIO_SCHEMA: 'ExternalReference.1', target_url: url, available_range: range(86400, 500) });
  const doc = {
    OTIO_SCHEMA: 'Timeline.1',
    name: 'Resolve cut',
    global_start_time: rt(86400),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      children: [
        {
          OTIO_SCHEMA: 'Track.1',
          kind: 'Video',
          name: 'Video 1',
          children: [
            { OTIO_SCHEMA: 'Clip.1', name: 'one', source_range: range(86410, 48), media_reference: ext('file:///m/one.mov'), effects: [{ OTIO_SCHEMA: 'LinearTimeWarp.1', time_scalar: 2 }], markers: [{ OTIO_SCHEMA: 'Marker.2' }] },
            { OTIO_SCHEMA: 'Transition.1', transition_type: 'SMPTE_Dissolve', in_offset: rt(6), out_offset: rt(6) },
            { OTIO_SCHEMA: 'Gap.1', source_range: range(0, 24) },
            { OTIO_SCHEMA: 'Stack.1', source_range: range(0, 30), children: [] },
            { OTIO_SCHEMA: 'Clip.2', name: 'two', source_range: range(86420, 12), media_references: { DEFAULT_MEDIA: { OTIO_SCHEMA: 'MissingReference.1' } }, active_media_reference_key: 'DEFAULT_MEDIA' },
            { OTIO_SCHEMA: 'Clip.2', name: 'three', source_range: range(86400, 10), media_references: { DEFAULT_MEDIA: ext('/m/three.mov') }, active_media_reference_key: 'DEFAULT_MEDIA' },
          ],
        },
      ],
    },
  };

  it('reports the speed change, marker, transition, nested stack and missing reference; places the rest', () => {
    const r = readOtio(JSON.stringify(doc), '/m');
    expect(kinds(r.notes)).toEqual(['marker', 'media', 'nested', 'speed', 'transition']);
    const clips = r.timeline.tracks[0].clips;
    expect(clips.map((c) => [c.name, c.position, c.duration, c.shown.sourceIn])).toEqual([
      ['one', 0, 48, 10],
      ['three', 48 + 24 + 30 + 12, 10, 0],
    ]);
    expect(r.timeline.startTimecode).toBe('01:00:00:00');
    expect(r.timeline.tracks[0].name).toBe('Video 1');
  });

  it('reads NTSC rates however they are written', () => {
    for (const v of [23.976, 23.976023976023978, 29.97, 29.97002997002997, 59.94]) expect(rateFromFloat(v).den).toBe(1001);
    expect(rateFromFloat(25)).toEqual({ num: 25, den: 1 });
    expect(rateFromFloat(29.97)).toEqual({ num: 30000, den: 1001 });
  });

  it('refuses what is not an OTIO timeline, saying so', () => {
    expect(() => readOtio('{"OTIO_SCHEMA":"Clip.2"}', '/m')).toThrow(/not a Timeline/);
    expect(() => readOtio('{ broken', '/m')).toThrow(/not a readable OTIO file/);
  });
});

describe('FCP7 XML from Premiere', () => {
  const rate = '<rate><timebase>25</timebase><ntsc>FALSE</ntsc></rate>';
  const file = (id: string, name: string) => `<file id="${id}"><name>${name}</name><pathurl>file://localhost/m/${name}</pathurl>${rate}<duration>500</duration><timecode>${rate}<string>10:00:00:00</string><frame>900000</frame><displayformat>NDF</displayformat></timecode></file>`;
  const xml = `<?xml version="1.0"?><!DOCTYPE xmeml><xmeml version="4"><sequence id="s"><name>Prem</name><duration>200</duration>${rate}
  <timecode>${rate}<string>00:00:00:00</string><frame>0</frame><displayformat>NDF</displayformat></timecode>
  <media><video><format><samplecharacteristics><width>1280</width><height>720</height></samplecharacteristics></format>
  <track><enabled>TRUE</enabled><locked>FALSE</locked>
    <clipitem id="c1"><name>a</name><duration>500</duration>${rate}<start>0</start><end>50</end><in>10</in><out>60</out>${file('f1', 'a.mov')}
      <filter><effect><name>Time Remap</name><effectid>timeremap</effectid></effect></filter><marker><name>m</name><in>3</in></marker></clipitem>
    <transitionitem><start>45</start><end>55</end><effect><name>Cross Dissolve</name></effect></transitionitem>
    <clipitem id="c2"><name>b</name><duration>500</duration>${rate}<start>-1</start><end>80</end><in>0</in><out>30</out><file id="f1"/></clipitem>
    <clipitem id="c3"><name>nest</name><start>80</start><end>100</end><sequence id="n"/></clipitem>
    <clipitem id="c4"><name>mc</name><start>100</start><end>120</end><multiclip id="m"/></clipitem>
    <clipitem id="c5"><name>off</name><start>120</start><end>130</end><in>0</in><out>10</out><file id="f9"><name>gone</name></file></clipitem>
    <generatoritem><name>Slug</name><start>130</start><end>140</end></generatoritem>
  </track></video></media></sequence></xmeml>`;

  it('reports transitions, the time remap, markers, nested and multicam clips, generators and offline files', () => {
    const r = readFcp7Xml(xml, '/m');
    expect(kinds(r.notes)).toEqual(['effect', 'marker', 'media', 'multicam', 'nested', 'speed', 'transition', 'transition']);
    const clips = r.timeline.tracks[0].clips;
    expect(clips.map((c) => [c.name, c.position, c.duration, c.shown.sourceIn, c.shown.sourceOut])).toEqual([
      ['a', 0, 50, 10, 60],
      ['b', 50, 30, 0, 30],
    ]);
    expect(clips[1].shown.media).toBe(clips[0].shown.media);
    expect(clips[0].shown.media.startFrame).toBe(900000);
    expect([r.timeline.width, r.timeline.height]).toEqual([1280, 720]);
  });
});

describe('FCPXML from Final Cut', () => {
  const xml = `<?xml version="1.0"?><!DOCTYPE fcpxml><fcpxml version="1.9"><resources>
    <format id="r1" frameDuration="100/2500s" width="1920" height="1080"/>
    <asset id="r2" name="a" start="36000s" duration="20s" hasVideo="1" format="r1" hasAudio="1"><media-rep kind="original-media" src="file:///m/a.mov"/></asset>
    <media id="r3" name="compound"><sequence format="r1"><spine/></sequence></media>
  </resources><library><event name="E"><project name="P"><sequence format="r1" tcStart="3600s" tcFormat="NDF" duration="10s"><spine>
    <asset-clip ref="r2" offset="3600s" name="a" start="36001s" duration="2s"><title ref="r9" lane="1" offset="36001s" name="Lower third" duration="1s"/><timeMap/></asset-clip>
    <transition name="Cross Dissolve" offset="3601s" duration="1s"/>
    <ref-clip ref="r3" offset="3602s" name="compound" duration="1s"/>
    <mc-clip ref="r4" offset="3603s" name="multi" duration="1s"/>
    <asset-clip ref="r2" offset="3604s" name="a again" start="36010s" duration="1s"/>
  </spine></sequence></project></event></library></fcpxml>`;

  it('reports the title, speed map, transition, compound and multicam clips; places the asset clips', () => {
    const r = readFcpxml(xml, '/m');
    expect(kinds(r.notes)).toEqual(['effect', 'multicam', 'nested', 'speed', 'transition']);
    const clips = r.timeline.tracks[0].clips;
    expect(clips.map((c) => [c.name, c.position, c.duration, c.shown.sourceIn])).toEqual([
      ['a', 0, 50, 25],
      ['a again', 100, 25, 250],
    ]);
    expect(r.timeline.startTimecode).toBe('01:00:00:00');
  });
});
