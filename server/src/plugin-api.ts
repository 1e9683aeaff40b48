/**
 * What plugins build on (`import { ... } from 'weir/plugin'`): the object-store and alert-sink
 * ports and the helpers their implementations need. Asset authors never need this entry point.
 * @packageDocumentation
 */
export {
  ObjectExistsError,
  ObjectNotFoundError,
  PayloadIntegrityError,
  PayloadUploadError,
  type ObjectStore,
  type StoredObject,
} from './io/object-store.port.js';
export { InvalidObjectKeyError, validateObjectKey } from './io/object-key.js';
export { toByteSource } from './io/body-kind.js';
export { HashingStream } from './io/hashing-stream.js';
export { redactCredentials } from './io/redact-credentials.js';
export type { PayloadBody } from './sdk/context.js';
export type { PayloadRef } from './sdk/payload-ref.js';
export {
  AlertDeliveryError,
  type Alert,
  type AlertDetail,
  type AlertKind,
  type AlertSink,
  type AlertSinkPluginModule,
} from './alerts/alert-sink.port.js';
export { postAlertJson, type PostAlertOptions } from './alerts/alert-http.js';
