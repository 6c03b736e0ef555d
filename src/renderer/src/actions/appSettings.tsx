import { SettingsDialog } from '../settings/SettingsDialog';
import { mod, type Action } from './types';

/** The app's settings (models, defaults, preview): Ctrl/Cmd+, as in every desktop app. */
export const appSettings: Action = {
  name: 'appSettings',
  label: 'Settings…',
  shortcut: 'Ctrl+,',
  menuCommand: 'app.settings',
  keyTest: (e) => mod(e) && !e.altKey && !e.shiftKey && e.key === ',',
  perform: async (_s, ctx) => {
    await ctx.ask<void>((done) => <SettingsDialog onClose={done} />);
  },
};
