import { open, rm, type FileHandle } from 'node:fs/promises';
import type { FilledFrame } from '../lite/frameFold';
import { commitTempFile, tempPathFor } from '../util/atomicWrite';
import { LacunaError } from '../util/errors';

/**
 * A chunk of a split take on shared storage. Lite leaves every pixel outside its masks as the
 * source's bytes, so a chunk keeps, per frame, only the rectangle where its fill differs from the
 * source and the rectangle its mask covers; the join decodes the source and pastes them back,
 * which gives the fill's bytes exactly (the same decode the chunk's worker did) while a chunk of a
 * 4K shot with a small object stays small.
 *
 * Records are (frame, window): window -1 for a frame finished in this chunk, else one window's own
 * fill of a frame the join still has to fold with another chunk's. The file ends with an index of
 * its records and a closing mark, and is written under a temp name and renamed to its final name
 * (the chunk's id) when complete, so a file with that name is always whole, and a chunk rendered
 * twice (a stalled worker that comes back) just renames the same bytes over it.
 */

const MAGIC = Buffer.from('LCHUNK1\n');
const END = Buffer.from('LCEND01\n');

type Rect = [x: number, y: number, width: number, height: number];

interface RecordHeader {
  f: number;
  k: number;
  width: number;
  height: number;
  box: Rect | null;
  maskBox: Rect | null;
}

interface IndexEntry {
  f: number;
  k: number;
  offset: number;
}

export interface ChunkMeta {
  takeId: string;
  chunk: number;
  windows: number[];
}

/** Bounding rectangle of the pixels where `differs(i)` holds, or null. */
function boundingRect(width: number, height: number, differs: (pixel: number) => boolean): Rect | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!differs(y * width + x)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

function cut(data: Uint8Array, width: number, channels: number, r: Rect): Buffer {
  const [x, y, w, h] = r;
  const out = Buffer.alloc(w * h * channels);
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * width + x) * channels;
    out.set(data.subarray(from, from + w * channels), row * w * channels);
  }
  return out;
}

function paste(into: Uint8Array, width: number, channels: number, r: Rect, bytes: Uint8Array): void {
  const [x, y, w, h] = r;
  for (let row = 0; row < h; row++) into.set(bytes.subarray(row * w * channels, (row + 1) * w * channels), ((y + row) * width + x) * channels);
}

export class ChunkWriter {
  private offset = MAGIC.length;
  private readonly index: IndexEntry[] = [];
  private constructor(
    private readonly fh: FileHandle,
    private readonly temp: string,
    private readonly finalPath: string,
    private readonly meta: ChunkMeta,
  ) {}

  static async create(finalPath: string, meta: ChunkMeta): Promise<ChunkWriter> {
    const temp = tempPathFor(finalPath);
    const fh = await open(temp, 'wx');
    await fh.write(MAGIC);
    return new ChunkWriter(fh, temp, finalPath, meta);
  }

  /** One frame: `source` is the decoded source frame the fill started from. */
  async add(f: number, k: number, filled: FilledFrame, source: Uint8Array): Promise<void> {
    const { width, height } = filled.frame;
    const data = filled.frame.data;
    const box = boundingRect(width, height, (p) => data[p * 3] !== source[p * 3] || data[p * 3 + 1] !== source[p * 3 + 1] || data[p * 3 + 2] !== source[p * 3 + 2]);
    const mask = filled.mask.data;
    const maskBox = boundingRect(width, height, (p) => mask[p] !== 0);
    const header: RecordHeader = { f, k, width, height, box, maskBox };
    const json = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    const parts = [len, json, ...(box ? [cut(data, width, 3, box)] : []), ...(maskBox ? [cut(mask, width, 1, maskBox)] : [])];
    const bytes = Buffer.concat(parts);
    await this.fh.write(bytes);
    this.index.push({ f, k, offset: this.offset });
    this.offset += bytes.length;
  }

  /** Writes the index and renames the file to its final name. */
  async commit(): Promise<void> {
    const json = Buffer.from(JSON.stringify({ meta: this.meta, records: this.index }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    await this.fh.write(Buffer.concat([json, len, END]));
    await this.fh.close();
    await commitTempFile(this.temp, this.finalPath);
  }

  async abandon(): Promise<void> {
    await this.fh.close().catch(() => {});
    await rm(this.temp, { force: true });
  }
}

export class ChunkReader {
  private readonly at = new Map<string, number>();
  private constructor(
    private readonly fh: FileHandle,
    readonly meta: ChunkMeta,
    index: IndexEntry[],
    private readonly path: string,
  ) {
    for (const e of index) this.at.set(`${e.f}:${e.k}`, e.offset);
  }

  static async open(path: string): Promise<ChunkReader> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch {
      throw new LacunaError('MEDIA_NOT_FOUND', `chunk file ${path} is missing`, 'The shared storage may not be mounted the same way on every worker; check the path maps.');
    }
    try {
      const { size } = await fh.stat();
      const tail = Buffer.alloc(12);
      if (size < MAGIC.length + tail.length) throw new Error('short');
      await fh.read(tail, 0, 12, size - 12);
      if (!tail.subarray(4).equals(END)) throw new Error('no end mark');
      const len = tail.readUInt32LE(0);
      const json = Buffer.alloc(len);
      await fh.read(json, 0, len, size - 12 - len);
      const { meta, records } = JSON.parse(json.toString()) as { meta: ChunkMeta; records: IndexEntry[] };
      return new ChunkReader(fh, meta, records, path);
    } catch (e) {
      await fh.close();
      throw new LacunaError('MEDIA_UNREADABLE', `chunk file ${path} is damaged (${(e as Error).message})`, 'Retry the take: its chunks are rendered again.');
    }
  }

  has(f: number, k: number): boolean {
    return this.at.has(`${f}:${k}`);
  }

  /** The record for frame `f`, window `k`, rebuilt on a copy of the decoded source frame. */
  async read(f: number, k: number, source: Uint8Array): Promise<{ data: Uint8Array; mask: Uint8Array }> {
    const offset = this.at.get(`${f}:${k}`);
    if (offset === undefined) throw new LacunaError('MEDIA_UNREADABLE', `chunk file ${this.path} has no frame ${f} of window ${k}`);
    const lenBuf = Buffer.alloc(4);
    await this.fh.read(lenBuf, 0, 4, offset);
    const json = Buffer.alloc(lenBuf.readUInt32LE(0));
    await this.fh.read(json, 0, json.length, offset + 4);
    const h = JSON.parse(json.toString()) as RecordHeader;
    const data = Uint8Array.from(source);
    const mask = new Uint8Array(h.width * h.height);
    let pos = offset + 4 + json.length;
    if (h.box) {
      const bytes = Buffer.alloc(h.box[2] * h.box[3] * 3);
      await this.fh.read(bytes, 0, bytes.length, pos);
      paste(data, h.width, 3, h.box, bytes);
      pos += bytes.length;
    }
    if (h.maskBox) {
      const bytes = Buffer.alloc(h.maskBox[2] * h.maskBox[3]);
      await this.fh.read(bytes, 0, bytes.length, pos);
      paste(mask, h.width, 1, h.maskBox, bytes);
    }
    return { data, mask };
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
