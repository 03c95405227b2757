// Writing a proxied response body to the client: paced when a bandwidth fault is held, and cut
// half-way for an abort fault. Every write notices a client that went away, so no await here
// waits forever for a 'drain' that will never come.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Writes a chunk, waiting out backpressure. False when the client is gone. */
export function writeChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Writes a chunk and waits until it has left for the socket. False when the client is gone. */
function flushChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    res.once('close', onClose);
    res.write(chunk, (err) => {
      res.off('close', onClose);
      resolve(!err);
    });
  });
}

/**
 * Copies the body, then ends the response. `bytesPerSecond()` is read for every slice, so a
 * bandwidth fault switched on or off mid-response applies at once; 0 means unthrottled.
 * Returns false when the client went away first.
 */
export async function pipeBody(
  body: AsyncIterable<Buffer>,
  res: ServerResponse,
  bytesPerSecond: () => number,
): Promise<boolean> {
  // When the next slice may go out; never in the past, so idle time is not banked as a burst.
  let due = performance.now();
  for await (const chunk of body) {
    let rest = chunk;
    while (rest.length > 0) {
      const rate = bytesPerSecond();
      if (rate <= 0) {
        if (!(await writeChunk(res, rest))) return false;
        break;
      }
      // About 50 ms worth of bytes per slice, so a slow rate trickles instead of bursting.
      const slice = rest.subarray(0, Math.max(1, Math.floor(rate / 20)));
      rest = rest.subarray(slice.length);
      // Each slice waits for the time its bytes take at this rate, then goes: N bytes take
      // N / rate in all, as with Toxiproxy's bandwidth toxic.
      due = Math.max(due, performance.now()) + (slice.length / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (!(await flushChunk(res, slice))) return false;
    }
  }
  res.end();
  return true;
}

/**
 * Sends the headers and at most half of the body's first chunk (and at most half the declared
 * length), then closes the connection. A FIN rather than a reset, so the client surely gets
 * the headers before it sees the body end early.
 */
export async function cutBody(
  body: AsyncIterable<Buffer>,
  res: ServerResponse,
  socket: Socket,
  declaredLength: number | undefined,
): Promise<void> {
  res.flushHeaders();
  const limit = declaredLength !== undefined ? Math.floor(declaredLength / 2) : Infinity;
  for await (const chunk of body) {
    const part = chunk.subarray(0, Math.min(Math.floor(chunk.length / 2), limit));
    if (part.length > 0) await flushChunk(res, part);
    break; // leaving the loop destroys the upstream body
  }
  // end() sends what is still buffered (the headers, when the body was empty), then the FIN.
  socket.once('finish', () => socket.destroy());
  socket.end();
}

/** TCP RST where Node can send one (≥ 20.18 / 22), else an ordinary close. */
export function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
