// Static checks of the Docker deployment (docker/compose.yaml, docker/Dockerfile and its ignore
// file) against the code: the commands and options the containers run exist in the CLI, the
// environment holds only keys something reads, and the pieces name each other consistently.
// Every check returns a list of problems (empty when fine) so that tests can also feed it a
// deliberately broken copy and see the problem reported.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Command, Option } from 'commander';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/weir-config.js';

export type EnvironmentSpec = Record<string, string | number | boolean | null> | string[];

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: EnvironmentSpec;
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean; restart?: boolean }>;
  deploy?: { replicas?: number };
  scale?: number;
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  container_name?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses a compose file the way Compose does as far as these checks go (YAML `<<` merge keys included). */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

// --- compose variable interpolation -------------------------------------------------------------

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$VAR` and `$$`, resolved against env. */
export function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, operator: string | undefined, word: string | undefined, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare!;
      const current = env[name];
      const unsetOrEmpty = current === undefined || (operator?.startsWith(':') && current === '');
      switch (operator) {
        case ':-':
        case '-':
          return unsetOrEmpty ? (word ?? '') : current!;
        case ':+':
        case '+':
          return unsetOrEmpty ? '' : (word ?? '');
        case ':?':
        case '?':
          if (unsetOrEmpty) throw new Error(`${name} is required: ${word}`);
          return current!;
        default:
          return current ?? '';
      }
    },
  );
}

/** A service's environment as a map, values interpolated (with the defaults when env is empty). */
export function environmentOf(
  service: ComposeService,
  env: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const spec = service.environment ?? {};
  const entries: [string, string | undefined][] = Array.isArray(spec)
    ? spec.map((item) => {
        const at = item.indexOf('=');
        return at === -1 ? [item, undefined] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(spec).map(([key, value]) => [key, value === null ? undefined : String(value)]);
  return Object.fromEntries(
    entries.map(([key, value]) => [key, value === undefined ? value : interpolate(value, env)]),
  );
}

/** A `command:` as an argument list (the string form is split on whitespace, as Compose does for plain words). */
export function commandOf(service: ComposeService): string[] {
  const command = service.command;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : command.trim().split(/\s+/);
}

function replicasOf(service: ComposeService): number {
  return service.deploy?.replicas ?? service.scale ?? 1;
}

function dependenciesOf(service: ComposeService): Record<string, string | undefined> {
  const spec = service.depends_on ?? [];
  return Array.isArray(spec)
    ? Object.fromEntries(spec.map((name) => [name, 'service_started']))
    : Object.fromEntries(Object.entries(spec).map(([name, value]) => [name, value?.condition ?? 'service_started']));
}

/** Does this port entry bind a host port (as opposed to only naming the container port)? */
function publishesHostPort(entry: string | number | { published?: number | string }): boolean {
  if (typeof entry === 'number') return false;
  if (typeof entry === 'object') return entry.published !== undefined && entry.published !== '';
  // "3000" (container only), "8080:3000", "127.0.0.1:8080:3000", "127.0.0.1::3000" (random host port).
  const parts = entry.replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length === 1) return false;
  const published = parts.length === 2 ? parts[0] : parts.at(-2);
  return published !== undefined && published !== '';
}

// --- weir command lines --------------------------------------------------------------------------

function findOption(options: readonly Option[], flag: string): Option | undefined {
  return options.find((option) => option.long === flag || option.short === flag);
}

/**
 * Problems with running `weir <argv>`: the command must be a subcommand of the real CLI, every
 * flag one of its options (or a global one), and the positional arguments must fit.
 */
export function checkWeirArgv(program: Command, argv: readonly string[], where: string): string[] {
  const [name, ...rest] = argv;
  const known = program.commands.map((command) => command.name());
  if (name === undefined) return [`${where}: no weir command given (commands: ${known.join(', ')})`];
  const command = program.commands.find((candidate) => candidate.name() === name || candidate.aliases().includes(name));
  if (!command) return [`${where}: \`weir ${name}\` is not a weir command (commands: ${known.join(', ')})`];

  const problems: string[] = [];
  const options = [...command.options, ...program.options];
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const [flag, inline] = token.includes('=')
      ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
      : [token, undefined];
    if (flag === '--help' || flag === '-h') continue;
    const option = findOption(options, flag);
    if (!option) {
      const valid = command.options.map((o) => o.long ?? o.short).join(', ') || 'none';
      problems.push(`${where}: \`weir ${name}\` has no option ${flag} (its options: ${valid})`);
      // Its value, if it has one, is not a stray argument.
      if (inline === undefined && i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) i++;
      continue;
    }
    if (inline !== undefined) {
      if (!option.required && !option.optional) problems.push(`${where}: ${flag} of \`weir ${name}\` takes no value`);
      continue;
    }
    if (option.required) {
      if (i + 1 >= rest.length) problems.push(`${where}: ${flag} of \`weir ${name}\` needs a value`);
      i++;
    } else if (option.optional && i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) {
      i++;
    }
  }
  const declared = command.registeredArguments;
  const required = declared.filter((argument) => argument.required).length;
  if (positionals.length < required) {
    problems.push(`${where}: \`weir ${name}\` needs ${required} argument(s), got ${positionals.length}`);
  }
  if (!declared.some((argument) => argument.variadic) && positionals.length > declared.length) {
    problems.push(`${where}: \`weir ${name}\` takes ${declared.length} argument(s), got ${positionals.join(' ')}`);
  }
  return problems;
}

