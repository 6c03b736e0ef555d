import type { HostHandlers } from '../../../api/contract';
import { createDispatcher, createEmitter } from '../../../api/dispatch';
import { installedRemovalEngines } from '../../removal/installedEngines';
import { LacunaError } from '../../util/errors';
import type { FarmRedisConfig } from '../../farm/redisConnection';
import { AppService } from '../AppService';
import { createMediaHandler } from '../media/mediaHandler';
import { withProjectPathRules } from '../projectPathRules';
import { EventHub } from './eventHub';
import { startHttpBridge, type HttpBridge } from './httpBridge';

export interface BrowserHostOptions {
  /** Where the engine keeps its state (job outputs of unsaved projects, the job journal). */
  dataDir: string;
  /** Built renderer to serve (out/renderer), or null for the API only. */
  rendererDir: string | null;
  port?: number;
  appVersion?: string;
  log?: (message: string, error?: unknown) => void;
  /** The render farm's Redis (default: LACUNA_REDIS_URL). */
  farm?: FarmRedisConfig;
}

export interface BrowserHost {
  /** What a user's browser opens once: the bridge's address with its access token (see accessToken.ts). */
  readonly url: string;
  /** http://127.0.0.1:<port>, the address without the token. */
  readonly origin: string;
  /** The access token, for programs: `Authorization: Bearer <token>`. */
  readonly token: string;
  readonly service: AppService;
  close(): Promise<void>;
}

/** No native dialogs in a browser: the renderer asks for typed paths instead (app.info says so). */
const noDialogs = (): HostHandlers => {
  const unsupported = async (): Promise<never> => {
    throw new LacunaError('UNSUPPORTED', 'there are no native file dialogs in the browser', 'Type the path instead.');
  };
  return {
    'dialog.openMedia': unsupported,
    'dialog.openProject': unsupported,
    'dialog.saveProject': unsupported,
    'dialog.saveTimeline': unsupported,
    'dialog.openTimeline': unsupported,
    'dialog.openFolder': unsupported,
  };
};

/**
 * The engine hosted for a browser: the same AppService and dispatcher the Electron main process
 * uses, served over the HTTP bridge. Tests start one per run in a temp folder; it also lets
 * the UI be worked on with nothing but Node and a browser.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log = options.log ?? ((m: string, e?: unknown) => console.error(`lacuna: ${m}`, e ?? ''));
  const events = new EventHub();
  const emit = createEmitter((name, payload) => events.publish(name, payload), { onBug: (c, e) => log(`bad event ${c}`, e) });
  const service = await AppService.create({
    host: { kind: 'browser', nativeDialogs: false },
    appName: 'Lacuna',
    appVersion: options.appVersion ?? '0.0.0',
    versions: { node: process.versions.node },
    dataDir: options.dataDir,
    emit,
    log,
    engines: installedRemovalEngines(),
    ...(options.farm && { farm: options.farm }),
  });
  const dispatch = createDispatcher({ ...withProjectPathRules(service.handlers), ...noDialogs() }, { onBug: (c, e) => log(`bug in ${c}`, e) });
  let bridge: HttpBridge;
  try {
    bridge = await startHttpBridge({
      dispatch,
      events,
      media: createMediaHandler({ media: (p) => service.servableMedia(p), ffmpeg: () => service.ffmpegPath(), proxy: () => service.proxySettings(), log }),
      staticDir: options.rendererDir,
      port: options.port,
      log,
    });
  } catch (e) {
    await service.dispose();
    throw e;
  }
  return {
    url: bridge.url,
    origin: bridge.origin,
    token: bridge.token,
    service,
    close: async () => {
      await bridge.close();
      await service.dispose();
    },
  };
}
