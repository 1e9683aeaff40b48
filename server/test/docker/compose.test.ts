// The Docker deployment (docker/) checked against the code, without Docker: the compose file and
// the Dockerfile must run commands, options and environment variables that exist, and name
// services, files and credentials consistently. The last group feeds the same checks broken
// copies, to prove they catch what they are meant to.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readS3Settings, S3_ENV } from '@weir/object-store-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { CONFIG_KEYS } from '../../src/config/weir-config.js';
import {
  checkBuild,
  checkCompose,
  checkDefaultCommand,
  checkDependencies,
  checkDockerfile,
  checkTopology,
  checkWeirArgv,
  checkWeirCommands,
  checkWeirEnvironment,
  environmentOf,
  interpolate,
  isIgnored,
  parseCompose,
  parseDockerfile,
  parseIgnoreFile,
  readRepoFile,
  stagesOf,
  workdirOf,
  type ComposeExpectations,
  type ComposeFile,
  type DockerfileExpectations,
} from './deployment-checks.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// Variables read by something other than Weir's own configuration (CONFIG_KEYS): the S3 object
// store plugin's own keys (its exported S3_ENV: WEIR_S3_ENDPOINT, WEIR_S3_REGION,
// WEIR_S3_FORCE_PATH_STYLE), the AWS SDK's standard credentials, and Node.
const THIRD_PARTY_KEYS = [...Object.values(S3_ENV), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'NODE_ENV'];

const program = buildProgram();
const composeText = readRepoFile(root, 'docker/compose.yaml');
const dockerfileText = readRepoFile(root, 'docker/Dockerfile');
const ignore = parseIgnoreFile(readRepoFile(root, 'docker/Dockerfile.dockerignore'));
const workspaces = (JSON.parse(readRepoFile(root, 'package.json')) as { workspaces?: string[] }).workspaces ?? [];
const finalStage = stagesOf(parseDockerfile(dockerfileText)).at(-1);

const composeExpectations: ComposeExpectations = {
  program,
  configKeys: Object.keys(CONFIG_KEYS),
  thirdPartyKeys: THIRD_PARTY_KEYS,
  environmentReaders: [readS3Settings],
  dockerfile: 'docker/Dockerfile',
  composeDir: 'docker',
  workdir: finalStage ? workdirOf(finalStage) : '/',
  root,
};
const dockerfileExpectations: DockerfileExpectations = { root, ignore, workspaces };

/** A fresh parsed copy of docker/compose.yaml, to break on purpose. */
const compose = (): ComposeFile => parseCompose(composeText);

describe('docker/compose.yaml', () => {
  it('has postgres, redis (noeviction, AOF), minio, a replicated server and a scalable worker', () => {
    expect(checkTopology(compose())).toEqual([]);
  });

  it('depends only on defined services, with conditions they can meet', () => {
    expect(checkDependencies(compose())).toEqual([]);
  });

  it('builds server and worker from docker/Dockerfile, which has its ignore file', () => {
    expect(checkBuild(compose(), composeExpectations)).toEqual([]);
  });

  it('runs real weir commands with real options in server and worker', () => {
    expect(checkWeirCommands(compose(), composeExpectations)).toEqual([]);
  });

  it('sets only environment variables something reads, with values and addresses that fit together', () => {
    expect(checkWeirEnvironment(compose(), composeExpectations)).toEqual([]);
  });

  it('gives server and worker the same configuration (the x-weir anchor)', () => {
    const { server, worker } = compose().services;
    expect(environmentOf(worker!)).toEqual(environmentOf(server!));
    expect(Object.keys(environmentOf(server!)).length).toBeGreaterThan(0);
  });
});

describe('docker/Dockerfile', () => {
  it('is multi-stage, runs server/bin/weir.js as a non-root user, and copies what exists', () => {
    expect(checkDockerfile(dockerfileText, dockerfileExpectations)).toEqual([]);
  });

  it('defaults to a real weir command', () => {
    expect(checkDefaultCommand(dockerfileText, program)).toEqual([]);
  });
});

