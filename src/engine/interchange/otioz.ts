import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { LacunaError } from '../util/errors';
import { replaceMedia } from './projectToTimeline';
import type { IxParsed, IxTimeline } from './model';
import { timelineMedia } from './model';
import { PathReader, PathWriter, type PathOptions } from './mediaPaths';
import { readOtio, writeOtio } from './otio';

/**
 * `.otioz`: OpenTimelineIO's bundle, a zip holding `content.otio`, `version.txt` and, on
 * request, the media under `media/` (stored, not deflated: video does not compress and NLEs can
 * read it in place), with the references pointing there relatively. Without bundling, the media
 * stay where they are and the references are written as for `.otio`.
 */

export const OTIOZ_VERSION = '1.0.0';

/** Unique names under media/ for each file (two `A001.mov` from different cards stay apart). */
function bundleNames(paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const p of paths) {
    const ext = extname(p);
    const stem = basename(p, ext);
    let name = `${stem}${ext}`;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${stem}_${i}${ext}`;
    used.add(name.toLowerCase());
    out.set(p, name);
  }
  return out;
}

/** Writes the bundle to `tempPath` (the caller moves it into place). */
export async function writeOtioz(t: IxTimeline, tempPath: string, options: PathOptions & { bundleMedia?: boolean }): Promise<void> {
  const zip = new yazl.ZipFile();
  let timeline = t;
  let paths = new PathWriter(dirname(tempPath), options);
  if (options.bundleMedia) {
    const names = bundleNames(timelineMedia(t).map((m) => m.path));
    // Inside the bundle the references are relative: media/<name>.
    const root = resolve(dirname(tempPath), '.otioz-bundle');
    timeline = replaceMedia(t, (m) => ({ ...m, path: join(root, 'media', names.get(m.path)!) }));
    paths = new PathWriter(root, { relative: true });
    for (const [abs, name] of names) zip.addFile(abs, `media/${name}`, { compress: false });
  }
  zip.addBuffer(Buffer.from(OTIOZ_VERSION), 'version.txt');
  zip.addBuffer(Buffer.from(writeOtio(timeline, paths)), 'content.otio');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(tempPath, { flags: 'wx' }));
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => yauzl.open(path, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z))));
}

/**
 * Reads a bundle: content.otio, with its media extracted to `extractTo` (a new folder) when
 * the bundle holds media; references to media/… then point there.
 */
export async function readOtioz(path: string, extractTo: string, pathMap?: PathOptions['pathMap']): Promise<IxParsed & { extracted: string[] }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (e) {
    throw new LacunaError('BAD_ARGUMENT', `not a readable .otioz file: ${path}: ${(e as Error).message}`);
  }
  let content: string | null = null;
  const extracted: string[] = [];
  const written: string[] = [];
  const root = resolve(extractTo);
  await new Promise<void>((res, rej) => {
    zip.on('error', rej);
    zip.on('end', () => res());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      if (name === 'content.otio' || name.startsWith('media/')) {
        const target = resolve(root, ...name.split('/'));
        if (name !== 'content.otio' && (!target.startsWith(root + sep) || name.endsWith('/'))) {
          zip.readEntry(); // a folder entry, or a path escaping the folder: not extracted
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e) return rej(e);
          if (name === 'content.otio') {
            const parts: Buffer[] = [];
            stream.on('data', (b: Buffer) => parts.push(b));
            stream.on('end', () => {
              content = Buffer.concat(parts).toString('utf8');
              zip.readEntry();
            });
            stream.on('error', rej);
            return;
          }
          // Unpacked before (the same bundle imported again): keep that copy, never overwrite it.
          void mkdir(dirname(target), { recursive: true })
            .then(() => stat(target).then((s) => s.size === entry.uncompressedSize, () => false))
            .then(async (same) => {
              if (same) stream.resume();
              else {
                await pipeline(stream, createWriteStream(target, { flags: 'wx' }));
                written.push(target);
              }
            })
            .then(() => {
              extracted.push(target);
              zip.readEntry();
            }, rej);
        });
      } else zip.readEntry();
    });
    zip.readEntry();
  }).catch(async (e) => {
    for (const f of written) await rm(f, { force: true }); // only what this read wrote
    throw new LacunaError('BAD_ARGUMENT', `cannot unpack ${path}: ${(e as Error).message}`);
  });
  if (content === null) throw new LacunaError('BAD_ARGUMENT', `${path} has no content.otio: not an OTIO bundle`);
  return { ...readOtio(content, root, new PathReader(root, pathMap)), extracted };
}
