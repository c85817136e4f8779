import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestMatch, matchLog } from './match.js';
import { signatures } from './signatures.js';

interface Case {
  readonly name: string;
  readonly log: string;
  readonly id: string;
  readonly host?: string;
  readonly port?: number;
  readonly detail?: string;
  /** Substring of the matched line. */
  readonly line?: string;
}

const cases: readonly Case[] = [
  {
    name: 'psycopg2 connection refused with host and port on the following lines',
    log: [
      'Traceback (most recent call last):',
      '  File "/app/shop/db.py", line 41, in connect',
      'psycopg2.OperationalError: could not connect to server: Connection refused',
      '\tIs the server running on host "postgres" (10.0.87.211) and accepting',
      '\tTCP/IP connections on port 5432?',
      '',
      'ERROR:    Application startup failed. Exiting.',
    ].join('\n'),
    id: 'connection-refused', host: 'postgres', port: 5432, line: 'psycopg2.OperationalError',
  },
  {
    name: 'libpq 14+ connection refused',
    log: 'psycopg.OperationalError: connection failed: connection to server at "db.data.svc.cluster.local" (10.0.3.4), port 5432 failed: Connection refused',
    id: 'connection-refused', host: 'db.data.svc.cluster.local', port: 5432,
  },
  {
    name: 'libpq host name that does not resolve',
    log: 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not translate host name "postgres" to address: Name or service not known',
    id: 'host-not-found', host: 'postgres',
  },
  {
    name: 'Node ECONNREFUSED to a Redis ClusterIP',
    log: 'Error: connect ECONNREFUSED 10.0.0.5:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
    id: 'connection-refused', host: '10.0.0.5', port: 6379,
  },
  {
    name: 'Node getaddrinfo ENOTFOUND',
    log: 'MongoServerSelectionError: getaddrinfo ENOTFOUND mongo\n    at Timeout._onTimeout (/app/node_modules/mongodb/lib/sdam/topology.js:278:38)',
    id: 'host-not-found', host: 'mongo',
  },
  {
    name: 'Go dial tcp connection refused',
    log: '2026/11/20 11:59:01 failed to connect: dial tcp 10.0.9.9:5432: connect: connection refused',
    id: 'connection-refused', host: '10.0.9.9', port: 5432,
  },
  {
    name: 'Go DNS lookup failure',
    log: 'panic: dial tcp: lookup rabbitmq on 10.96.0.10:53: no such host',
    id: 'host-not-found', host: 'rabbitmq',
  },
  {
    name: 'JDBC connection refused',
    log: 'org.postgresql.util.PSQLException: Connection to orders-db:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
    id: 'connection-refused', host: 'orders-db', port: 5432,
  },
  {
    name: 'redis-py connection refused',
    log: 'redis.exceptions.ConnectionError: Error 111 connecting to cache:6379. Connection refused.',
    id: 'connection-refused', host: 'cache', port: 6379,
  },
  {
    name: 'MySQL connection refused',
    log: "pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'mysql' ([Errno 111] Connection refused)\")",
    id: 'connection-refused', host: 'mysql',
  },
  {
    name: 'Node dual-stack connect timeout',
    log: [
      'node:internal/deps/undici/undici:13502',
      '      Error.captureStackTrace(err);',
      'TypeError: fetch failed',
      '  [cause]: AggregateError [ETIMEDOUT]:',
      "      code: 'ETIMEDOUT',",
    ].join('\n'),
    id: 'node-happy-eyeballs-timeout',
  },
  {
    name: 'Python KeyError on os.environ',
    log: [
      'Traceback (most recent call last):',
      '  File "/app/shop/settings.py", line 18, in <module>',
      '    SECRET_KEY = os.environ["BETTER_AUTH_SECRET"]',
      '  File "<frozen os>", line 714, in __getitem__',
      "KeyError: 'BETTER_AUTH_SECRET'",
    ].join('\n'),
    id: 'missing-env', detail: 'BETTER_AUTH_SECRET', line: "KeyError: 'BETTER_AUTH_SECRET'",
  },
  {
    name: 'pydantic settings validation error',
    log: 'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\ndatabase_url\n  Field required [type=missing, input_value={}, input_type=dict]',
    id: 'missing-env', detail: 'database_url',
  },
  {
    name: 'a missing-env message',
    log: 'Error: Missing required environment variable: STRIPE_KEY',
    id: 'missing-env',
  },
  {
    name: 'Python missing module',
    log: "ModuleNotFoundError: No module named 'uvicorn'",
    id: 'missing-module', detail: 'uvicorn',
  },
  {
    name: 'Node missing module',
    log: "Error: Cannot find module 'express'\nRequire stack:\n- /app/server.js",
    id: 'missing-module', detail: 'express',
  },
  {
    name: 'OpenAI authentication error',
    log: "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-****'}}",
    id: 'bad-api-key',
  },
  {
    name: 'JWT signature mismatch',
    log: 'JsonWebTokenError: invalid signature',
    id: 'token-signature-mismatch',
  },
  {
    name: 'auth keys encrypted with a rotated secret',
    log: '[Better Auth]: Failed to decrypt private key. Make sure the secret currently in use is the same as the one used to encrypt the private key.',
    id: 'key-decryption-failed',
  },
  {
    name: 'port already in use (Node)',
    log: 'Error: listen EADDRINUSE: address already in use :::3000',
    id: 'port-in-use', detail: '3000',
  },
  {
    name: 'permission denied on a mounted path',
    log: "PermissionError: [Errno 13] Permission denied: '/data/uploads'",
    id: 'permission-denied', detail: '/data/uploads',
  },
  {
    name: 'entrypoint missing',
    log: 'exec /usr/local/bin/docker-entrypoint.sh: exec format error',
    id: 'command-not-found',
  },
  {
    name: 'vite dev server banner',
    log: '\n  VITE v5.4.11  ready in 1873 ms\n\n  ➜  Local:   http://localhost:5173/',
    id: 'dev-server-banner', detail: 'VITE',
  },
  {
    name: 'Java exception in main',
    log: 'Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext',
    id: 'java-exception',
  },
  {
    name: 'Python traceback of another exception',
    log: 'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n    raise RuntimeError("boom")\nRuntimeError: boom',
    id: 'python-exception', line: 'RuntimeError: boom',
  },
  {
    name: 'Go panic',
    log: 'panic: runtime error: invalid memory address or nil pointer dereference',
    id: 'go-panic',
  },
];

