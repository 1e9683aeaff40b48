import type { Alert, AlertKind } from 'weir/plugin';

/** A Block Kit block, as far as these messages use them. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text?: { type: 'mrkdwn'; text: string }; fields?: Array<{ type: 'mrkdwn'; text: string }> }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

/** The body of an incoming-webhook request: `text` is the notification's fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const ICONS: Record<AlertKind, string> = {
  'freshness.late': ':red_circle:',
  'freshness.warning': ':large_yellow_circle:',
  'freshness.recovered': ':large_green_circle:',
  'run.failed': ':x:',
  'step.failed': ':x:',
};

// Block Kit limits: header text 150 characters, section text 3000, 10 fields of 2000.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELDS_MAX = 10;
const FIELD_MAX = 2000;

/**
 * The Slack message for an alert: a header with the title, a section with the text, the
 * details as fields (unset ones left out), and a context line with the kind, the asset, the
 * run and the time. Text is escaped for mrkdwn (`&`, `<`, `>`), so nothing in an asset key or
 * an error message can mention a channel or turn into a link.
 */
export function slackMessage(alert: Alert): SlackMessage {
  const icon = ICONS[alert.kind] ?? ':bell:';
  const fields = Object.entries(alert.details)
    .filter(([, value]) => value !== null && value !== '')
    .slice(0, FIELDS_MAX)
    .map(([name, value]) => ({
      type: 'mrkdwn' as const,
      text: cut(`*${escape(name)}*\n${escape(String(value))}`, FIELD_MAX),
    }));
  const context = [
    `\`${alert.kind}\``,
    ...(alert.assetKey ? [`asset \`${escape(alert.assetKey)}\``] : []),
    ...(alert.runId ? [`run \`${escape(alert.runId)}\``] : []),
    escape(alert.at),
  ].join(' · ');
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${icon} ${alert.title}`, HEADER_MAX), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(escape(alert.text), SECTION_MAX) } },
  ];
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  return { text: `${icon} ${escape(alert.title)}`, blocks };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