// --- compose -------------------------------------------------------------------------------------

export interface ComposeExpectations {
  /** The CLI (buildProgram()): the commands and options containers may run. */
  readonly program: Command;
  /** Environment variables Weir reads (CONFIG_KEYS). */
  readonly configKeys: readonly string[];
  /** Variables read by others (plugins, the AWS SDK, Node) that may also be set. */
  readonly thirdPartyKeys: readonly string[];
  /** Readers of the environment beside loadConfig (plugins' settings); each throws on a value it refuses. */
  readonly environmentReaders?: readonly ((env: NodeJS.ProcessEnv) => unknown)[];
  /** The Weir image's Dockerfile, relative to the repository root. */
  readonly dockerfile: string;
  /** The compose file's folder relative to the repository root (build contexts are relative to it). */
  readonly composeDir: string;
  /** The image's working directory (WORKDIR of its final stage), to map container paths to the repository. */
  readonly workdir: string;
  /** Repository root. */
  readonly root: string;
}

/** Services built from our Dockerfile: the ones that run `weir`. */
export function weirServices(compose: ComposeFile, expected: Pick<ComposeExpectations, 'dockerfile' | 'composeDir'>) {
  return Object.entries(compose.services ?? {}).filter(([, service]) => {
    const build = service.build;
    if (build === undefined) return false;
    const context = typeof build === 'string' ? build : (build.context ?? '.');
    const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build.dockerfile ?? 'Dockerfile');
    return posix.normalize(posix.join(expected.composeDir, context, dockerfile)) === expected.dockerfile;
  });
}

/** Problems with the compose file as a whole; the empty list when none. */
export function checkCompose(compose: ComposeFile, expected: ComposeExpectations): string[] {
  return [
    ...checkTopology(compose),
    ...checkDependencies(compose),
    ...checkWeirCommands(compose, expected),
    ...checkWeirEnvironment(compose, expected),
    ...checkBuild(compose, expected),
  ];
}

/** The services exist; Redis keeps BullMQ's keys; the server is replicated and the worker scalable. */
export function checkTopology(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  for (const name of ['postgres', 'redis', 'minio', 'server', 'worker']) {
    if (!services[name]) problems.push(`service ${name} is missing`);
  }
  const redis = services.redis;
  if (redis) {
    const args = commandOf(redis);
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    if (!args.includes('--maxmemory-policy') || value('--maxmemory-policy') !== 'noeviction') {
      problems.push('redis: its command must set --maxmemory-policy noeviction (BullMQ loses jobs otherwise)');
    }
    if (!args.includes('--appendonly') || value('--appendonly') !== 'yes') {
      problems.push('redis: its command must set --appendonly yes (the queue must survive a restart)');
    }
  }
  const server = services.server;
  if (server && replicasOf(server) < 2) problems.push(`server: ${replicasOf(server)} replica(s), expected at least 2`);
  const worker = services.worker;
  if (worker) {
    if (replicasOf(worker) < 1) problems.push('worker: needs at least 1 replica');
    if (worker.container_name !== undefined) {
      problems.push(`worker: container_name ${worker.container_name} prevents scaling (--scale worker=N)`);
    }
    for (const port of worker.ports ?? []) {
      if (publishesHostPort(port)) problems.push(`worker: host port ${JSON.stringify(port)} prevents scaling`);
    }
  }
  for (const [name, service] of Object.entries(services)) {
    if (replicasOf(service) > 1 && service.container_name !== undefined) {
      problems.push(`${name}: ${replicasOf(service)} replicas cannot share container_name ${service.container_name}`);
    }
  }
  return problems;
}

