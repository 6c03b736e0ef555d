import type { Action } from './types';
import { mod } from './types';

/* The project-level commands: the same flows as the project bar and the desktop menu (useProjectCommands). */
const key = (k: string, shift = false) => (e: KeyboardEvent) => mod(e) && e.shiftKey === shift && e.key.toLowerCase() === k;

export const undo: Action = {
  name: 'undo',
  label: (s) => (s.project?.history.undoLabel ? `Undo ${s.project.history.undoLabel}` : 'Undo'),
  shortcut: 'Ctrl+Z',
  menuCommand: 'edit.undo',
  keyTest: key('z'),
  enabled: (s) => !!s.project?.history.canUndo,
  perform: (_s, ctx) => ctx.commands.undo(),
};

export const redo: Action = {
  name: 'redo',
  label: (s) => (s.project?.history.redoLabel ? `Redo ${s.project.history.redoLabel}` : 'Redo'),
  shortcut: 'Ctrl+Shift+Z',
  menuCommand: 'edit.redo',
  keyTest: (e) => key('z', true)(e) || key('y')(e),
  enabled: (s) => !!s.project?.history.canRedo,
  perform: (_s, ctx) => ctx.commands.redo(),
};

export const save: Action = {
  name: 'save',
  label: 'Save',
  shortcut: 'Ctrl+S',
  menuCommand: 'project.save',
  keyTest: key('s'),
  enabled: (s) => !!s.project,
  perform: async (_s, ctx) => void (await ctx.commands.save()),
};

export const saveAs: Action = {
  name: 'saveAs',
  label: 'Save As…',
  shortcut: 'Ctrl+Shift+S',
  menuCommand: 'project.saveAs',
  keyTest: key('s', true),
  enabled: (s) => !!s.project,
  perform: async (_s, ctx) => void (await ctx.commands.saveAs()),
};

export const newProject: Action = { name: 'newProject', label: 'New Project', menuCommand: 'project.new', perform: (_s, ctx) => ctx.commands.newProject() };
export const openProject: Action = { name: 'openProject', label: 'Open Project…', menuCommand: 'project.open', perform: (_s, ctx) => ctx.commands.openProject() };
export const importMedia: Action = {
  name: 'importMedia',
  label: 'Import Media…',
  shortcut: 'Ctrl+I',
  menuCommand: 'media.import',
  keyTest: key('i'),
  enabled: (s) => !!s.project,
  perform: (_s, ctx) => ctx.commands.importMedia(),
};
