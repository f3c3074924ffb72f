import net from 'node:net';

/** What came back for one raw request: the final status (null when the connection closed without one). */
export interface RawAnswer {
  status: number | null;
  /** The status line and headers of the final answer, as received. */
  head: string;
  /** The socket error, if the connection failed before an answer arrived. */
  error: string | null;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection to 127.0.0.1:port (so malformed requests
 * reach the server untouched) and resolves once the head of a final answer (not a 1xx) has arrived,
 * then closes the connection, or once the connection has closed without one. Never rejects.
 */
export function rawRequest(port: number, bytes: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let error: string | null = null;
    let settled = false;
    const socket = net.connect(port, '127.0.0.1');
    const finish = (answer: RawAnswer): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // skip interim answers (100 Continue) to the final one
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = received.subarray(0, end).toString('latin1');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? NaN);
        if (!(status >= 100 && status < 200)) return finish({ status: Number.isNaN(status) ? null : status, head, error: null });
        received = received.subarray(end + 4);
      }
    });
    socket.on('error', (e) => (error = e.message));
    socket.on('close', () => finish({ status: null, head: received.toString('latin1'), error }));
    socket.write(bytes);
  });
}
