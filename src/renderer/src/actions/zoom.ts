import { currentSequence, sequenceLength } from '../store/selectors';
import { scrollForZoom, zoomStep, zoomToFit } from '../timeline/geometry';
import type { AppState } from '../store/appStore';
import type { Action } from './types';
import { mod } from './types';

/** Zooms keeping the playhead where it is on screen (the wheel zooms around the pointer instead). */
function zoomBy(s: AppState, dir: 1 | -1, width: number): Partial<AppState> {
  const zoom = zoomStep(s.zoom, dir);
  const anchor = Math.min(Math.max(0, s.program.frame * s.zoom - s.scrollX), width);
  return { zoom, scrollX: scrollForZoom(s.scrollX, anchor, s.zoom, zoom) };
}

const noMod = (e: KeyboardEvent) => !mod(e) && !e.altKey;

export const zoomIn: Action = { name: 'zoomIn', label: 'Zoom In', shortcut: '+', keyTest: (e) => noMod(e) && (e.key === '+' || e.key === '='), perform: (s, ctx) => zoomBy(s, 1, ctx.timelineWidth()) };
export const zoomOut: Action = { name: 'zoomOut', label: 'Zoom Out', shortcut: '−', keyTest: (e) => noMod(e) && (e.key === '-' || e.key === '_'), perform: (s, ctx) => zoomBy(s, -1, ctx.timelineWidth()) };
export const zoomFit: Action = {
  name: 'zoomFit',
  label: 'Zoom to Fit',
  shortcut: 'Shift+Z',
  keyTest: (e) => noMod(e) && e.shiftKey && e.key.toLowerCase() === 'z',
  perform: (s, ctx) => ({ zoom: zoomToFit(sequenceLength(currentSequence(s)) || 240, ctx.timelineWidth()), scrollX: 0 }),
};
