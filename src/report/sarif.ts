import type { Finding, Rule, ScanResult, Severity } from '../engine/types.js';
import { displayName } from '../model/object-ref.js';
import { rules as registry } from '../rules/index.js';
import { renderRuleDoc } from './rule-doc.js';
import { renderRunbookText } from './runbook.js';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', warning: 'warning', info: 'note' };

/** GitHub code scanning ranks alerts by this property (0–10). */
const securitySeverity: Record<Severity, string> = { critical: '8.0', warning: '5.0', info: '2.0' };

/**
 * SARIF 2.1.0 for code scanning: one run, the rule catalogue as the driver's rules (with
 * the runbook as help), one result per finding with its file/line/column region, and the
 * finding id as a partial fingerprint — it depends on rule, object and cause, not on the
 * line, so an alert survives edits above it.
 */
export function renderSarif(result: ScanResult, rules: readonly Rule[] = registry): string {
  const used = new Set(result.findings.map((f) => f.rule));
  const driverRules = rules.filter((rule) => rule.meta.sources.includes(result.source.type === 'manifests' ? 'manifests' : 'cluster') || used.has(rule.id));
  const ruleIndex = new Map(driverRules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubetriage',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: 'https://www.npmjs.com/package/kubetriage',
            rules: driverRules.map(toReportingDescriptor),
          },
        },
        automationDetails: { id: `kubetriage/${result.source.type}/` },
        results: result.findings.map((finding) => toResult(finding, ruleIndex.get(finding.rule))),
        ...(result.notes.length
          ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: result.notes.map((note) => ({ level: 'note', message: { text: note } })) }] }
          : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function toReportingDescriptor(rule: Rule): object {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.meta.title },
    fullDescription: { text: rule.meta.description },
    help: { text: renderRunbookText(rule), markdown: renderRuleDoc(rule) },
    defaultConfiguration: { level: levels[rule.meta.severity] },
    properties: {
      tags: ['kubernetes', rule.meta.category],
      precision: 'high',
      'security-severity': securitySeverity[rule.meta.severity],
    },
  };
}

function toResult(finding: Finding, index: number | undefined): object {
  const fixText = finding.fix.map((step) => (step.command ? `${step.description}: ${step.command}` : step.description));
  const text = [finding.message, ...finding.evidence.map((e) => `- ${e}`), finding.rootCause, ...fixText.map((f) => `Fix: ${f}`)].join('\n');
  const logicalLocation = { fullyQualifiedName: displayName(finding.object), kind: 'object' };
  const location = finding.location
    ? {
      physicalLocation: {
        artifactLocation: { uri: toUri(finding.location.file) },
        region: { startLine: finding.location.line, ...(finding.location.column === undefined ? {} : { startColumn: finding.location.column }) },
      },
      logicalLocations: [logicalLocation],
    }
    : { logicalLocations: [logicalLocation] };
  return {
    ruleId: finding.rule,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: levels[finding.severity],
    message: { text },
    locations: [location],
    partialFingerprints: { 'kubetriage/v1': finding.id },
    properties: { severity: finding.severity, object: finding.object, ...(finding.cause ? { cause: finding.cause } : {}) },
  };
}

/** Relative paths with forward slashes, as code scanning resolves them against the repository root. */
function toUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
