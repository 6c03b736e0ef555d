import type { SequenceDto } from '../../../api/schemas/project';
import { rulerStep } from './geometry';
import { sequenceTimecode } from './timecode';

/** Timecode ruler at the sequence's rate: labelled major ticks, minor ticks between, only the visible span drawn. */
export function Ruler({ sequence, zoom, scrollX, width }: { sequence: SequenceDto; zoom: number; scrollX: number; width: number }) {
  const { major, minor } = rulerStep(zoom, sequence.fps);
  const first = Math.floor(scrollX / zoom / minor) * minor;
  const last = Math.ceil((scrollX + width) / zoom);
  const ticks: { f: number; major: boolean }[] = [];
  for (let f = first; f <= last && ticks.length < 2000; f += minor) ticks.push({ f, major: f % major === 0 });
  return (
    <div className="ruler-ticks">
      {ticks.map(({ f, major: m }) => (
        <div key={f} className={`tick${m ? ' major' : ''}`} style={{ left: f * zoom }}>
          {m && <span className="tick-label">{sequenceTimecode(f, sequence.fps, sequence.startTimecode)}</span>}
        </div>
      ))}
    </div>
  );
}
