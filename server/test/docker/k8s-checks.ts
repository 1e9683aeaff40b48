// Static checks of the Kubernetes manifests (docker/k8s/) against the code: the commands, options
// and environment variables the containers use exist, the probes hit the server's health routes,
// the worker's grace period outlasts its drain, and KEDA watches the queue Weir really uses.
// Like deployment-checks.ts, every check returns a list of problems (empty when fine), so tests
// can feed broken copies. The schemas are checked in k8s-manifests.ts.
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../src/config/weir-config.js';
import { checkWeirArgv } from './deployment-checks.js';
import { checkSchemas, type Container, type K8sObject, type Labels, type Manifests } from './k8s-manifests.js';

export interface KubernetesExpectations {
  readonly program: Command;
  /** Variables something reads: CONFIG_KEYS plus the third-party keys (S3 plugin, AWS SDK, Node). */
  readonly allowedKeys: readonly string[];
  readonly environmentReaders?: readonly ((env: NodeJS.ProcessEnv) => unknown)[];
  /** The Redis lists of the BullMQ queue: waiting jobs (which KEDA must watch) and running ones. */
  readonly waitList: string;
  readonly activeList: string;
  /** The longest a worker takes to stop after SIGTERM. */
  readonly workerDrainMs: number;
  readonly root: string;
  /** The image's WORKDIR, to map container paths to the repository. */
  readonly workdir: string;
}

const byKind = (objects: readonly K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);
const workloads = (objects: readonly K8sObject[]) =>
  objects.filter((object) => (object.kind === 'Deployment' || object.kind === 'Job') && object.spec?.template);
const containersOf = (object: K8sObject) => object.spec?.template?.spec.containers ?? [];
/** The Deployment whose container runs `weir <command>`. */
export function deploymentRunning(objects: readonly K8sObject[], command: string): K8sObject | undefined {
  return byKind(objects, 'Deployment').find((object) => containersOf(object).some((c) => c.args?.[0] === command));
}
const selects = (selector: Labels | undefined, labels: Labels | undefined) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);
const podLabels = (object: K8sObject) => object.spec?.template?.metadata?.labels;

/** The environment a container gets: its envFrom ConfigMaps and Secrets, then its env entries. */
export function environmentOfContainer(objects: readonly K8sObject[], container: Container, where: string) {
  const env: Record<string, string | undefined> = {};
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    const [kind, name] = source.configMapRef
      ? ['ConfigMap', source.configMapRef.name]
      : ['Secret', source.secretRef?.name ?? ''];
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (!found) problems.push(`${where}: envFrom ${kind} ${name}, which is not a manifest here`);
    const data = { ...found?.data, ...found?.stringData };
    if (kind === 'Secret' && found?.data) {
      for (const [key, value] of Object.entries(found.data)) data[key] = Buffer.from(value, 'base64').toString();
    }
    Object.assign(env, data);
  }
  for (const entry of container.env ?? []) env[entry.name] = entry.value;
  return { env, problems };
}

/** Every container running the Weir image: a real weir command line, real variables, the listed image. */
export function checkWeirContainers(manifests: Manifests, expected: KubernetesExpectations): string[] {
  const problems: string[] = [];
  const allowed = new Set(expected.allowedKeys);
  const images = new Set((manifests.kustomization.images ?? []).map((image) => image.name));
  for (const object of workloads(manifests.objects)) {
    const security = object.spec!.template!.spec.securityContext;
    if (security?.runAsNonRoot !== true || security.runAsUser === 0) {
      problems.push(`${object.kind}/${object.metadata.name}: its pods must run as non-root (runAsNonRoot: true)`);
    }
    for (const container of containersOf(object)) {
      const where = `${object.kind}/${object.metadata.name} container ${container.name}`;
      if (!images.has(container.image ?? '')) {
        problems.push(`${where}: image ${container.image} is not in kustomization.yaml's images`);
      }
      if (container.command !== undefined) {
        problems.push(`${where}: command replaces the image's entrypoint (node server/bin/weir.js); use args`);
      }
      problems.push(...checkWeirArgv(expected.program, container.args ?? [], `${where}: args`));
      if (!container.resources?.requests) problems.push(`${where}: no resource requests`);
      const { env, problems: missing } = environmentOfContainer(manifests.objects, container, where);
      problems.push(...missing);
      for (const key of Object.keys(env)) {
        if (!allowed.has(key)) problems.push(`${where}: environment variable ${key} is read by nothing`);
      }
      for (const read of [loadConfig, ...(expected.environmentReaders ?? [])]) {
        try {
          read(env as NodeJS.ProcessEnv);
        } catch (error) {
          problems.push(`${where}: ${read.name || 'a reader'} rejects the environment: ${(error as Error).message}`);
        }
      }
      const project = env.WEIR_PROJECT;
      const inRepo = project?.startsWith('/') ? posix.relative(expected.workdir, project) : undefined;
      if (inRepo !== undefined && (inRepo.startsWith('..') || !existsSync(join(expected.root, inRepo)))) {
        problems.push(`${where}: WEIR_PROJECT ${project} is not a project the image holds`);
      }
    }
  }
  return problems;
}

