import { contextLines, signatures } from './signatures.js';
import type { LogSignature } from './signatures.js';

export interface LogMatch {
  readonly signature: LogSignature;
  /** The matching line, trimmed and cut to a readable length. */
  readonly line: string;
  /** 1-based line number in the text given. */
  readonly lineNumber: number;
  /** The host the failing connection went to, when the line or its context names one. */
  readonly host?: string;
  readonly port?: number;
  /** What the fix needs: the missing variable, module, path, tool. */
  readonly detail?: string;
}

/** Only the end of a huge log is read: the crash is at the end, and regexes stay fast. */
const maxChars = 256 * 1024;
const maxLineLength = 2000;
const shownLineLength = 240;

const label = '[A-Za-z][A-Za-z0-9-]*';
const hostName = `(?:${label}(?:\\.${label})*|\\d{1,3}(?:\\.\\d{1,3}){3})`;

/** Where logs name the host (and port) of a failed connection, most specific first. */
const hostPatterns: readonly RegExp[] = [
  new RegExp(`(?:on host|server at) "(?<host>[^"\\s]+)"(?: \\((?<ip>[\\d.:a-f]+)\\))?(?:,? (?:and accepting )?(?:TCP/IP connections )?(?:on )?port (?<port>\\d+))?`, 'i'),
  new RegExp(`could not translate host name "(?<host>[^"\\s]+)"`, 'i'),
  new RegExp(`(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|ENETUNREACH) (?<host>${hostName}|\\[[0-9a-fA-F:]+\\]|[0-9a-fA-F:]*::[0-9a-fA-F:]*):(?<port>\\d{1,5})`),
  new RegExp(`(?:ENOTFOUND|EAI_AGAIN) (?<host>${hostName})`),
  new RegExp(`dial tcp (?<host>${hostName}):(?<port>\\d{1,5})`),
  new RegExp(`dial tcp: lookup (?<host>${hostName})`),
  new RegExp(`Connection to (?<host>${hostName}):(?<port>\\d{1,5}) refused`, 'i'),
  new RegExp(`MySQL server on '(?<host>${hostName})(?::(?<port>\\d{1,5}))?'`, 'i'),
  new RegExp(`(?:Error \\d+ connecting to|Could not connect to Redis at) (?<host>${hostName}):(?<port>\\d{1,5})`, 'i'),
  new RegExp(`UnknownHostException:? (?<host>${hostName})`),
  new RegExp(`[a-z][a-z0-9+.-]*://(?:[^\\s@/]+@)?(?<host>${hostName})(?::(?<port>\\d{1,5}))?`, 'i'),
  new RegExp(`\\b(?:host|hostname|server)\\s*[=:]\\s*["']?(?<host>${hostName})`, 'i'),
  new RegExp(`(?<![\\w.:/-])(?<host>${label}(?:\\.${label})*|\\d{1,3}(?:\\.\\d{1,3}){3}):(?<port>\\d{2,5})\\b`),
];

const portPattern = /\bport (\d{1,5})\b/i;

/** Names that are never the dependency: the local end of a connection or a log prefix. */
const notAHost = new Set(['localhost', 'http', 'https', 'tcp', 'udp', 'file', 'line', 'at', 'the', 'to', 'on']);

/**
 * Every signature that matches the log, each with its most recent matching line; ordered
 * like the catalogue (specific before generic), so the first is the best explanation.
 * Never throws, whatever the text.
 */
export function matchLog(text: string): LogMatch[] {
  const tail = text.length > maxChars ? text.slice(text.length - maxChars) : text;
  const lines = tail.split(/\r?\n/).map((line) => (line.length > maxLineLength ? line.slice(0, maxLineLength) : line));
  const matches: LogMatch[] = [];
  for (const signature of signatures) {
    const found = lastMatch(signature, lines);
    if (found !== undefined) matches.push(describe(signature, lines, found));
  }
  return matches;
}

/** The best explanation the log holds, if any. */
export function bestMatch(text: string): LogMatch | undefined {
  return matchLog(text)[0];
}

function lastMatch(signature: LogSignature, lines: readonly string[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!matchesAt(signature, lines, i)) continue;
    return mostInformative(signature, lines, i);
  }
  return undefined;
}

function matchesAt(signature: LogSignature, lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (!signature.patterns.some((p) => p.test(line))) return false;
  return !signature.requires || window(lines, index).some((l) => signature.requires?.some((p) => p.test(l)));
}

/**
 * One error often spans several matching lines (`Error: connect ECONNREFUSED 10.0.0.5:6379`
 * then `code: 'ECONNREFUSED'`): within the block that ends at `last`, the latest line that
 * itself names the host or detail is the one to show.
 */
function mostInformative(signature: LogSignature, lines: readonly string[], last: number): number {
  const informative = (line: string): boolean =>
    signature.category === 'dependency' ? hostPatterns.some((p) => p.test(line)) : signature.detail?.test(line) ?? false;
  if (informative(lines[last] ?? '')) return last;
  for (let i = last - 1; i >= Math.max(0, last - 2 * contextLines); i--) {
    if (matchesAt(signature, lines, i) && informative(lines[i] ?? '')) return i;
  }
  return last;
}

/** The matched line first, then the lines after it, then those before. */
function window(lines: readonly string[], index: number): string[] {
  const after = lines.slice(index + 1, index + 1 + contextLines);
  const before = lines.slice(Math.max(0, index - contextLines - 1), index).reverse();
  return [lines[index] ?? '', ...after, ...before];
}

function describe(signature: LogSignature, lines: readonly string[], index: number): LogMatch {
  const line = (lines[index] ?? '').trim();
  const context = window(lines, index);
  const endpoint = signature.category === 'dependency' || signature.id === 'database-auth-failed' ? findEndpoint(context) : undefined;
  const detail = signature.detail ? findDetail(signature.detail, context) : undefined;
  return {
    signature,
    line: line.length > shownLineLength ? `${line.slice(0, shownLineLength)}…` : line,
    lineNumber: index + 1,
    ...(endpoint?.host === undefined ? {} : { host: endpoint.host }),
    ...(endpoint?.port === undefined ? {} : { port: endpoint.port }),
    ...(detail === undefined ? {} : { detail }),
  };
}

function findEndpoint(context: readonly string[]): { host?: string; port?: number } | undefined {
  for (const pattern of hostPatterns) {
    for (const line of context) {
      const groups = pattern.exec(line)?.groups;
      const host = groups?.['host']?.replace(/^\[|\]$/g, '');
      if (!host || notAHost.has(host.toLowerCase())) continue;
      const port = toPort(groups?.['port']) ?? portNear(context);
      return { host, ...(port === undefined ? {} : { port }) };
    }
  }
  const port = portNear(context);
  return port === undefined ? undefined : { port };
}

function portNear(context: readonly string[]): number | undefined {
  for (const line of context) {
    const port = toPort(portPattern.exec(line)?.[1]);
    if (port !== undefined) return port;
  }
  return undefined;
}

function toPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

function findDetail(pattern: RegExp, context: readonly string[]): string | undefined {
  for (const line of context) {
    const match = pattern.exec(line);
    const value = match?.slice(1).find((group) => group);
    if (value) return value;
  }
  return undefined;
}
