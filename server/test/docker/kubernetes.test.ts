// The Kubernetes manifests (docker/k8s/) checked without a cluster: every file the kustomization
// lists against the Kubernetes and KEDA schemas (kubernetes-models), then against the code (the
// weir commands and variables, the health routes, the worker's drain, the BullMQ queue's keys).
// The last group feeds the checks broken copies, to prove they catch what they are meant to.
import { fileURLToPath } from 'node:url';
import { readS3Settings, S3_ENV } from '@weir/object-store-s3';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { CONFIG_KEYS } from '../../src/config/weir-config.js';
import { stopBoundMs } from '../../src/engine/weir-engine.js';
import { DEFAULT_QUEUE, redisActiveListKey, redisWaitListKey } from '../../src/execution/bullmq-executor.js';
import { SANDBOX_CLOSE_BOUND_MS } from '../../src/execution/isolate/worker-pool-sandbox.js';
import { parseDockerfile, readRepoFile, stagesOf, workdirOf } from './deployment-checks.js';
import {
  checkClusterHostnames,
  checkDisruptionBudgets,
  checkManifests,
  checkMigrationJob,
  checkScaledObject,
  checkServer,
  checkWeirContainers,
  checkWorker,
  deploymentRunning,
  type KubernetesExpectations,
} from './k8s-checks.js';
import { checkResourceList, checkSchemas, loadManifests, type K8sObject, type Manifests } from './k8s-manifests.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = 'docker/k8s';
const finalStage = stagesOf(parseDockerfile(readRepoFile(root, 'docker/Dockerfile'))).at(-1)!;

const expected: KubernetesExpectations = {
  program: buildProgram(),
  // As in compose.test.ts: Weir's keys, the S3 plugin's, the AWS SDK's credentials and Node's.
  allowedKeys: [
    ...Object.keys(CONFIG_KEYS),
    ...Object.values(S3_ENV),
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'NODE_ENV',
  ],
  environmentReaders: [readS3Settings],
  waitList: redisWaitListKey(),
  activeList: redisActiveListKey(),
  workerDrainMs: stopBoundMs(SANDBOX_CLOSE_BOUND_MS),
  root,
  workdir: workdirOf(finalStage),
};

/** A fresh parsed copy of the manifests, to break on purpose. */
const manifests = (): Manifests => loadManifests(root, DIR);
const find = (m: Manifests, kind: string, name?: string): K8sObject =>
  m.objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name))!;
const serverOf = (m: Manifests) => deploymentRunning(m.objects, 'server')!;
const workerOf = (m: Manifests) => deploymentRunning(m.objects, 'worker')!;
const container = (object: K8sObject) => object.spec!.template!.spec.containers[0]!;

describe('docker/k8s', () => {
  it('lists every manifest in kustomization.yaml, and only files that exist', () => {
    const { kustomization } = manifests();
    expect(checkResourceList(root, DIR, kustomization)).toEqual([]);
    expect(kustomization.resources!.length).toBeGreaterThanOrEqual(7);
  });

  it('validates every document against the Kubernetes and KEDA schemas', () => {
    const { objects } = manifests();
    expect(checkSchemas(objects)).toEqual([]);
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set([
        'Namespace',
        'ConfigMap',
        'Secret',
        'Job',
        'Deployment',
        'Service',
        'PodDisruptionBudget',
        'ScaledObject',
      ]),
    );
    // Everything but the Namespace lands in the kustomization's namespace.
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'weir')).toBe(true);
  });

  it('runs real weir commands and options, as non-root, with only variables something reads', () => {
    expect(checkWeirContainers(manifests(), expected)).toEqual([]);
  });

  it('runs 2 server replicas, ready on /readyz and live on /healthz, behind a Service', () => {
    const m = manifests();
    expect(checkServer(m)).toEqual([]);
    expect(serverOf(m).spec!.replicas).toBe(2);
  });

  it('gives workers longer to stop than their drain takes, and no HTTP probes', () => {
    expect(expected.workerDrainMs).toBeGreaterThan(0);
    expect(checkWorker(manifests(), expected)).toEqual([]);
  });

  it("scales the worker Deployment with KEDA on the BullMQ queue's waiting list", () => {
    const m = manifests();
    expect(checkScaledObject(m, expected)).toEqual([]);
    const scaled = find(m, 'ScaledObject');
    expect(scaled.spec!.scaleTargetRef!.name).toBe(workerOf(m).metadata.name);
    // The list BullMQ (the version installed) keeps the queue's waiting jobs in.
    expect(expected.waitList).toBe(`bull:${DEFAULT_QUEUE}:wait`);
    expect(scaled.spec!.triggers!.map((t) => t.metadata.listName)).toContain(expected.waitList);
  });

  it('has a PodDisruptionBudget for each Deployment, and a migration Job', () => {
    const m = manifests();
    expect(checkDisruptionBudgets(m)).toEqual([]);
    expect(checkMigrationJob(m)).toEqual([]);
    expect(checkClusterHostnames(m)).toEqual([]);
  });
});

