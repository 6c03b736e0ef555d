import type { Session, WebContents } from 'electron';

/**
 * Web permissions Lacuna's own page may use: HTML fullscreen for the viewer, writing to the
 * clipboard (copying a timecode or a path), and notifications (a long job ended). Everything else
 * (camera, microphone, geolocation, MIDI, HID/USB/serial devices, screen capture, …) is denied,
 * and so is every permission for any other page or frame: Electron grants them all by default.
 */
export const OWN_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write', 'notifications']);

/** The decision for one request or check: only our page, only the permissions it needs. */
export function permissionAllowed(permission: string, requestingUrl: string | null | undefined, isOwnUrl: (url: string) => boolean): boolean {
  return !!requestingUrl && OWN_PAGE_PERMISSIONS.has(permission) && isOwnUrl(requestingUrl);
}

/** The parts of an Electron session the policy sets (a plain object stands in for it in tests). */
export type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

/**
 * Installs the deny-by-default policy on a session, for requests (a page asks the user) and
 * checks (a page asks whether it has a permission) alike; device access (WebHID, WebUSB, Web
 * Serial) is never granted. The requesting URL is the frame's own (details.requestingUrl), so an
 * iframe of another origin inside our page does not inherit our permissions.
 */
export function installPermissionPolicy(session: PermissionSession, isOwnUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((webContents: WebContents, permission, callback, details) => {
    callback(permissionAllowed(permission, details?.requestingUrl ?? webContents?.getURL(), isOwnUrl));
  });
  session.setPermissionCheckHandler((webContents, permission, requestingOrigin, details) => {
    const url = details?.requestingUrl ?? webContents?.getURL() ?? requestingOrigin;
    return permissionAllowed(permission, url, isOwnUrl);
  });
  session.setDevicePermissionHandler(() => false);
}