/** Every depends_on names a defined service with a condition it can meet. */
export function checkDependencies(compose: ComposeFile, weirImageHasHealthcheck = true): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
      const target = services[dependency];
      if (!target) {
        problems.push(`${name}: depends on ${dependency}, which is not a service`);
        continue;
      }
      if (!conditions.includes(condition ?? '')) {
        problems.push(`${name}: unknown depends_on condition ${condition} for ${dependency}`);
      }
      const hasHealthcheck = target.healthcheck
        ? !target.healthcheck.disable
        : target.build !== undefined && weirImageHasHealthcheck;
      if (condition === 'service_healthy' && !hasHealthcheck) {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      }
    }
  }
  return problems;
}

/** The services built from our image run real weir commands with real options. */
export function checkWeirCommands(compose: ComposeFile, expected: ComposeExpectations): string[] {
  return weirServices(compose, expected).flatMap(([name, service]) =>
    checkWeirArgv(expected.program, commandOf(service), `${name}: command ${JSON.stringify(commandOf(service))}`),
  );
}

function urlHost(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The environment of the weir services: only keys something reads, values loadConfig accepts,
 * and URLs, credentials, bucket and project path that match the other services and the image.
 */
export function checkWeirEnvironment(compose: ComposeFile, expected: ComposeExpectations): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const allowed = new Set([...expected.configKeys, ...expected.thirdPartyKeys]);
  for (const [name, service] of weirServices(compose, expected)) {
    const env = environmentOf(service);
    for (const key of Object.keys(env)) {
      if (!allowed.has(key)) {
        problems.push(
          `${name}: environment variable ${key} is read by nothing (not in CONFIG_KEYS nor the allowed third-party keys)`,
        );
      }
    }
    for (const read of [loadConfig, ...(expected.environmentReaders ?? [])]) {
      try {
        read(env as NodeJS.ProcessEnv);
      } catch (error) {
        problems.push(`${name}: ${read.name || 'a reader'} rejects the environment: ${(error as Error).message}`);
      }
    }
    for (const key of ['WEIR_DATABASE_URL', 'WEIR_REDIS_URL', 'WEIR_S3_ENDPOINT']) {
      if (env[key] === undefined) continue;
      const host = urlHost(env[key]);
      if (!host) problems.push(`${name}: ${key} is not a URL`);
      else if (!services[host]) problems.push(`${name}: ${key} points at host ${host}, which is not a service`);
      else if (!dependsOn(compose, name, host)) {
        problems.push(`${name}: ${key} uses ${host}, but ${name} does not depend on it`);
      }
    }
    const database = env.WEIR_DATABASE_URL ? new URL(env.WEIR_DATABASE_URL) : undefined;
    const postgres = database && services[database.hostname];
    if (database && postgres) {
      const pg = environmentOf(postgres);
      const user = pg.POSTGRES_USER ?? 'postgres';
      const db = pg.POSTGRES_DB ?? user;
      if (decodeURIComponent(database.username) !== user)
        problems.push(`${name}: WEIR_DATABASE_URL user is not POSTGRES_USER (${user})`);
      if (decodeURIComponent(database.password) !== (pg.POSTGRES_PASSWORD ?? '')) {
        problems.push(`${name}: WEIR_DATABASE_URL password is not ${database.hostname}'s POSTGRES_PASSWORD`);
      }
      if (database.pathname.slice(1) !== db)
        problems.push(`${name}: WEIR_DATABASE_URL database is not POSTGRES_DB (${db})`);
    }
    const s3Host = urlHost(env.WEIR_S3_ENDPOINT);
    const s3 = s3Host ? services[s3Host] : undefined;
    if (s3) {
      const store = environmentOf(s3);
      if (env.AWS_ACCESS_KEY_ID !== store.MINIO_ROOT_USER || env.AWS_SECRET_ACCESS_KEY !== store.MINIO_ROOT_PASSWORD) {
        problems.push(
          `${name}: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not ${s3Host}'s MINIO_ROOT_USER/MINIO_ROOT_PASSWORD`,
        );
      }
    }
    const bucket = env.WEIR_OBJECT_STORE?.startsWith('s3://') ? new URL(env.WEIR_OBJECT_STORE).hostname : undefined;
    if (bucket) {
      const creators = Object.entries(services).filter(([, other]) => {
        const args = commandOf(other);
        return args.includes('mb') && args.some((arg) => arg === bucket || arg.endsWith(`/${bucket}`));
      });
      if (creators.length === 0) problems.push(`${name}: no service creates the bucket ${bucket} of WEIR_OBJECT_STORE`);
      for (const [creator] of creators) {
        if (!dependsOn(compose, name, creator))
          problems.push(`${name}: does not wait for ${creator}, which creates bucket ${bucket}`);
      }
    }
    const project = env.WEIR_PROJECT;
    if (project?.startsWith('/')) {
      const inRepo = posix.relative(expected.workdir, project);
      if (inRepo.startsWith('..') || !existsSync(join(expected.root, inRepo))) {
        problems.push(
          `${name}: WEIR_PROJECT ${project} is not a project the image holds (no ${inRepo} in the repository)`,
        );
      }
    }
  }
  return problems;
}

