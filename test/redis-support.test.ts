// The Redis test helper: a private server that answers, and is gone after stop().
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { startRedis } from './support/redis.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('starts a private redis-server, serves SET/GET, and stops it by its PID', async () => {
  const server = await startRedis();
  try {
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(alive(server.pid)).toBe(true);
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      await client.set('assetops:probe', 'hello');
      expect(await client.get('assetops:probe')).toBe('hello');
    } finally {
      client.disconnect();
    }
  } finally {
    await server.stop();
  }
  expect(alive(server.pid)).toBe(false);
}, 120_000);
