import type { ProgramPicture } from '../viewer/programMap';
import { useAppStore } from '../store/appStore';
import { objectColour, objectName } from './objectNames';
import { togglePick } from './removalRequests';

/**
 * The Find preview over the program picture: each object found at this frame as a box with its
 * name, the picked ones tinted, the others grey and dashed. Clicking one adds it to the picks or
 * takes it out. The SVG uses the picture's own pixels as its coordinates and the same "contain"
 * fit as the video, so boxes sit on the objects at any viewer size.
 */
export function FindOverlay({ pic }: { pic: ProgramPicture }) {
  const d = useAppStore((s) => s.removal);
  const find = d?.find;
  if (!d || !find || find.clipId !== pic.clip.id || find.takeId !== pic.take.id) return null;
  const i = pic.takeFrame - find.rangeStart;
  const font = Math.max(10, find.height / 22);
  return (
    <svg className="find-overlay" viewBox={`0 0 ${find.width} ${find.height}`} preserveAspectRatio="xMidYMid meet" data-testid="find-overlay">
      {find.objects.map((o) => {
        const b = o.boxes[i];
        if (!b) return null;
        const picked = d.chosen.includes(o.id);
        const colour = picked ? objectColour(o.id) : '#9aa0a6';
        const name = objectName(find, o);
        return (
          <g
            key={o.id}
            className={`found ${picked ? 'picked' : 'other'}`}
            data-testid="found-object"
            data-picked={picked}
            aria-label={`${name}${picked ? ', will be removed' : ''}`}
            onPointerDown={(e) => {
              e.stopPropagation();
              togglePick(o.id);
            }}
          >
            <rect x={b[0]} y={b[1]} width={b[2]} height={b[3]} fill={picked ? colour : '#000'} fillOpacity={picked ? 0.35 : 0.25} stroke={colour} strokeWidth={Math.max(1.5, find.width / 300)} strokeDasharray={picked ? undefined : '6 4'} />
            <text x={b[0] + 3} y={Math.max(font, b[1] - 4)} fontSize={font} fill={colour} stroke="#000" strokeWidth={font / 6} paintOrder="stroke">
              {name}
              {picked ? ' · remove' : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