/** Does service `from` depend on `to`, directly or through other services? */
function dependsOn(compose: ComposeFile, from: string, to: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const service = compose.services?.[from];
  if (!service) return false;
  return Object.keys(dependenciesOf(service)).some((next) => next === to || dependsOn(compose, next, to, seen));
}

/** The weir services build from an existing Dockerfile in the repository, which has its ignore file. */
export function checkBuild(compose: ComposeFile, expected: ComposeExpectations): string[] {
  const problems: string[] = [];
  const weir = weirServices(compose, expected);
  if (weir.length === 0) problems.push(`no service is built from ${expected.dockerfile}`);
  for (const name of ['server', 'worker']) {
    if (compose.services?.[name] && !weir.some(([candidate]) => candidate === name)) {
      problems.push(`${name}: not built from ${expected.dockerfile}`);
    }
  }
  if (!existsSync(join(expected.root, expected.dockerfile))) problems.push(`${expected.dockerfile} does not exist`);
  if (!existsSync(join(expected.root, `${expected.dockerfile}.dockerignore`))) {
    problems.push(`${expected.dockerfile}.dockerignore does not exist`);
  }
  return problems;
}

// --- Dockerfile ----------------------------------------------------------------------------------

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** The instructions of a Dockerfile: comments dropped (also inside continued lines), continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line) || (pending === undefined && line.trim() === '')) return;
    const continued = /\\\s*$/.test(line);
    const content = continued ? line.replace(/\\\s*$/, '') : line;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(content.trim());
    if (continued) return;
    const joined = pending.parts.filter(Boolean).join(' ');
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (match) instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!, line: pending.line });
    pending = undefined;
  });
  return instructions;
}