describe('log signatures', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const match = bestMatch(testCase.log);
      expect(match?.signature.id).toBe(testCase.id);
      if (testCase.host !== undefined) expect(match?.host).toBe(testCase.host);
      if (testCase.port !== undefined) expect(match?.port).toBe(testCase.port);
      if (testCase.detail !== undefined) expect(match?.detail).toBe(testCase.detail);
      if (testCase.line !== undefined) expect(match?.line).toContain(testCase.line);
    });
  }

  it('finds nothing in an ordinary request log', () => {
    const log = [
      '{"level":"info","ts":"2026-11-23T09:29:40Z","msg":"listening","addr":":8080"}',
      'INFO:     10.244.0.1:53422 - "GET /healthz HTTP/1.1" 200 OK',
      '2026-11-23 09:24:34,118 shop.orders INFO order 1234 created',
    ].join('\n');
    expect(matchLog(log)).toEqual([]);
  });

  it('a KeyError on a dict key is not a missing variable', () => {
    const log = 'Traceback (most recent call last):\n  File "/app/x.py", line 3, in handle\n    price = item["price"]\nKeyError: \'price\'';
    expect(bestMatch(log)?.signature.id).toBe('python-exception');
  });

  it('reports the most recent line of a signature', () => {
    const log = 'Error: connect ECONNREFUSED 10.0.0.1:5432\nretrying\nError: connect ECONNREFUSED 10.0.0.2:5432';
    expect(bestMatch(log)).toMatchObject({ lineNumber: 3, host: '10.0.0.2' });
  });

  it('every signature has a unique id, patterns and text', () => {
    expect(new Set(signatures.map((s) => s.id)).size).toBe(signatures.length);
    for (const s of signatures) {
      expect(s.patterns.length).toBeGreaterThan(0);
      expect(s.cause.length).toBeGreaterThan(20);
      expect(s.fix.length).toBeGreaterThan(20);
    }
  });

  it('never throws, and every match points at a line of the input', () => {
    const logLine = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom(...cases.flatMap((c) => c.log.split('\n'))),
      fc.tuple(fc.constantFrom('ECONNREFUSED ', 'dial tcp ', 'host "', 'KeyError: \'', 'port ', '://'), fc.string({ maxLength: 60 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(logLine, { maxLength: 40 }), (lines) => {
        const text = lines.join('\n');
        const matches = matchLog(text);
        const inputLines = text.split(/\r?\n/);
        for (const match of matches) {
          const source = inputLines[match.lineNumber - 1] ?? '';
          expect(source.trim().startsWith(match.line.replace(/…$/, ''))).toBe(true);
          if (match.port !== undefined) expect(match.port).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on long pathological lines', () => {
    const text = `${'a.'.repeat(50_000)}:${'1'.repeat(10_000)}\n${'host='.repeat(20_000)}\n${' '.repeat(100_000)}x`;
    const started = performance.now();
    matchLog(text);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
