import type { Container } from '../../model/k8s.js';

export type DevServerKind = 'frontend' | 'ssr' | 'python' | 'rails' | 'watcher';

export interface DevServerUse {
  /** `vite`, `npm run dev`, `next dev`… */
  readonly tool: string;
  readonly kind: DevServerKind;
  /** The command line that starts it. */
  readonly commandLine: string;
  /** Which field holds it: `command` or `args`. */
  readonly field: 'command' | 'args';
}

interface DevServerPattern {
  readonly pattern: RegExp;
  readonly tool: string;
  readonly kind: DevServerKind;
}

/** Command lines that start a development server. `vite build`/`vite preview`, `next start`, `ng build` are not. */
const patterns: readonly DevServerPattern[] = [
  { pattern: /\bnext dev\b/, tool: 'next dev', kind: 'ssr' },
  { pattern: /\bnuxt(?:i)? dev\b/, tool: 'nuxt dev', kind: 'ssr' },
  { pattern: /\bremix (?:vite:)?dev\b/, tool: 'remix dev', kind: 'ssr' },
  { pattern: /\bastro dev\b/, tool: 'astro dev', kind: 'ssr' },
  { pattern: /\bng serve\b/, tool: 'ng serve', kind: 'frontend' },
  { pattern: /\bwebpack(?:-cli)? serve\b|\bwebpack-dev-server\b/, tool: 'webpack serve', kind: 'frontend' },
  { pattern: /\breact-scripts start\b/, tool: 'react-scripts start', kind: 'frontend' },
  { pattern: /\bvue-cli-service serve\b/, tool: 'vue-cli-service serve', kind: 'frontend' },
  { pattern: /\bgatsby develop\b/, tool: 'gatsby develop', kind: 'frontend' },
  { pattern: /(?:^|[\s/])vite(?:\s+(?:dev|serve)\b|\s+--|\s*$)/, tool: 'vite', kind: 'frontend' },
  { pattern: /\b(?:npm|pnpm|bun) run dev\b|\b(?:yarn|pnpm|bun) dev\b/, tool: 'npm run dev', kind: 'frontend' },
  { pattern: /\bnodemon\b/, tool: 'nodemon', kind: 'watcher' },
  { pattern: /\bflask\b.*\brun\b.*--(?:debug|reload)\b|\bflask\b.*--debug\b.*\brun\b/, tool: 'flask run --debug', kind: 'python' },
  { pattern: /\bmanage\.py runserver\b/, tool: 'manage.py runserver', kind: 'python' },
  { pattern: /\buvicorn\b.*--reload\b/, tool: 'uvicorn --reload', kind: 'python' },
  { pattern: /\brails (?:s|server)\b.*(?:-e|--environment[= ])\s*development\b/, tool: 'rails server -e development', kind: 'rails' },
];

/** The development server a container's command/args start, if any. */
export function devServerInContainer(container: Container): DevServerUse | undefined {
  const command = (container.command ?? []).join(' ');
  const args = (container.args ?? []).join(' ');
  const commandLine = [command, args].filter(Boolean).join(' ');
  if (!commandLine) return undefined;
  const railsDev = /\brails (?:s|server)\b/.test(commandLine) && (container.env ?? []).some((e) => e.name === 'RAILS_ENV' && e.value === 'development');
  if (railsDev) return { tool: 'rails server (RAILS_ENV=development)', kind: 'rails', commandLine, field: args ? 'args' : 'command' };
  for (const { pattern, tool, kind } of patterns) {
    if (!pattern.test(commandLine)) continue;
    const field = args && pattern.test(args) ? 'args' : command && pattern.test(command) ? 'command' : args ? 'args' : 'command';
    return { tool, kind, commandLine, field };
  }
  return undefined;
}

/** A dev-server banner in a log names the tool; map it to a kind. */
export function devServerKindOfBanner(detail: string | undefined): DevServerKind {
  if (detail === undefined) return 'frontend';
  if (/next/i.test(detail)) return 'ssr';
  if (/flask|StatReloader|development server/i.test(detail)) return 'python';
  if (/nodemon/i.test(detail)) return 'watcher';
  return 'frontend';
}

/** Ports development servers listen on by default. */
export const devServerPorts: ReadonlySet<number> = new Set([3000, 4200, 5000, 5173, 8000, 8080]);
