// The payload layer: how outputs become bytes in an object store and come back.
export { isAsyncIterable, kindOfValue, toByteSource, type ValueKind } from './body-kind.js';
export { APPLICATION_JSON, contentTypeFor, OCTET_STREAM } from './content-type.js';
export { FilesystemObjectStore } from './filesystem-object-store.js';
export { EMPTY_SHA256, HashingStream, sha256Hex, VerifyingStream } from './hashing-stream.js';
export { PayloadSerializationError, serializeJson } from './json-serializer.js';
export { InvalidObjectKeyError, joinObjectKey, validateObjectKey } from './object-key.js';
export {
  createObjectStore,
  S3_PLUGIN_PACKAGE,
  type CreateObjectStoreDeps,
  type ObjectStorePluginModule,
} from './object-store.factory.js';
export {
  ObjectExistsError,
  ObjectNotFoundError,
  PayloadIntegrityError,
  PayloadUploadError,
  type ObjectStore,
} from './object-store.port.js';
export {
  ASSET_FILES_DIR,
  decodeOutput,
  encodeOutput,
  OUTPUT_BIN_NAME,
  OUTPUT_JSON_NAME,
  writeAssetFile,
  type EncodedOutput,
  type EncodeOutputOptions,
} from './payload-codec.js';
