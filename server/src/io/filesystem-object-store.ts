import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, link, mkdir, open, opendir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PayloadBody } from '../sdk/context.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import { toByteSource } from './body-kind.js';
import { HashingStream } from './hashing-stream.js';
import { InvalidObjectKeyError, validateObjectKey } from './object-key.js';
import {
  ObjectExistsError,
  ObjectNotFoundError,
  PayloadUploadError,
  type ObjectStore,
  type StoredObject,
} from './object-store.port.js';

/** Uploads in progress live here, inside the root so that `link` never crosses filesystems. */
const TMP_DIR = '.tmp';

/**
 * The embedded-mode object store: one file per object under `rootDir`, URIs `file:///abs/path`.
 *
 * `put` streams into `<root>/.tmp/<uuid>.part`, fsyncs it, then hard-links it to the final path.
 * `link` fails with EEXIST when the target exists, which gives atomic never-overwrite semantics
 * even across processes, and readers never see a half-written object.
 */
export class FilesystemObjectStore implements ObjectStore {
  readonly scheme = 'file';
  /** Absolute root directory of the store. */
  readonly rootDir: string;
  readonly #tmpDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
    this.#tmpDir = path.join(this.rootDir, TMP_DIR);
  }

  uriFor(key: string): string {
    return pathToFileURL(this.#pathFor(key)).href;
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.#pathFor(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** What a put needs: the upload directory (made on first use, like a put makes it) is writable. */
  async ping(): Promise<void> {
    try {
      await mkdir(this.#tmpDir, { recursive: true });
      await access(this.#tmpDir, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the object store directory ${this.rootDir} is not usable: ${reason}`, { cause: error });
    }
  }

  async put(key: string, body: PayloadBody, options: { contentType: string }): Promise<PayloadRef> {
    let finalPath: string;
    let source: ReturnType<typeof toByteSource>;
    try {
      finalPath = this.#pathFor(key);
      source = toByteSource(body);
      if (typeof options?.contentType !== 'string' || options.contentType === '') {
        throw new TypeError(`put("${key}") needs a contentType, e.g. "application/octet-stream"`);
      }
    } catch (error) {
      destroyBody(body);
      throw error;
    }
    const uri = pathToFileURL(finalPath).href;
    // Fail fast instead of streaming gigabytes only to lose at `link`; `link` stays the real guard.
    if (await this.exists(key)) {
      destroyBody(body);
      throw new ObjectExistsError(key, uri);
    }

    const tmpPath = path.join(this.#tmpDir, `${randomUUID()}.part`);
    const hasher = new HashingStream();
    let sink: ReturnType<typeof createWriteStream> | undefined;
    try {
      await mkdir(this.#tmpDir, { recursive: true });
      // `flush: true` fsyncs before close, so the linked object survives a power cut.
      sink = createWriteStream(tmpPath, { flags: 'wx', flush: true });
      await pipeline(source, hasher, sink);
      await mkdir(path.dirname(finalPath), { recursive: true });
    } catch (cause) {
      destroyBody(body);
      // The file may still be opening when the pipeline fails: remove it only once closed.
      if (sink && !sink.closed) await new Promise<void>((resolve) => sink!.once('close', () => resolve()));
      await rm(tmpPath, { force: true });
      throw new PayloadUploadError(key, uri, cause);
    }

    try {
      await linkCreatingParents(tmpPath, finalPath);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') throw new ObjectExistsError(key, uri);
      throw new PayloadUploadError(key, uri, error);
    } finally {
      await rm(tmpPath, { force: true });
    }
    await fsyncDirectory(path.dirname(finalPath));
    return { kind: 'payload-ref', uri, size: hasher.size, sha256: hasher.digest(), contentType: options.contentType };
  }

  async open(refOrUri: PayloadRef | string): Promise<Readable> {
    const uri = typeof refOrUri === 'string' ? refOrUri : refOrUri?.uri;
    const filePath = this.#pathForUri(uri);
    let handle;
    try {
      handle = await open(filePath, 'r');
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(uri);
      throw error;
    }
    try {
      if (!(await handle.stat()).isFile()) throw new ObjectNotFoundError(uri, 'it is a directory, not an object');
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle.createReadStream();
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    if (typeof prefix !== 'string') throw new TypeError(`list() needs a key prefix string, got ${String(prefix)}`);
    // Walk only the deepest folder the prefix names; the rest of the prefix filters names in it.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder !== '') validateObjectKey(folder);
    yield* this.#walk(folder, prefix);
  }

  async *#walk(folder: string, prefix: string): AsyncIterable<StoredObject> {
    let dir;
    try {
      dir = await opendir(folder === '' ? this.rootDir : path.join(this.rootDir, ...folder.split('/')));
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for await (const entry of dir) {
      const key = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (key === TMP_DIR) continue;
      if (entry.isDirectory()) {
        // A folder can hold matches only if it is inside the prefix or the prefix goes into it.
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.#walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        try {
          const info = await stat(path.join(this.rootDir, ...key.split('/')));
          yield { key, size: info.size, lastModified: info.mtime };
        } catch (error) {
          // Deleted while listing: it is simply not there any more.
          if (!isMissing(error)) throw error;
        }
      }
    }
  }

  async delete(key: string): Promise<void> {
    const filePath = this.#pathFor(key);
    await rm(filePath, { force: true });
    // Folders emptied by the delete go too, up to (not including) the root, so collected runs
    // leave no tree of empty directories behind. A put racing into one recreates it.
    let dir = path.dirname(filePath);
    while (dir !== this.rootDir && dir.startsWith(this.rootDir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or already gone): its ancestors are not empty either
      }
      dir = path.dirname(dir);
    }
  }

  #pathFor(key: string): string {
    validateObjectKey(key);
    if (key === TMP_DIR || key.startsWith(`${TMP_DIR}/`)) {
      throw new InvalidObjectKeyError(key, `"${TMP_DIR}/" is reserved for uploads in progress`);
    }
    return path.join(this.rootDir, ...key.split('/'));
  }

  #pathForUri(uri: string): string {
    if (typeof uri !== 'string') throw new TypeError(`open() needs a PayloadRef or a URI string, got ${String(uri)}`);
    let filePath: string;
    try {
      filePath = fileURLToPath(uri);
    } catch {
      throw new Error(`Cannot open ${uri}: the filesystem object store only reads file:/// URIs`);
    }
    const relative = path.relative(this.rootDir, filePath);
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      throw new Error(`Cannot open ${uri}: it is outside this object store's root ${this.rootDir}`);
    }
    // Re-validating as a key rejects `.tmp/` paths: half-written uploads are never readable.
    return this.#pathFor(relative.split(path.sep).join('/'));
  }
}

function destroyBody(body: unknown): void {
  const destroy = (body as { destroy?: unknown } | null)?.destroy;
  if (typeof destroy === 'function') destroy.call(body);
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: unknown } | null)?.code as string | undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * `link`, recreating the target's folders when they vanish in between: a delete emptying the same
 * folder (gc of an older attempt's objects) may remove it right after the put made it.
 */
async function linkCreatingParents(from: string, to: string): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await link(from, to);
      return;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || tries === 3) throw error;
      await mkdir(path.dirname(to), { recursive: true });
    }
  }
}

/** Makes the new directory entry durable; best effort, as some platforms cannot fsync a directory. */
async function fsyncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The object is already complete and visible; losing the entry only matters on power loss.
  }
}