/** The port a probe or Service targets, as a container port number (names resolved). */
function resolvePort(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return container.ports?.some((p) => p.containerPort === port) ? port : undefined;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The server: replicated, probes on /readyz and /healthz of the port it listens on, a Service and a PDB. */
export function checkServer(manifests: Manifests): string[] {
  const server = deploymentRunning(manifests.objects, 'server');
  if (!server) return ['no Deployment runs `weir server`'];
  const name = `Deployment/${server.metadata.name}`;
  const problems: string[] = [];
  if ((server.spec?.replicas ?? 1) < 2) problems.push(`${name}: ${server.spec?.replicas ?? 1} replica(s), expected 2`);
  const container = containersOf(server).find((c) => c.args?.[0] === 'server')!;
  const { env } = environmentOfContainer(manifests.objects, container, name);
  const args = container.args ?? [];
  const portFlag = args.includes('--port') ? args[args.indexOf('--port') + 1] : undefined;
  const listens = Number(portFlag ?? env.WEIR_PORT ?? 3000);
  if (!container.ports?.some((p) => p.containerPort === listens)) {
    problems.push(`${name}: declares no container port ${listens}, where weir server listens`);
  }
  for (const [probe, path] of [
    ['readinessProbe', '/readyz'],
    ['livenessProbe', '/healthz'],
  ] as const) {
    const http = container[probe]?.httpGet;
    if (!http) {
      problems.push(`${name}: no ${probe} (HTTP GET ${path})`);
      continue;
    }
    if (http.path !== path) problems.push(`${name}: ${probe} asks ${http.path}, expected ${path}`);
    if (resolvePort(container, http.port) !== listens) {
      problems.push(`${name}: ${probe} port ${http.port} is not the port weir server listens on (${listens})`);
    }
  }
  const services = byKind(manifests.objects, 'Service').filter((s) => selects(s.spec?.selector, podLabels(server)));
  if (services.length === 0) problems.push(`no Service selects the pods of ${name}`);
  for (const service of services) {
    for (const port of service.spec?.ports ?? []) {
      if (resolvePort(container, port.targetPort ?? port.port) !== listens) {
        problems.push(`Service/${service.metadata.name}: targetPort ${port.targetPort} is not the server's port`);
      }
    }
  }
  return problems;
}

/** The worker: no HTTP probes, and more time between SIGTERM and SIGKILL than its drain takes. */
export function checkWorker(manifests: Manifests, expected: Pick<KubernetesExpectations, 'workerDrainMs'>): string[] {
  const worker = deploymentRunning(manifests.objects, 'worker');
  if (!worker) return ['no Deployment runs `weir worker`'];
  const name = `Deployment/${worker.metadata.name}`;
  const problems: string[] = [];
  const grace = worker.spec?.template?.spec.terminationGracePeriodSeconds ?? 30;
  if (grace * 1000 <= expected.workerDrainMs) {
    problems.push(
      `${name}: terminationGracePeriodSeconds ${grace} is not longer than the worker's drain (${expected.workerDrainMs / 1000} s)`,
    );
  }
  for (const container of containersOf(worker)) {
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      if (container[probe]?.httpGet) problems.push(`${name}: ${probe} asks HTTP, but weir worker serves none`);
    }
  }
  if (worker.spec?.replicas !== undefined) {
    problems.push(`${name}: sets replicas, which KEDA owns (every apply would reset the scale)`);
  }
  return problems;
}

