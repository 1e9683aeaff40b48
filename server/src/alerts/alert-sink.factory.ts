import type { AlertSink, AlertSinkPluginModule } from './alert-sink.port.js';

/** The alert-sink plugins Weir knows, by the setting that enables each. */
export const ALERT_SINK_PLUGINS = [
  { setting: 'WEIR_ALERT_WEBHOOK_URL', packageName: '@weir/alert-webhook' },
  { setting: 'WEIR_ALERT_SLACK_WEBHOOK_URL', packageName: '@weir/alert-slack' },
] as const;

/** The configured URLs (secrets: they never appear in logs or errors). */
export interface AlertSinkSettings {
  readonly alertWebhookUrl: string | undefined;
  readonly alertSlackWebhookUrl: string | undefined;
}

/** Seams for tests. */
export interface CreateAlertSinksDeps {
  /** Loads a plugin package; defaults to a dynamic `import()`. */
  importModule?: (specifier: string) => Promise<unknown>;
}

/**
 * Builds a sink for each configured URL, importing its plugin package only then (a deployment
 * without alerts loads none). No URL configured: no sinks, and alerts are not sent.
 * @throws Error naming the setting and the package to install when a plugin is missing; the
 *   URL itself is never part of the message.
 */
export async function createAlertSinks(
  settings: AlertSinkSettings,
  deps: CreateAlertSinksDeps = {},
): Promise<AlertSink[]> {
  const importModule = deps.importModule ?? ((specifier: string) => import(specifier));
  const urls: Record<(typeof ALERT_SINK_PLUGINS)[number]['setting'], string | undefined> = {
    WEIR_ALERT_WEBHOOK_URL: settings.alertWebhookUrl,
    WEIR_ALERT_SLACK_WEBHOOK_URL: settings.alertSlackWebhookUrl,
  };
  const sinks: AlertSink[] = [];
  for (const { setting, packageName } of ALERT_SINK_PLUGINS) {
    const url = urls[setting];
    if (!url) continue;
    let plugin: Partial<AlertSinkPluginModule>;
    try {
      plugin = (await importModule(packageName)) as Partial<AlertSinkPluginModule>;
    } catch (cause) {
      const missing = isMissing(cause, packageName);
      throw new Error(
        `${setting} is set, which needs the ${packageName} plugin: npm install ${packageName}${
          missing ? '' : ` (it failed to load: ${cause instanceof Error ? cause.message : String(cause)})`
        }`,
        { cause },
      );
    }
    if (typeof plugin.createAlertSink !== 'function') {
      throw new Error(`${packageName} does not export createAlertSink(url); is it a version made for this Weir?`);
    }
    sinks.push(await plugin.createAlertSink(url));
  }
  return sinks;
}

// Only the plugin itself being absent counts: a missing dependency of the plugin is a broken install.
function isMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(packageName)
  );
}