describe('the deployment checks', () => {
  const problemsOf = (mutate: (file: ComposeFile) => void) => {
    const file = compose();
    mutate(file);
    return checkCompose(file, composeExpectations);
  };

  it('reject a misspelled command', () => {
    const problems = problemsOf((file) => {
      file.services.server!.command = ['serve'];
    });
    expect(problems).toContainEqual(expect.stringContaining('`weir serve` is not a weir command'));
  });

  it('reject an unknown option, a missing option value and an extra argument', () => {
    expect(checkWeirArgv(program, ['dev', '--port', '3000', '--no-watch', '--host=0.0.0.0'], 'dev')).toEqual([]);
    expect(checkWeirArgv(program, ['dev', '--prot', '3000'], 'dev')).toEqual([
      expect.stringContaining('has no option --prot'),
    ]);
    expect(checkWeirArgv(program, ['dev', '--port'], 'dev')).toEqual([expect.stringContaining('needs a value')]);
    expect(checkWeirArgv(program, ['dev', 'extra'], 'dev')).toEqual([expect.stringContaining('takes 0 argument(s)')]);
    // Global options are accepted after the command, as commander does.
    expect(checkWeirArgv(program, ['graph', '--project', '/app/assets'], 'graph')).toEqual([]);
  });

  it('reject an unknown option in a service command', () => {
    const problems = problemsOf((file) => {
      file.services.worker!.command = ['dev', '--concurency', '4'];
    });
    expect(problems).toContainEqual(expect.stringContaining('has no option --concurency'));
  });

  it('reject a misspelled or unknown environment variable, in map and list form', () => {
    const misspelled = problemsOf((file) => {
      const env = file.services.server!.environment as Record<string, string>;
      env.WEIR_DATABSE_URL = env.WEIR_DATABASE_URL!;
      delete env.WEIR_DATABASE_URL;
    });
    expect(misspelled).toContainEqual(expect.stringContaining('WEIR_DATABSE_URL is read by nothing'));
    const listed = problemsOf((file) => {
      file.services.worker!.environment = ['WEIR_REDIS_URL=redis://redis:6379', 'REDIS_URL=redis://redis:6379'];
    });
    expect(listed).toContainEqual(expect.stringContaining('REDIS_URL is read by nothing'));
    expect(listed).not.toContainEqual(expect.stringContaining('WEIR_REDIS_URL is read by nothing'));
  });

  it('reject values Weir refuses and addresses or credentials that do not match', () => {
    const problems = problemsOf((file) => {
      const env = file.services.server!.environment as Record<string, string>;
      env.WEIR_LOG_LEVEL = 'verbose';
      env.WEIR_REDIS_URL = 'redis://cache:6379';
      env.WEIR_DATABASE_URL = 'postgres://weir:wrong@postgres:5432/weir';
      env.WEIR_OBJECT_STORE = 's3://other-bucket/objects';
      env.WEIR_PROJECT = '/app/asset';
      env.AWS_SECRET_ACCESS_KEY = 'not-the-minio-password';
      env.WEIR_S3_FORCE_PATH_STYLE = 'yes';
    });
    for (const expected of [
      'loadConfig rejects the environment: WEIR_LOG_LEVEL="verbose" is invalid',
      'WEIR_REDIS_URL points at host cache, which is not a service',
      "WEIR_DATABASE_URL password is not postgres's POSTGRES_PASSWORD",
      'no service creates the bucket other-bucket',
      'WEIR_PROJECT /app/asset is not a project the image holds',
      "are not minio's MINIO_ROOT_USER/MINIO_ROOT_PASSWORD",
      'readS3Settings rejects the environment: WEIR_S3_FORCE_PATH_STYLE must be true or false',
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(expected));
    }
  });

  it('reject dependencies on undefined services or on health that is never reported', () => {
    const problems = problemsOf((file) => {
      file.services.worker!.depends_on = { postgress: { condition: 'service_healthy' } };
      delete file.services.redis!.healthcheck;
      file.services.server!.depends_on = { redis: { condition: 'service_healthy' } };
    });
    expect(problems).toContainEqual(expect.stringContaining('depends on postgress, which is not a service'));
    expect(problems).toContainEqual(
      expect.stringContaining('waits for redis to be healthy, but redis has no healthcheck'),
    );
    // The worker no longer waits for the database nor the bucket it uses.
    expect(problems).toContainEqual(expect.stringContaining('worker: WEIR_DATABASE_URL uses postgres'));
  });

  it('reject an evicting Redis, a single server and an unscalable worker', () => {
    const problems = problemsOf((file) => {
      file.services.redis!.command = ['redis-server', '--maxmemory-policy', 'allkeys-lru'];
      file.services.server!.deploy = { replicas: 1 };
      file.services.worker!.container_name = 'weir-worker';
      file.services.worker!.ports = ['9000:9000'];
      delete file.services.minio;
    });
    for (const expected of [
      'service minio is missing',
      'redis: its command must set --maxmemory-policy noeviction',
      'redis: its command must set --appendonly yes',
      'server: 1 replica(s), expected at least 2',
      'worker: container_name weir-worker prevents scaling',
      'worker: host port "9000:9000" prevents scaling',
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(expected));
    }
  });

  it('reject a single-stage, root, misdirected Dockerfile', () => {
    const broken = [
      'FROM node:20-bookworm-slim',
      'WORKDIR /app',
      'COPY package.json ./',
      'RUN npm ci',
      'COPY server/dist/ server/dist/',
      'COPY docker/compose.yaml ./',
      'COPY missing-file.txt ./',
      'USER root',
      'ENTRYPOINT ["node", "server/dist/src/cli/main.js"]',
      'CMD ["serve"]',
    ].join('\n');
    const problems = checkDockerfile(broken, { ...dockerfileExpectations, workspaces: ['server', 'plugins/*'] });
    for (const expected of [
      'at least 2 FROM, found 1',
      'the final stage runs as root',
      'does not run server/bin/weir.js',
      'the final stage has no HEALTHCHECK',
      'COPY docker/compose.yaml: left out of the build context by the ignore file',
      'COPY missing-file.txt: missing-file.txt is not in the repository',
      'package-lock.json is not copied before npm ci',
      'server/package.json is not copied before npm ci',
      'plugins/*/package.json is not copied before npm ci',
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(expected));
    }
    expect(checkDefaultCommand(broken, program)).toEqual([
      expect.stringContaining('`weir serve` is not a weir command'),
    ]);
    expect(checkDockerfile(broken.replace('USER root', ''), dockerfileExpectations)).toContainEqual(
      expect.stringContaining('has no USER'),
    );
  });

  it('read continued lines and comments, ignore patterns and compose interpolation as Docker does', () => {
    const instructions = parseDockerfile('FROM a AS b\nRUN one \\\n  # a comment\n  && two\nUSER 10001\n');
    expect(instructions.map((i) => [i.keyword, i.args])).toEqual([
      ['FROM', 'a AS b'],
      ['RUN', 'one && two'],
      ['USER', '10001'],
    ]);
    expect(isIgnored('server/node_modules/x/index.js', ignore)).toBe(true);
    expect(isIgnored('server/dist/src/index.js', ignore)).toBe(true);
    expect(isIgnored('docker/compose.yaml', ignore)).toBe(true);
    expect(isIgnored('docker/healthcheck.mjs', ignore)).toBe(false);
    expect(isIgnored('server/src/index.ts', ignore)).toBe(false);
    expect(interpolate('a-${X:-dflt}-${Y}-$$Z', { Y: 'y' })).toBe('a-dflt-y-$Z');
    expect(interpolate('${X:-dflt}', { X: 'set' })).toBe('set');
    expect(interpolate('${X:-dflt}', { X: '' })).toBe('dflt');
    expect(interpolate('${X-dflt}', { X: '' })).toBe('');
  });
});

