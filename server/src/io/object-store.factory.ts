import { redactCredentials } from './redact-credentials.js';
import { fileURLToPath } from 'node:url';
import { FilesystemObjectStore } from './filesystem-object-store.js';
import type { ObjectStore } from './object-store.port.js';

/** Package that provides the S3-compatible store; loaded only when an `s3://` URL is configured. */
export const S3_PLUGIN_PACKAGE = '@weir/object-store-s3';

/**
 * What an object-store plugin package exports: a factory taking the configured URL
 * (e.g. `s3://bucket/prefix`).
 */
export interface ObjectStorePluginModule {
  createObjectStore(url: string): ObjectStore | Promise<ObjectStore>;
}

/** Seams for tests. */
export interface CreateObjectStoreDeps {
  /** Loads a plugin package; defaults to a dynamic `import()`. */
  importModule?: (specifier: string) => Promise<unknown>;
}

const SUPPORTED = 'file:///absolute/path (filesystem) or s3://bucket/prefix (S3-compatible, plugin)';

/**
 * Builds the object store configured by `url` (the `WEIR_OBJECT_STORE` setting):
 * - unset or empty: a filesystem store under `defaultRoot` (embedded mode);
 * - `file:///abs/path`: a filesystem store at that path;
 * - `s3://bucket/prefix`: the store of the `@weir/object-store-s3` plugin, imported lazily so
 *   that the S3 SDK is only loaded by deployments that use it.
 * @throws Error naming the URL for unsupported schemes, and saying what to install when the
 *   plugin is missing.
 */
export async function createObjectStore(
  url: string | undefined,
  defaultRoot: string,
  deps: CreateObjectStoreDeps = {},
): Promise<ObjectStore> {
  if (url === undefined || url.trim() === '') return new FilesystemObjectStore(defaultRoot);
  const shown = redactCredentials(url);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Unsupported object store URL "${shown}" (WEIR_OBJECT_STORE): expected ${SUPPORTED}`);
  }

  switch (parsed.protocol) {
    case 'file:': {
      let root: string;
      try {
        root = fileURLToPath(parsed);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `Invalid object store URL "${shown}" (WEIR_OBJECT_STORE): use file:///absolute/path (${reason})`,
          {
            cause: error,
          },
        );
      }
      return new FilesystemObjectStore(root);
    }
    case 's3:':
      if (parsed.hostname === '') {
        throw new Error(`Invalid object store URL "${shown}" (WEIR_OBJECT_STORE): use s3://bucket/prefix`);
      }
      return loadS3Store(url, shown, deps.importModule ?? ((specifier) => import(specifier)));
    default:
      throw new Error(
        `Unsupported object store URL "${shown}" (WEIR_OBJECT_STORE): scheme "${parsed.protocol}" is not supported; expected ${SUPPORTED}`,
      );
  }
}

async function loadS3Store(
  url: string,
  shown: string,
  importModule: (specifier: string) => Promise<unknown>,
): Promise<ObjectStore> {
  let plugin: Partial<ObjectStorePluginModule>;
  try {
    plugin = (await importModule(S3_PLUGIN_PACKAGE)) as Partial<ObjectStorePluginModule>;
  } catch (cause) {
    const install = `WEIR_OBJECT_STORE=${shown} needs the ${S3_PLUGIN_PACKAGE} plugin: npm install ${S3_PLUGIN_PACKAGE}`;
    // A plugin that is installed but fails to load must not be reported as missing.
    const detail = isPluginMissing(cause)
      ? ''
      : ` (it failed to load: ${cause instanceof Error ? cause.message : String(cause)})`;
    throw new Error(`${install}${detail}`, { cause });
  }
  if (typeof plugin.createObjectStore !== 'function') {
    throw new Error(`${S3_PLUGIN_PACKAGE} does not export createObjectStore(url); is it a version made for this Weir?`);
  }
  return plugin.createObjectStore(url);
}

// Only the plugin itself being absent counts: a missing dependency of the plugin is a broken install.
function isPluginMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(S3_PLUGIN_PACKAGE)
  );
}
