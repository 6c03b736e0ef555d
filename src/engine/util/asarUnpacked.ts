/**
 * Maps a path inside Electron's app.asar archive to its unpacked twin (app.asar.unpacked, where
 * electron-builder's asarUnpack puts them): the OS cannot execute a binary inside the archive, and
 * a worker thread loading a native module should not depend on the archive being readable there.
 * Paths outside an archive come back unchanged.
 */
export function asarUnpacked(p: string): string {
  return p.replace(`app.asar${'/'}`, `app.asar.unpacked/`).replace('app.asar\\', 'app.asar.unpacked\\');
}
