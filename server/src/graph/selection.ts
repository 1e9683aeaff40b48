import type { AnyAssetDefinition } from '../sdk/asset.js';
import { closestKey, didYouMean } from './closest-key.js';

/**
 * Thrown for a selection that does not parse or names assets that do not exist. The message
 * names every offending term, with the closest existing key as a hint for mistyped keys.
 */
export class SelectionError extends Error {
  /** One line per offending term. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      problems.length === 1
        ? problems[0]!
        : `${problems.length} problems in selection:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SelectionError';
    this.problems = problems;
  }
}

/** What one selection term designates before `+` modifiers are applied. */
export type SelectionTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'glob'; readonly pattern: string }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'tag'; readonly tag: string; readonly value: string | undefined };

/** One term of a selection, such as `+silver/orders` or `group:gold+`. */
export interface SelectionTerm {
  /** The term as written, for messages. */
  readonly text: string;
  readonly target: SelectionTarget;
  /** Leading `+`: add everything upstream of the matched assets. */
  readonly upstream: boolean;
  /** Trailing `+`: add everything downstream of the matched assets. */
  readonly downstream: boolean;
}

/** What selecting needs from a graph (the asset graph implements it). */
export interface SelectableGraph {
  readonly keys: readonly string[];
  has(key: string): boolean;
  get(key: string): AnyAssetDefinition;
  upstreamClosure(keys: Iterable<string>): Set<string>;
  downstreamClosure(keys: Iterable<string>): Set<string>;
}

const SYNTAX_HINT = "use '*', a key, a glob such as 'bronze/*', group:<name>, tag:<name> or tag:<name>=<value>";

/**
 * Parses a selection as typed on the command line. Terms are separated by commas or
 * whitespace and their matches are united:
 *
 * - `*`: every asset
 * - `silver/orders`: that asset
 * - `bronze/*`: keys matching a glob (`*` stays within one `/` segment, `**` crosses
 *   segments, `?` is one character)
 * - `group:gold`: the assets of a group
 * - `tag:pii`, `tag:tier=gold`: assets with a tag, or a tag with that value
 * - a leading `+` adds everything upstream, a trailing `+` everything downstream:
 *   `+gold/revenue`, `bronze/orders+`, `+group:gold+`
 *
 * @throws SelectionError listing every term that does not parse.
 */
export function parseSelection(selection: string): SelectionTerm[] {
  const texts = selection.split(/[\s,]+/).filter((text) => text.length > 0);
  if (texts.length === 0) throw new SelectionError([`empty selection: ${SYNTAX_HINT}`]);
  const terms: SelectionTerm[] = [];
  const problems: string[] = [];
  for (const text of texts) {
    const parsed = parseTerm(text);
    if (typeof parsed === 'string') problems.push(parsed);
    else terms.push(parsed);
  }
  if (problems.length > 0) throw new SelectionError(problems);
  return terms;
}

/** The term, or what is wrong with it. */
function parseTerm(text: string): SelectionTerm | string {
  const upstream = text.startsWith('+');
  const downstream = text.length > 1 && text.endsWith('+');
  const body = text.slice(upstream ? 1 : 0, downstream ? -1 : undefined);
  if (body.length === 0) return `'${text}': '+' must be attached to a key, group: or tag: term`;
  if (body.includes('+')) return `'${text}': '+' is only allowed at the start or end of a term`;
  const target = parseTarget(body);
  return typeof target === 'string' ? `'${text}': ${target}` : { text, target, upstream, downstream };
}

function parseTarget(body: string): SelectionTarget | string {
  if (body === '*') return { kind: 'all' };
  const colon = body.indexOf(':');
  if (colon === -1) return /[*?]/.test(body) ? { kind: 'glob', pattern: body } : { kind: 'key', key: body };
  const prefix = body.slice(0, colon);
  const rest = body.slice(colon + 1);
  if (prefix === 'group') return rest.length > 0 ? { kind: 'group', group: rest } : 'group name missing after group:';
  if (prefix === 'tag') {
    const equals = rest.indexOf('=');
    const tag = equals === -1 ? rest : rest.slice(0, equals);
    if (tag.length === 0) return 'tag name missing after tag:';
    return { kind: 'tag', tag, value: equals === -1 ? undefined : rest.slice(equals + 1) };
  }
  return `unknown selector '${prefix}:': ${SYNTAX_HINT}`;
}

