// The log-signature catalogue: lines that name why a container failed, the cause they point
// at and the fix. Pure data; `match.ts` applies it. Order matters: the first signature
// that matches a log wins, so specific signatures come before generic ones.

/** What kind of problem a signature names; rules use it to pick their cause. */
export type SignatureCategory =
  | 'dependency' // another service cannot be reached
  | 'config' // environment / settings missing or wrong
  | 'credentials' // a key, password or token is refused
  | 'code' // the image itself is broken
  | 'runtime' // the container's environment (ports, files, memory)
  | 'dev-server'; // a development server is running

export interface LogSignature {
  readonly id: string;
  readonly title: string;
  readonly category: SignatureCategory;
  /** A line matching any of these is the signature's evidence. */
  readonly patterns: readonly RegExp[];
  /**
   * Only when one of these also occurs within `contextLines` lines around the match
   * (e.g. an AggregateError together with ETIMEDOUT).
   */
  readonly requires?: readonly RegExp[];
  /** Extracts the detail the fix needs (variable, module, path, tool) from the matched line or its context. */
  readonly detail?: RegExp;
  /** What the line means. */
  readonly cause: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Lines around a match searched for `requires`, `detail` and host/port. */
export const contextLines = 3;

export const signatures: readonly LogSignature[] = [
  {
    id: 'node-happy-eyeballs-timeout',
    title: 'Node.js dual-stack connect timeout',
    category: 'dependency',
    patterns: [/\bAggregateError\b/],
    requires: [/\bETIMEDOUT\b/],
    cause: 'Node.js (>= 20) tries IPv6 and IPv4 addresses of the host in turn with a short per-address timeout (Happy Eyeballs, autoSelectFamily); in clusters where the IPv6 route is missing every attempt times out and the error is an AggregateError of ETIMEDOUTs.',
    fix: 'Prefer IPv4 at process start: `net.setDefaultAutoSelectFamily(false)` and `dns.setDefaultResultOrder("ipv4first")` (or NODE_OPTIONS="--dns-result-order=ipv4first --no-network-family-autoselection").',
  },
  {
    id: 'host-not-found',
    title: 'Host name does not resolve',
    category: 'dependency',
    patterns: [
      /could not translate host name "[^"]*"/i,
      /\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN)\b/,
      /\bE(?:NOTFOUND|AI_AGAIN)\b/,
      /\bno such host\b/i,
      /\bUnknownHostException\b/,
      /Name or service not known|Temporary failure in name resolution|nodename nor servname provided/i,
      /\bgaierror\b/,
    ],
    cause: 'The host name in the connection settings does not resolve: the Service does not exist (in that namespace), the name is misspelled, or DNS is failing.',
    fix: 'Point the setting at an existing Service (`<service>.<namespace>.svc.cluster.local` across namespaces) or create the Service; check DNS with `nslookup` from a pod in the same namespace.',
  },
  {
    id: 'connection-timeout',
    title: 'Connection to a dependency timed out',
    category: 'dependency',
    patterns: [
      /\bETIMEDOUT\b/,
      /\bi\/o timeout\b/,
      /connect(?:ion)? timed out|timed out connecting|timeout expired/i,
      /\bConnectTimeoutError\b|\bSocketTimeoutException\b/,
    ],
    cause: 'Packets to the dependency go unanswered: a NetworkPolicy or firewall drops them, the address is outside the cluster and not routable, or the dependency is overloaded.',
    fix: 'Test the connection from a pod in the same namespace (`nc -zv HOST PORT`), check NetworkPolicies that select the pods, and the address in the connection settings.',
  },
  {
    id: 'connection-refused',
    title: 'Connection refused by a dependency',
    category: 'dependency',
    patterns: [
      /\bECONNREFUSED\b/,
      /connection refused/i,
      /could not connect to server/i,
      /Connection to \S+ refused/i,
      /Can't connect to MySQL server/i,
      /Error 111 connecting to/i,
      /Could not connect to Redis/i,
      /\bMongo(?:Server)?SelectionError\b/,
      /\bServerSelectionTimeoutError\b/,
    ],
    cause: 'Nothing accepted the connection at that host and port: the dependency (database, cache, broker) is not running or not Ready, its Service has no endpoints, or the port is wrong.',
    fix: 'Make the dependency Ready (see its own finding), check that the Service port matches the port in the connection settings, and let the application retry with backoff instead of exiting.',
  },
  {
    id: 'database-auth-failed',
    title: 'Database refused the credentials',
    category: 'credentials',
    patterns: [
      /password authentication failed for user/i,
      /Access denied for user/i,
      /\bAuthentication failed\b.*\bmongo/i,
      /\bWRONGPASS\b|\bNOAUTH Authentication required\b/,
    ],
    cause: 'The database is reachable but refuses the user or password: the Secret holds another password than the database was initialised with.',
    fix: 'Compare the password in the workload\'s Secret with the one the database uses; a database initialised with an older password keeps it until changed with ALTER USER.',
  },
  {
    id: 'key-decryption-failed',
    title: 'Stored keys cannot be decrypted after a secret rotation',
    category: 'credentials',
    patterns: [/Failed to decrypt private key/i, /\bBetterAuthError\b.*decrypt/i],
    cause: 'The auth library encrypted its signing keys (JWKS) with the previous secret; after the secret was rotated it cannot decrypt them.',
    fix: 'Clear the stored JWKS (e.g. `DELETE FROM jwks;` in the auth database) so the library generates new keys with the current secret, or restore the previous secret.',
  },
  {
    id: 'token-signature-mismatch',
    title: 'Token signature does not verify',
    category: 'credentials',
    patterns: [
      /Signature verification failed/i,
      /invalid signature/i,
      /\bInvalidSignatureError\b|\bJWSSignatureVerificationFailed\b|\bSignatureDoesNotMatch\b/,
      /\bInvalid token\b/i,
      /\bJsonWebTokenError\b/,
    ],
    cause: 'Tokens are signed with one secret and verified with another: the services that issue and accept them do not share the same signing secret (JWT_SECRET, BETTER_AUTH_SECRET, NEXTAUTH_SECRET…).',
    fix: 'Give every service the same signing secret from one Secret (see `secret-mismatch`), then restart them.',
  },
  {
    id: 'bad-api-key',
    title: 'API key refused',
    category: 'credentials',
    patterns: [
      /\bAuthenticationError\b/,
      /\b(?:Invalid|Incorrect) API key\b/i,
      /\binvalid_api_key\b/,
      /\b401\b.*\bunauthori[sz]ed\b|\bunauthori[sz]ed\b.*\b401\b/i,
      /status(?: code)?[ :=]+401\b/i,
    ],
    cause: 'An external API rejects the key the container sends (401): the key is wrong, expired, revoked, or the Secret holds a placeholder.',
    fix: 'Put a valid key in the Secret the workload reads it from, then restart the workload.',
  },
  {
    id: 'missing-env',
    title: 'Required setting or environment variable missing',
    category: 'config',
    patterns: [
      /^KeyError: '([A-Z][A-Z0-9_]*)'/,
      /\bvalidation errors? for \w*Settings\b/,
      /\bMissing required env(?:ironment)?(?: var(?:iable)?)?s?\b/i,
      /\benv(?:ironment)? var(?:iable)?s? "?'?([A-Z][A-Z0-9_]*)'?"? (?:is )?(?:not set|missing|required|undefined|must be set)/i,
      /\bImproperlyConfigured\b/,
      /Could not resolve placeholder '([^']+)'/,
      /\b(?:Invalid|Missing) environment variables?\b/i,
    ],
    detail: /KeyError: '([A-Z][A-Z0-9_]*)'|environ\[["']([A-Z][A-Z0-9_]*)["']\]|placeholder '([^']+)'|env(?:ironment)? var(?:iable)?s? "?'?([A-Z][A-Z0-9_]*)|^([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+|[A-Z][A-Z0-9_]+)\s*$/m,
    cause: 'The application reads a setting at start-up that the container does not have: an env var that is not set, a Secret/ConfigMap key that is not mounted, or a value that fails validation.',
    fix: 'Add the variable to the container (`env` or `envFrom` from the Secret/ConfigMap that holds it) and check the name is spelled the same in the code and the manifest.',
  },
  {
    id: 'missing-module',
    title: 'Module or class missing from the image',
    category: 'code',
    patterns: [
      /\bModuleNotFoundError: No module named '([^']+)'/,
      /\bImportError\b/,
      /\bError: Cannot find module '([^']+)'/,
      /\bERR_MODULE_NOT_FOUND\b/,
      /\b(?:ClassNotFoundException|NoClassDefFoundError)\b/,
    ],
    detail: /No module named '([^']+)'|Cannot find (?:module|package) '([^']+)'|(?:ClassNotFoundException|NoClassDefFoundError):? ([\w.$/]+)/,
    cause: 'The image lacks code the entrypoint imports: a dependency missing from requirements/package.json, a dev dependency pruned in the production stage, or a build output not copied into the final image.',
    fix: 'Add the package to the runtime dependencies (or copy the build output into the final stage), rebuild and push the image, then roll the workload to it.',
  },
  {
    id: 'port-in-use',
    title: 'Port already in use',
    category: 'runtime',
    patterns: [/\bEADDRINUSE\b/, /address already in use/i, /\bport \d+ is already in use\b/i, /\bBindException\b/],
    detail: /(?:EADDRINUSE|already in use)[^0-9]*(\d{2,5})\b|\bport (\d{2,5})\b/i,
    cause: 'Two processes in the pod bind the same port: a sidecar and the app, two containers of the pod, or the app started twice (hostNetwork pods share the node\'s ports).',
    fix: 'Give each container of the pod its own port (containers of a pod share one network namespace) and keep the Service targetPort and probes on the app\'s port.',
  },
  {
    id: 'permission-denied',
    title: 'Permission denied on a path',
    category: 'runtime',
    patterns: [
      /\bEACCES\b/,
      /\bPermissionError\b/,
      /\bpermission denied\b/i,
      /\bAccessDeniedException\b/,
      /\bEROFS\b|read-only file system/i,
    ],
    detail: /(?:Permission denied|EACCES|EROFS|read-only file system)[^'"/]*['"]?(\/[^\s'",]+)|(\/[^\s'":,]+)['"]?: (?:Permission denied|permission denied)|open (\/[^\s:]+): (?:permission denied|read-only file system)/i,
    cause: 'The container user may not write where the application writes: a mounted volume owned by root while the pod runs as non-root, a read-only root filesystem, or an image whose files belong to another user.',
    fix: 'Set `securityContext.fsGroup` (and `runAsUser`) so the volume is writable, mount an `emptyDir` at paths the app writes to when `readOnlyRootFilesystem` is on, or fix the ownership in the Dockerfile (`COPY --chown`).',
  },
  {
    id: 'command-not-found',
    title: 'Entrypoint not found in the image',
    category: 'code',
    patterns: [/executable file not found in \$PATH/, /^\/bin\/(?:ba)?sh: (?:\d+: )?\S+: (?:not found|No such file or directory)/, /\bexec format error\b/, /no such file or directory.*exec/i],
    detail: /exec: "([^"]+)"|sh: (?:\d+: )?(\S+): /,
    cause: 'The command or args name a program the image does not contain, or the binary was built for another CPU architecture (exec format error: an arm64 image on amd64 nodes or the reverse).',
    fix: 'Fix `command`/`args` to a program that exists in the image, or build a multi-architecture image (`docker buildx build --platform linux/amd64,linux/arm64`).',
  },
  {
    id: 'runtime-out-of-memory',
    title: 'Runtime ran out of memory',
    category: 'runtime',
    patterns: [/JavaScript heap out of memory/, /\bjava\.lang\.OutOfMemoryError\b/, /^MemoryError\b/, /fatal error: runtime: out of memory/],
    cause: 'The language runtime hit its own heap limit (Node --max-old-space-size, JVM -Xmx) or the container memory limit.',
    fix: 'Size the runtime heap to the container limit (Node `--max-old-space-size`, JVM `-XX:MaxRAMPercentage=75`) and raise the memory limit if the workload needs it.',
  },
  {
    id: 'dev-server-banner',
    title: 'Development server running',
    category: 'dev-server',
    patterns: [
      /\bVITE v\d+(?:\.\d+)*\s+ready in\b/,
      /Starting the development server/i,
      /\bAngular Live Development Server\b/,
      /\bwebpack(?:-dev-server)?\b.*\b(?:compiled|Project is running at)\b/,
      /\bnext dev\b|\bNext\.js\b.*\(dev\)|\bready - started server on\b/,
      /\[nodemon\] (?:starting|watching)/,
      /This is a development server\. Do not use it in a production deployment/,
      /\* Debug mode: on/,
      /Watching for file changes with StatReloader/,
    ],
    detail: /\b(VITE|vite|webpack|Angular|Next\.js|next dev|nodemon|Flask|StatReloader|development server)\b/,
    cause: 'The container runs a development server (file watching, hot reload, unminified bundles) instead of a production build; it needs far more memory and CPU and is not meant for traffic.',
    fix: 'Build the app in the image (`npm run build`) and serve the output with a production server (nginx for static frontends, `next start`, gunicorn/uvicorn without reload).',
  },
  {
    id: 'python-exception',
    title: 'Unhandled Python exception',
    category: 'code',
    patterns: [/^(?:[a-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt): \S/],
    requires: [/^Traceback \(most recent call last\):|^\s+File "/],
    cause: 'The application raised an exception it did not handle and exited.',
    fix: 'Read the traceback in the previous container\'s log; fix the code or the configuration it names.',
  },
  {
    id: 'java-exception',
    title: 'Unhandled Java exception',
    category: 'code',
    patterns: [/Exception in thread "[^"]*" [\w.$]+/, /^Caused by: [\w.$]+(?:Exception|Error)\b/, /APPLICATION FAILED TO START/],
    cause: 'The JVM application threw an exception it did not handle during start-up or in its main thread.',
    fix: 'Read the last "Caused by:" line of the previous container\'s log; it names the failing component.',
  },
  {
    id: 'node-error',
    title: 'Unhandled Node.js error',
    category: 'code',
    patterns: [/^\s*(?:Uncaught )?(?:[A-Z]\w*)?Error(?: \[\w+\])?: \S/, /\bUnhandledPromiseRejection\b|\bunhandledRejection\b/],
    requires: [/^\s+at .+[:(]\d+:\d+\)?$|node:internal|\.m?js:\d+/],
    cause: 'The Node.js process threw an error it did not catch and exited.',
    fix: 'Read the stack in the previous container\'s log; fix the code or the configuration it names.',
  },
  {
    id: 'go-panic',
    title: 'Go panic',
    category: 'code',
    patterns: [/^panic: /, /^fatal error: /],
    cause: 'The Go program panicked (nil dereference, failed start-up check) and exited.',
    fix: 'Read the panic message and the first goroutine\'s stack in the previous container\'s log.',
  },
];

export function signatureById(id: string): LogSignature | undefined {
  return signatures.find((s) => s.id === id);
}
