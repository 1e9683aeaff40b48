/**
 * A real S3-protocol server for tests and benchmarks: s3rver, run as a child process so that its
 * memory and event loop stay out of the process being measured. No S3 server is packaged for
 * apt; s3rver is a devDependency of the repository root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** s3rver's fixed account; it accepts no other credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const READY = /S3rver listening on ([\d.]+):(\d+)/;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface S3rverProcess {
  /** e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /** The bucket created at start-up. */
  readonly bucket: string;
  readonly pid: number;
  /** The environment that points `@weir/object-store-s3` at this server. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver on a free localhost port (or `options.port`) with its data in a new temporary
 * directory, and creates `bucket` in it.
 */
export async function startS3rver(bucket: string, options: { port?: number } = {}): Promise<S3rverProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'weir-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  // Port 0: the kernel picks a free port, which s3rver prints once it listens.
  // s3rver encrypts its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its
  // legacy provider: without it every truncated listing (over 1000 keys) answers 500.
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '--directory',
      dataDir,
      '--address',
      '127.0.0.1',
      '--port',
      String(options.port ?? 0),
      '--silent',
      '--configure-bucket',
      bucket,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test or benchmark that crashes before stop() must not leave the server running.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let endpoint: string;
  try {
    endpoint = await waitUntilListening(child, () => output);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const env = {
    WEIR_S3_ENDPOINT: endpoint,
    WEIR_S3_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  };
  return {
    endpoint,
    bucket,
    pid: child.pid!,
    env,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function waitUntilListening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error, endpoint?: string): void => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(endpoint!);
    };
    const check = (): void => {
      const match = READY.exec(output());
      if (match) done(undefined, `http://${match[1]}:${match[2]}`);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(new Error(`s3rver exited before listening (${code ?? signal}):\n${output()}`));
    const timer = setTimeout(
      () => done(new Error(`s3rver did not listen within ${START_TIMEOUT_MS} ms:\n${output()}`)),
      START_TIMEOUT_MS,
    );
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}