/**
 * The keys designated by `terms` in `graph`, `+` modifiers applied (the given assets are
 * included in their upstream/downstream). Source assets are included like any other.
 * `*` on a graph without assets selects nothing; any other term that matches nothing is an
 * error.
 *
 * @throws SelectionError listing every term that matches nothing.
 */
export function resolveSelection(graph: SelectableGraph, terms: readonly SelectionTerm[]): Set<string> {
  const selected = new Set<string>();
  const problems: string[] = [];
  let everything = false;
  for (const term of terms) {
    // Nothing to add to everything, but the other terms are still checked.
    if (term.target.kind === 'all') {
      everything = true;
      continue;
    }
    const matched = matchTarget(graph, term.target);
    if (matched.length === 0) {
      problems.push(noMatchProblem(graph, term));
      continue;
    }
    for (const key of matched) selected.add(key);
    if (term.upstream) for (const key of graph.upstreamClosure(matched)) selected.add(key);
    if (term.downstream) for (const key of graph.downstreamClosure(matched)) selected.add(key);
  }
  if (problems.length > 0) throw new SelectionError(problems);
  return everything ? new Set(graph.keys) : selected;
}

function matchTarget(graph: SelectableGraph, target: SelectionTarget): readonly string[] {
  switch (target.kind) {
    case 'all':
      return graph.keys;
    case 'key':
      return graph.has(target.key) ? [target.key] : [];
    case 'glob': {
      const pattern = globToRegExp(target.pattern);
      return graph.keys.filter((key) => pattern.test(key));
    }
    case 'group':
      return graph.keys.filter((key) => graph.get(key).group === target.group);
    case 'tag':
      return graph.keys.filter((key) => {
        const value = graph.get(key).tags[target.tag];
        return value !== undefined && (target.value === undefined || value === target.value);
      });
  }
}

function noMatchProblem(graph: SelectableGraph, term: SelectionTerm): string {
  const { target, text } = term;
  const where = (subject: string): string => (text === subject ? '' : ` (in '${text}')`);
  switch (target.kind) {
    case 'all':
      return `'${text}' matches nothing`;
    case 'key':
      return `unknown asset key '${target.key}'${where(target.key)}${didYouMean(target.key, graph.keys)}`;
    case 'glob':
      return `no asset key matches '${target.pattern}'${where(target.pattern)}`;
    case 'group': {
      const groups = new Set(graph.keys.map((key) => graph.get(key).group));
      const hint = closestKey(target.group, groups);
      return `no asset is in group '${target.group}'${where(`group:${target.group}`)}${hint === undefined ? '' : `: did you mean 'group:${hint}'?`}`;
    }
    case 'tag': {
      const written = `tag:${target.tag}${target.value === undefined ? '' : `=${target.value}`}`;
      const withValue = target.value === undefined ? '' : ` with value '${target.value}'`;
      return `no asset has tag '${target.tag}'${withValue}${where(written)}${tagHint(graph, target.tag, target.value)}`;
    }
  }
}

/** The values the tag does have, or the closest tag name. */
function tagHint(graph: SelectableGraph, tag: string, value: string | undefined): string {
  const values = new Set<string>();
  const names = new Set<string>();
  for (const key of graph.keys) {
    const tags = graph.get(key).tags;
    for (const name of Object.keys(tags)) names.add(name);
    const tagValue = tags[tag];
    if (tagValue !== undefined) values.add(tagValue);
  }
  if (value !== undefined && values.size > 0) {
    const known = [...values].sort().map((v) => `'${v}'`);
    // A tag with thousands of values (ids, dates) would drown the message.
    return `: its values are ${known.slice(0, 10).join(', ')}${known.length > 10 ? `, … (${known.length} in all)` : ''}`;
  }
  const hint = closestKey(tag, names);
  return hint === undefined ? '' : `: did you mean 'tag:${hint}'?`;
}

/** `*` matches within a key segment, `**` across segments, `?` one character. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.\\^$|()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
