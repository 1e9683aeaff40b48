import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FilesystemObjectStore } from '../../src/io/filesystem-object-store.js';
import { describeObjectStoreConformance } from '../support/object-store-conformance.js';

describeObjectStoreConformance('FilesystemObjectStore', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'weir-fs-conformance-'));
  return {
    store: new FilesystemObjectStore(root),
    expectedUri: (key) => pathToFileURL(path.join(root, ...key.split('/'))).href,
    close: () => rm(root, { recursive: true, force: true }),
  };
});