describe('docker/healthcheck.mjs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'weir-healthcheck-'));
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Exit code of the healthcheck for a container whose main process is `node server/bin/weir.js ...args`. */
  const healthcheck = (args: string[]) => {
    const cmdline = join(scratch, `cmdline-${args.join('_').replace(/[^\w-]/g, '')}`);
    writeFileSync(cmdline, ['node', 'server/bin/weir.js', ...args, ''].join('\0'));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key !== 'WEIR_PORT' && key !== 'WEIR_HOST'),
    );
    return new Promise<number>((resolve) => {
      execFile(process.execPath, [join(root, 'docker/healthcheck.mjs'), cmdline], { env }, (error) =>
        resolve(error ? Number(error.code ?? 1) : 0),
      );
    });
  };

  const httpServer = async (status: number) => {
    const server = createServer((request, response) => {
      response.statusCode = request.url === '/healthz' ? status : 404;
      response.end('{}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return String((server.address() as AddressInfo).port);
  };

  it('asks GET /healthz of `weir server` on its port', async () => {
    expect(await healthcheck(['server', '--port', await httpServer(200)])).toBe(0);
    expect(await healthcheck(['server', `--port=${await httpServer(503)}`])).toBe(1);
  });

  it('fails when nothing listens', async () => {
    const port = await httpServer(200);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await healthcheck(['server', '--port', port])).toBe(1);
  });

  it('passes for `weir worker`, which serves no HTTP', async () => {
    expect(await healthcheck(['worker', '--concurrency', '4'])).toBe(0);
    expect(await healthcheck(['--project', 'server', 'worker'])).toBe(0);
  });
});
