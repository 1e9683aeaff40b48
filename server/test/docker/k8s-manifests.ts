// The Kubernetes manifests of docker/k8s/ as kubectl apply -k would read them (the files the
// kustomization lists, namespaced), loosely typed for the checks in k8s-checks.ts, and their
// validation against the Kubernetes and KEDA schemas (kubernetes-models' validate()).
import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { readRepoFile } from './deployment-checks.js';

export type Labels = Record<string, string>;
export interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Labels; limits?: Labels };
}
export interface PodTemplate {
  metadata?: { labels?: Labels };
  spec: {
    containers: Container[];
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  };
}
export interface Trigger {
  type: string;
  name?: string;
  metadata: Record<string, string>;
}
/** A manifest, loosely typed: the schemas check the shapes, these checks read the fields. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: Labels & { matchLabels?: Labels };
    template?: PodTemplate;
    ports?: { port: number; targetPort?: number | string }[];
    scaleTargetRef?: { apiVersion?: string; kind?: string; name: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers?: Trigger[];
    advanced?: { scalingModifiers?: { formula?: string; target?: string } };
  };
}

export interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

/** What kubectl apply -k would send, as far as these checks need: each listed file's documents, namespaced. */
export interface Manifests {
  readonly kustomization: Kustomization;
  readonly objects: K8sObject[];
}

export function loadManifests(root: string, dir: string): Manifests {
  const kustomization = parseAllDocuments(readRepoFile(root, `${dir}/kustomization.yaml`))[0]!.toJS() as Kustomization;
  const objects = (kustomization.resources ?? [])
    .filter((path) => existsSync(join(root, dir, path)))
    .flatMap((path) =>
      parseAllDocuments(readRepoFile(root, posix.join(dir, path))).map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${dir}/${path}: ${doc.errors[0]!.message}`);
        return doc.toJS() as K8sObject;
      }),
    )
    .filter((object) => object !== null);
  for (const object of objects) {
    if (kustomization.namespace && object.kind !== 'Namespace') object.metadata.namespace = kustomization.namespace;
  }
  return { kustomization, objects };
}

/** Every resource listed exists, and every manifest in the folder is listed. */
export function checkResourceList(root: string, dir: string, kustomization: Kustomization): string[] {
  const listed = kustomization.resources ?? [];
  const problems = listed
    .filter((path) => !existsSync(join(root, dir, path)))
    .map((path) => `kustomization.yaml lists ${path}, which does not exist`);
  for (const file of readdirSync(join(root, dir))) {
    if (/\.ya?ml$/.test(file) && file !== 'kustomization.yaml' && !listed.includes(file)) {
      problems.push(`${dir}/${file} is not listed in kustomization.yaml's resources`);
    }
  }
  return problems;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** Each object against its schema (kubernetes-models' validate(); KEDA's from its CRDs). */
export function checkSchemas(objects: readonly K8sObject[]): string[] {
  return objects.flatMap((object) => {
    const where = `${object.kind}/${object.metadata?.name}`;
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
    try {
      new Model(object as never).validate();
      return [];
    } catch (error) {
      return [`${where}: ${(error as Error).message}`];
    }
  });
}