/** Splits `--flag=value` options off an instruction's arguments. */
function flagsAndRest(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args.trim();
  for (let match = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); match; match = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags[match[1]!] = match[2] ?? 'true';
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** An exec-form (JSON array) argument list, or undefined for the shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const { rest } = flagsAndRest(instruction.args);
      const [from, as, name] = rest.split(/\s+/);
      stages.push({ from: from ?? '', name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The final stage's working directory (absolute WORKDIRs only; the last one wins). */
export function workdirOf(stage: Stage): string {
  const workdirs = stage.instructions.filter((instruction) => instruction.keyword === 'WORKDIR');
  return workdirs.at(-1)?.args.trim() ?? '/';
}

// .dockerignore patterns (Go filepath.Match plus `**`): a pattern excludes a path when it matches
// the path or one of its parent folders; `!` re-includes; the last matching pattern wins.
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function parseIgnoreFile(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Is this context-relative path left out of the build context by these ignore patterns? */
export function isIgnored(path: string, patterns: readonly string[]): boolean {
  const parts = posix
    .normalize(path)
    .replace(/^\.?\/+/, '')
    .split('/');
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = posix.normalize(negate ? raw.slice(1) : raw).replace(/^\/+/, '');
    const regexp = globToRegExp(pattern);
    if (parts.some((_, i) => regexp.test(parts.slice(0, i + 1).join('/')))) ignored = !negate;
  }
  return ignored;
}

export interface DockerfileExpectations {
  /** Repository root = build context. */
  readonly root: string;
  /** Patterns of the Dockerfile's ignore file. */
  readonly ignore: readonly string[];
  /** The workspaces of the root package.json (folders or globs such as `plugins/*`). */
  readonly workspaces: readonly string[];
}

/** Problems with the Dockerfile; the empty list when none. */
export function checkDockerfile(text: string, expected: DockerfileExpectations): string[] {
  const problems: string[] = [];
  const instructions = parseDockerfile(text);
  const stages = stagesOf(instructions);
  if (stages.length < 2) problems.push(`a multi-stage build needs at least 2 FROM, found ${stages.length}`);
  const final = stages.at(-1);
  if (!final) return [...problems, 'no FROM'];

  const users = final.instructions.filter((instruction) => instruction.keyword === 'USER');
  const user = users.at(-1)?.args.trim().split(':')[0];
  if (user === undefined) problems.push('the final stage has no USER: the container would run as root');
  else if (user === 'root' || user === '0') problems.push(`the final stage runs as ${user}`);

  const entrypoint = final.instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT').at(-1);
  const entry = entrypoint && execForm(entrypoint.args);
  if (!entry) problems.push('the final stage needs an exec-form ENTRYPOINT');
  else if (entry[0] !== 'node' || entry[1] !== 'server/bin/weir.js' || entry.length !== 2) {
    problems.push(`ENTRYPOINT ${JSON.stringify(entry)} does not run server/bin/weir.js with node`);
  }
  if (!existsSync(join(expected.root, 'server/bin/weir.js'))) problems.push('server/bin/weir.js does not exist');

  const healthcheck = final.instructions.filter((instruction) => instruction.keyword === 'HEALTHCHECK').at(-1);
  if (!healthcheck || /^NONE\b/i.test(healthcheck.args.trim())) problems.push('the final stage has no HEALTHCHECK');

  if (workdirOf(final) === '/') problems.push('the final stage has no WORKDIR');

  problems.push(...checkCopiedPaths(instructions, expected));
  problems.push(...checkManifestsBeforeInstall(instructions, expected));
  return problems;
}

/** The image's default command (CMD of the final stage) is a real weir command line. */
export function checkDefaultCommand(text: string, program: Command): string[] {
  const final = stagesOf(parseDockerfile(text)).at(-1);
  const cmd = final?.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1);
  const args = cmd && execForm(cmd.args);
  if (!args) return ['the final stage needs an exec-form CMD (the default weir command)'];
  return checkWeirArgv(program, args, `CMD ${JSON.stringify(args)}`);
}

/** Sources copied from the build context: COPY/ADD without --from, minus the destination. */
function contextSources(instruction: Instruction): string[] {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return [];
  const { flags, rest } = flagsAndRest(instruction.args);
  if (flags.from !== undefined) return [];
  const parts = execForm(rest) ?? rest.split(/\s+/).filter(Boolean);
  return parts.slice(0, -1);
}

/** Every path COPY'd from the context exists in the repository and is not left out by the ignore file. */
export function checkCopiedPaths(instructions: readonly Instruction[], expected: DockerfileExpectations): string[] {
  const problems: string[] = [];
  for (const instruction of instructions) {
    for (const source of contextSources(instruction)) {
      if (/^[a-z]+:\/\//i.test(source)) continue; // ADD <url>
      const wildcard = /[*?[]/.test(source);
      // For a pattern, its fixed leading folder must exist (a pattern may match nothing yet).
      const fixed = wildcard ? source.slice(0, source.search(/[*?[]/)).replace(/[^/]*$/, '') || '.' : source;
      if (!existsSync(join(expected.root, fixed))) {
        problems.push(`line ${instruction.line}: ${instruction.keyword} ${source}: ${fixed} is not in the repository`);
      } else if (!wildcard && fixed !== '.' && isIgnored(fixed, expected.ignore)) {
        problems.push(
          `line ${instruction.line}: ${instruction.keyword} ${source}: left out of the build context by the ignore file`,
        );
      }
    }
  }
  return problems;
}

/** Each workspace's package.json is copied before `npm ci`, or the install fails or misses it. */
export function checkManifestsBeforeInstall(
  instructions: readonly Instruction[],
  expected: DockerfileExpectations,
): string[] {
  const install = instructions.findIndex(
    (instruction) => instruction.keyword === 'RUN' && /\bnpm (ci|install)\b/.test(instruction.args),
  );
  if (install === -1) return ['no RUN npm ci'];
  const copied = instructions.slice(0, install).flatMap((instruction) => contextSources(instruction));
  const covers = (file: string) =>
    copied.some(
      (source) => source === file || source === '.' || (/[*?[]/.test(source) && globToRegExp(source).test(file)),
    );
  const problems: string[] = [];
  for (const file of ['package.json', 'package-lock.json', ...expected.workspaces.map((w) => `${w}/package.json`)]) {
    if (!covers(file)) problems.push(`${file} is not copied before npm ci (line ${instructions[install]!.line})`);
  }
  return problems;
}

/** Reads a repository file. */
export function readRepoFile(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
