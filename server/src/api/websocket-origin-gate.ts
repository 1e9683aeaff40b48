import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { OriginPolicy } from '../auth/origin-policy.js';

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Puts the origin check in front of every WebSocket upgrade of `server` (GraphQL subscriptions'
 * graphql-ws server among them): a refused upgrade is answered 403 and closed before any
 * WebSocket exists, so a foreign page never gets a connection to send operations on.
 *
 * The subscription server registers its `upgrade` listener when the Nest app initializes, so
 * this is called after `app.init()`: it takes over the listeners present then. The returned
 * function throws if any was added later, which would bypass the check.
 */
export function gateWebSocketUpgrades(server: Server, policy: OriginPolicy): () => void {
  const listeners = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  const gate: UpgradeListener = (request, socket, head) => {
    // A TLS socket (https.Server) says so; a plain one has no `encrypted` at all.
    const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
    const refusal = policy.upgradeRefusalOf({ headers: request.headers, socket: { encrypted } });
    if (refusal === undefined) {
      for (const listener of listeners) listener.call(server, request, socket, head);
      return;
    }
    const body = `${refusal}\n`;
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
  server.on('upgrade', gate);
  return () => {
    const now = server.listeners('upgrade');
    if (now.length !== 1 || now[0] !== gate)
      throw new Error('an upgrade listener was added after the WebSocket origin gate: it would bypass the check');
  };
}