/** KEDA scales the worker Deployment on the queue's Redis lists, one replica per --concurrency steps. */
export function checkScaledObject(manifests: Manifests, expected: KubernetesExpectations): string[] {
  const scaled = byKind(manifests.objects, 'ScaledObject');
  if (scaled.length !== 1) return [`expected one ScaledObject, found ${scaled.length}`];
  const object = scaled[0]!;
  const spec = object.spec!;
  const name = `ScaledObject/${object.metadata.name}`;
  const problems: string[] = [];
  const worker = deploymentRunning(manifests.objects, 'worker');
  const target = spec.scaleTargetRef;
  if (!worker || target?.name !== worker.metadata.name) {
    problems.push(`${name}: scaleTargetRef names ${target?.name}, not the worker Deployment ${worker?.metadata.name}`);
  }
  if ((target?.kind ?? 'Deployment') !== 'Deployment' || (target?.apiVersion ?? 'apps/v1') !== 'apps/v1') {
    problems.push(`${name}: scaleTargetRef must be an apps/v1 Deployment`);
  }
  const min = spec.minReplicaCount ?? 0;
  const max = spec.maxReplicaCount ?? 100;
  if (min > 1 || max <= Math.max(min, 1))
    problems.push(`${name}: replicas ${min}..${max}, expected min 0 or 1 and max > 1`);

  const container = worker && containersOf(worker).find((c) => c.args?.[0] === 'worker');
  const args = container?.args ?? [];
  const flag = args.findIndex((arg) => arg === '--concurrency' || arg === '-c');
  const env: Record<string, string | undefined> = container
    ? environmentOfContainer(manifests.objects, container, name).env
    : {};
  const concurrency = String(flag === -1 ? (env.WEIR_CONCURRENCY ?? '') : args[flag + 1]);
  const redis = env.WEIR_REDIS_URL ? new URL(env.WEIR_REDIS_URL) : undefined;
  const address = redis && `${redis.hostname}:${redis.port || '6379'}`;
  const triggers = spec.triggers ?? [];
  if (!triggers.some((t) => t.type === 'redis' && t.metadata.listName === expected.waitList)) {
    problems.push(`${name}: no redis trigger watches ${expected.waitList}, the list of waiting steps`);
  }
  const modifiers = spec.advanced?.scalingModifiers;
  for (const trigger of triggers) {
    const where = `${name}: trigger ${trigger.name ?? trigger.type}`;
    if (trigger.type !== 'redis') {
      problems.push(`${where}: type ${trigger.type}, expected redis`);
      continue;
    }
    const list = trigger.metadata.listName;
    if (list !== expected.waitList && list !== expected.activeList) {
      problems.push(`${where}: listName ${list} is not a list of the queue (${expected.waitList})`);
    }
    if (trigger.metadata.address !== address) {
      problems.push(`${where}: address ${trigger.metadata.address} is not WEIR_REDIS_URL's ${address}`);
    }
    if (!modifiers && trigger.metadata.listLength !== concurrency) {
      problems.push(
        `${where}: listLength ${trigger.metadata.listLength} is not the workers' concurrency ${concurrency}`,
      );
    }
  }
  if (modifiers) {
    if (modifiers.target !== concurrency) {
      problems.push(
        `${name}: scalingModifiers target ${modifiers.target} is not the workers' concurrency ${concurrency}`,
      );
    }
    const names = new Set(triggers.map((t) => t.name));
    for (const word of modifiers.formula?.match(/[A-Za-z_]\w*/g) ?? []) {
      if (!names.has(word)) problems.push(`${name}: scalingModifiers formula uses ${word}, which no trigger is named`);
    }
  }
  return problems;
}

