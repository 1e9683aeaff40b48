import { apiFetch } from './weir-process.js';

/** One attempt of a step, as GraphQL reports it. */
export interface AttemptRow {
  readonly assetKey: string;
  readonly number: number;
  readonly status: string;
  readonly heartbeatAt: string | null;
  readonly errorKind: string | null;
  readonly errorMessage: string | null;
}

/** Every attempt of a run, through the GraphQL API of the `weir dev` or `weir server` at `api`. */
export async function runAttempts(api: string, runId: string, token?: string): Promise<AttemptRow[]> {
  const response = await apiFetch(
    api,
    '/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($id: String!) { run(id: $id) { steps { assetKey attempts {
          number status heartbeatAt errorKind errorMessage } } } }`,
        variables: { id: runId },
      }),
    },
    token,
  );
  const body = (await response.json()) as {
    data?: { run: { steps: Array<{ assetKey: string; attempts: Array<Omit<AttemptRow, 'assetKey'>> }> } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`GraphQL run(${runId}) failed: ${JSON.stringify(body.errors)}`);
  return body.data.run.steps.flatMap((step) =>
    step.attempts.map((attempt) => ({ ...attempt, assetKey: step.assetKey })),
  );
}
