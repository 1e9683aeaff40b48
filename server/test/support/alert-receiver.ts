import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, e.g. `/hooks/T000/B000/secret`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A real HTTP server on 127.0.0.1 standing in for a webhook or Slack. */
export interface AlertReceiver {
  /** The URL of `path` on this server. */
  url(path: string): string;
  /** Every request so far, the failed ones included. */
  readonly requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  delivered(): ReceivedRequest[];
  /** Answers the next `count` requests with `status` (and `body`), then 200 again. */
  failNext(count: number, status: number, body?: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** Starts a receiver on a free port; it answers 200 `ok` (as Slack does) unless told to fail. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const requests: ReceivedRequest[] = [];
  const delivered: ReceivedRequest[] = [];
  const failures: Array<{ status: number; body: string; headers: Record<string, string> }> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a test asserts on it.
      }
      const received = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
      requests.push(received);
      const failure = failures.shift();
      if (failure) {
        response.writeHead(failure.status, { 'content-type': 'text/plain', ...failure.headers }).end(failure.body);
        return;
      }
      delivered.push(received);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    delivered: () => [...delivered],
    failNext(count, status, body = '', headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, body, headers });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
