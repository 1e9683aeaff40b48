import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilesystemObjectStore } from './filesystem-object-store.js';
import { createObjectStore, S3_PLUGIN_PACKAGE } from './object-store.factory.js';
import type { ObjectStore } from './object-store.port.js';

const DEFAULT_ROOT = path.join(tmpdir(), 'weir-default-objects');

function moduleNotFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/server/dist/src/io/x.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('createObjectStore', () => {
  it('defaults to a filesystem store under the default root', async () => {
    for (const url of [undefined, '', '  ']) {
      const store = await createObjectStore(url, DEFAULT_ROOT);
      expect(store).toBeInstanceOf(FilesystemObjectStore);
      expect((store as FilesystemObjectStore).rootDir).toBe(DEFAULT_ROOT);
    }
  });

  it('opens a filesystem store at a file:/// URL', async () => {
    const store = await createObjectStore('file:///var/lib/weir/objects', DEFAULT_ROOT);
    expect(store.scheme).toBe('file');
    expect(store.uriFor('runs/r/output.json')).toBe('file:///var/lib/weir/objects/runs/r/output.json');
  });

  it('rejects a file URL with a host, naming it', async () => {
    await expect(createObjectStore('file://relative/objects', DEFAULT_ROOT)).rejects.toThrow(
      /Invalid object store URL "file:\/\/relative\/objects".*file:\/\/\/absolute\/path/,
    );
  });

  it.each(['gs://bucket/x', 'http://minio:9000/bucket', '/var/lib/weir/objects', 'objects'])(
    'rejects %s naming the URL and the supported schemes',
    async (url) => {
      const attempt = createObjectStore(url, DEFAULT_ROOT);
      await expect(attempt).rejects.toThrow(`Unsupported object store URL "${url}"`);
      await expect(attempt).rejects.toThrow('file:///absolute/path (filesystem) or s3://bucket/prefix');
    },
  );

  it('never shows credentials from the URL', async () => {
    const attempt = createObjectStore('gs://key:secret@bucket/x', DEFAULT_ROOT);
    await expect(attempt).rejects.toThrow('gs://***@bucket/x');
    await expect(attempt).rejects.not.toThrow('secret');
  });

  it('says which plugin to install for s3:// when it is missing', async () => {
    const attempt = createObjectStore('s3://lake/weir', DEFAULT_ROOT, {
      importModule: (specifier) => Promise.reject(moduleNotFound(specifier)),
    });
    await expect(attempt).rejects.toThrow(
      'WEIR_OBJECT_STORE=s3://lake/weir needs the @weir/object-store-s3 plugin: npm install @weir/object-store-s3',
    );
  });

  it('reports a plugin that is installed but broken as such', async () => {
    const attempt = createObjectStore('s3://lake/weir', DEFAULT_ROOT, {
      importModule: () => Promise.reject(moduleNotFound('@aws-sdk/client-s3')),
    });
    await expect(attempt).rejects.toThrow(/it failed to load: Cannot find package '@aws-sdk\/client-s3'/);
  });

  it('builds the store through the plugin', async () => {
    const fake = { scheme: 's3' } as ObjectStore;
    const seen: string[] = [];
    const store = await createObjectStore('s3://lake/weir', DEFAULT_ROOT, {
      importModule: async (specifier) => {
        seen.push(specifier);
        return { createObjectStore: async (url: string) => (seen.push(url), fake) };
      },
    });
    expect(store).toBe(fake);
    expect(seen).toEqual([S3_PLUGIN_PACKAGE, 's3://lake/weir']);

    const wrongShape = createObjectStore('s3://lake/weir', DEFAULT_ROOT, { importModule: async () => ({}) });
    await expect(wrongShape).rejects.toThrow(/does not export createObjectStore/);
  });

  it('requires a bucket in s3 URLs', async () => {
    await expect(createObjectStore('s3:///prefix', DEFAULT_ROOT)).rejects.toThrow(/use s3:\/\/bucket\/prefix/);
  });
});