describe('the Kubernetes checks', () => {
  const problemsOf = (mutate: (m: Manifests) => void) => {
    const m = manifests();
    mutate(m);
    return checkManifests(m, expected);
  };

  it('pass the manifests as they are', () => {
    expect(checkManifests(manifests(), expected)).toEqual([]);
  });

  it('reject a document the schema refuses and a kind with no schema', () => {
    const problems = problemsOf((m) => {
      (serverOf(m).spec as { replicas: unknown }).replicas = 'two';
      (find(m, 'ScaledObject').spec!.triggers![0]!.metadata as Record<string, unknown>).listLength = 4;
      m.objects.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    });
    expect(problems).toContainEqual(
      expect.stringContaining('ScaledObject/weir-worker: data/spec/triggers/0/metadata/listLength must be string'),
    );
    expect(problems).toContainEqual(
      expect.stringContaining('Deployment/weir-server: data/spec/replicas must be integer'),
    );
    expect(problems).toContainEqual(expect.stringContaining('Widget/w: no schema for example.com/v1 Widget'));
  });

  it('reject a wrong probe path or port', () => {
    const problems = problemsOf((m) => {
      container(serverOf(m)).readinessProbe!.httpGet!.path = '/ready';
      container(serverOf(m)).livenessProbe!.httpGet!.port = 8080;
    });
    expect(problems).toContainEqual(expect.stringContaining('readinessProbe asks /ready, expected /readyz'));
    expect(problems).toContainEqual(
      expect.stringContaining('livenessProbe port 8080 is not the port weir server listens on (3000)'),
    );
  });

  it('reject an unknown environment variable, a value Weir refuses and a misspelled command option', () => {
    const problems = problemsOf((m) => {
      const config = find(m, 'ConfigMap').data!;
      config.WEIR_LOG_LEVL = 'info';
      config.WEIR_LOG_LEVEL = 'verbose';
      container(workerOf(m)).args = ['worker', '--concurency', '4'];
    });
    expect(problems).toContainEqual(expect.stringContaining('environment variable WEIR_LOG_LEVL is read by nothing'));
    expect(problems).toContainEqual(expect.stringContaining('WEIR_LOG_LEVEL="verbose" is invalid'));
    expect(problems).toContainEqual(expect.stringContaining('`weir worker` has no option --concurency'));
  });

  it('reject a ScaledObject naming another Deployment, another list or another Redis', () => {
    const problems = problemsOf((m) => {
      const spec = find(m, 'ScaledObject').spec!;
      spec.scaleTargetRef!.name = 'weir-server';
      spec.triggers![0]!.metadata.listName = 'bull:weir-step:wait';
      spec.triggers![1]!.metadata.address = 'redis:6379';
      spec.advanced!.scalingModifiers!.target = '8';
    });
    for (const message of [
      'scaleTargetRef names weir-server, not the worker Deployment weir-worker',
      `no redis trigger watches ${expected.waitList}`,
      'listName bull:weir-step:wait is not a list of the queue',
      "address redis:6379 is not WEIR_REDIS_URL's redis.weir.svc.cluster.local:6379",
      "scalingModifiers target 8 is not the workers' concurrency 4",
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(message));
    }
  });

  it('reject a grace period shorter than the drain, HTTP probes and replicas on the worker', () => {
    const problems = problemsOf((m) => {
      const worker = workerOf(m);
      worker.spec!.template!.spec.terminationGracePeriodSeconds = 30;
      worker.spec!.replicas = 3;
      container(worker).livenessProbe = { httpGet: { path: '/healthz', port: 3000 } };
    });
    expect(problems).toContainEqual(
      expect.stringContaining(
        `terminationGracePeriodSeconds 30 is not longer than the worker's drain (${expected.workerDrainMs / 1000} s)`,
      ),
    );
    expect(problems).toContainEqual(expect.stringContaining('livenessProbe asks HTTP, but weir worker serves none'));
    expect(problems).toContainEqual(expect.stringContaining('sets replicas, which KEDA owns'));
  });

  it('reject budgets and Services that select no pods, or the wrong ones', () => {
    const problems = problemsOf((m) => {
      find(m, 'PodDisruptionBudget', 'weir-worker').spec!.selector!.matchLabels = { 'app.kubernetes.io/name': 'weir' };
      find(m, 'Service').spec!.selector = { 'app.kubernetes.io/component': 'api' };
    });
    expect(problems).toContainEqual(
      expect.stringContaining('PodDisruptionBudget/weir-worker: selects the pods of 2 Deployments'),
    );
    expect(problems).toContainEqual(expect.stringContaining('no Service selects the pods of Deployment/weir-server'));
  });

  it('reject a root pod, an entrypoint override, an unlisted image and a migration Job on another database', () => {
    const problems = problemsOf((m) => {
      const job = find(m, 'Job');
      job.spec!.template!.spec.securityContext = {};
      container(job).envFrom = [{ secretRef: { name: 'weir-secrets' } }];
      container(serverOf(m)).command = ['weir'];
      container(workerOf(m)).image = 'weir-worker';
    });
    for (const message of [
      'Job/weir-migrate: its pods must run as non-root',
      "Job/weir-migrate: its envFrom differs from the server's",
      "command replaces the image's entrypoint",
      "image weir-worker is not in kustomization.yaml's images",
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(message));
    }
  });

  it('reject in-cluster addresses in another namespace than the manifests', () => {
    const problems = problemsOf((m) => {
      m.kustomization.namespace = 'data';
    });
    expect(problems).toContainEqual(
      expect.stringContaining(
        'Secret/weir-secrets WEIR_REDIS_URL: redis.weir.svc.cluster.local is in namespace weir, but the manifests go to data',
      ),
    );
    expect(problems).toContainEqual(
      expect.stringContaining('ScaledObject/weir-worker waiting: redis.weir.svc.cluster.local is in namespace weir'),
    );
  });

  it('reject a listed file that does not exist', () => {
    const { kustomization } = manifests();
    kustomization.resources = [...kustomization.resources!.filter((r) => r !== 'worker.yaml'), 'missing.yaml'];
    expect(checkResourceList(root, DIR, kustomization)).toEqual([
      'kustomization.yaml lists missing.yaml, which does not exist',
      `${DIR}/worker.yaml is not listed in kustomization.yaml's resources`,
    ]);
  });
});
