import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import { callNames } from '../api/contract';
import type { Dispatch } from '../api/dispatch';
import { failure } from '../api/envelope';
import { ipcCallChannel, ipcEventChannel } from '../api/ipcChannels';

/**
 * Binds every contract call to the dispatcher, one ipcMain.handle per channel, all alike: the
 * dispatcher validates input and output and turns errors into envelopes, so nothing here knows
 * any channel. A call from a frame we did not load (an iframe, a page navigated elsewhere) is
 * refused: Electron's security checklist, "validate the sender of all IPC messages".
 */
export function bindContract(
  ipcMain: IpcMain,
  dispatch: Dispatch,
  isTrustedFrame: (frame: WebFrameMain | null) => boolean,
): () => void {
  for (const name of callNames) {
    ipcMain.handle(ipcCallChannel(name), (event, input: unknown) => {
      if (!isTrustedFrame(event.senderFrame)) {
        return failure({ code: 'FORBIDDEN', message: `${name}: caller is not Lacuna's own page` });
      }
      return dispatch(name, input);
    });
  }
  return () => callNames.forEach((name) => ipcMain.removeHandler(ipcCallChannel(name)));
}

/** Sends an (already validated) event to every live window. */
export function broadcast(targets: () => WebContents[], name: string, payload: unknown): void {
  for (const wc of targets()) {
    if (!wc.isDestroyed()) wc.send(ipcEventChannel(name), payload);
  }
}