/** Each Deployment has a PodDisruptionBudget selecting its pods, and only its pods. */
export function checkDisruptionBudgets(manifests: Manifests): string[] {
  const deployments = byKind(manifests.objects, 'Deployment');
  const budgets = byKind(manifests.objects, 'PodDisruptionBudget');
  const problems: string[] = [];
  for (const deployment of deployments) {
    if (!budgets.some((pdb) => selects(pdb.spec?.selector?.matchLabels, podLabels(deployment)))) {
      problems.push(`Deployment/${deployment.metadata.name}: no PodDisruptionBudget selects its pods`);
    }
  }
  for (const pdb of budgets) {
    const selected = deployments.filter((d) => selects(pdb.spec?.selector?.matchLabels, podLabels(d)));
    if (selected.length !== 1) {
      problems.push(`PodDisruptionBudget/${pdb.metadata.name}: selects the pods of ${selected.length} Deployments`);
    }
  }
  for (const deployment of deployments) {
    if (!selects(deployment.spec?.selector?.matchLabels, podLabels(deployment))) {
      problems.push(`Deployment/${deployment.metadata.name}: its selector does not match its pod labels`);
    }
  }
  return problems;
}

/** A Job runs `weir migrate` once (restartPolicy Never or OnFailure) with the servers' environment. */
export function checkMigrationJob(manifests: Manifests): string[] {
  const jobs = byKind(manifests.objects, 'Job').filter((job) =>
    containersOf(job).some((c) => c.args?.[0] === 'migrate'),
  );
  if (jobs.length !== 1) return [`expected one Job running \`weir migrate\`, found ${jobs.length}`];
  const job = jobs[0]!;
  const problems: string[] = [];
  const policy = job.spec?.template?.spec.restartPolicy;
  if (policy !== 'Never' && policy !== 'OnFailure') problems.push(`Job/${job.metadata.name}: restartPolicy ${policy}`);
  const server = deploymentRunning(manifests.objects, 'server');
  const envFrom = (object: K8sObject | undefined) => JSON.stringify(object && containersOf(object)[0]?.envFrom);
  if (server && envFrom(job) !== envFrom(server)) {
    problems.push(`Job/${job.metadata.name}: its envFrom differs from the server's: it would migrate another database`);
  }
  return problems;
}

/** The namespace of a cluster-internal host name (`<service>.<namespace>.svc[.cluster.local]`). */
function namespaceOfHost(host: string): string | undefined {
  return /^[^.]+\.([^.]+)\.svc(\.cluster\.local)?$/.exec(host)?.[1];
}

/**
 * In-cluster addresses (the URLs of the configuration, KEDA's Redis address) name the
 * kustomization's namespace: another one would point at services that are not there.
 */
export function checkClusterHostnames(manifests: Manifests): string[] {
  const namespace = manifests.kustomization.namespace;
  if (!namespace) return [];
  const problems: string[] = [];
  const check = (host: string, where: string) => {
    const found = namespaceOfHost(host);
    if (found !== undefined && found !== namespace) {
      problems.push(`${where}: ${host} is in namespace ${found}, but the manifests go to ${namespace}`);
    }
  };
  for (const object of manifests.objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')) {
    for (const [key, value] of Object.entries({ ...object.data, ...object.stringData })) {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
      check(new URL(value).hostname, `${object.kind}/${object.metadata.name} ${key}`);
    }
  }
  for (const scaled of byKind(manifests.objects, 'ScaledObject')) {
    for (const trigger of scaled.spec?.triggers ?? []) {
      const address = trigger.metadata.address;
      if (address) check(address.replace(/:\d+$/, ''), `ScaledObject/${scaled.metadata.name} ${trigger.name}`);
    }
  }
  return problems;
}

export function checkManifests(manifests: Manifests, expected: KubernetesExpectations): string[] {
  return [
    ...checkSchemas(manifests.objects),
    ...checkWeirContainers(manifests, expected),
    ...checkServer(manifests),
    ...checkWorker(manifests, expected),
    ...checkScaledObject(manifests, expected),
    ...checkDisruptionBudgets(manifests),
    ...checkMigrationJob(manifests),
    ...checkClusterHostnames(manifests),
  ];
}
