import type { Finding, ScanResult } from '../engine/types.js';

/** The JSON contract of DESIGN.md: exactly these fields, in this order. */
export function toJsonReport(result: ScanResult): object {
  return {
    schemaVersion: result.schemaVersion,
    tool: result.tool,
    source: result.source,
    summary: result.summary,
    findings: result.findings.map(toJsonFinding),
    notes: result.notes,
  };
}

function toJsonFinding(finding: Finding): object {
  return {
    id: finding.id,
    rule: finding.rule,
    severity: finding.severity,
    title: finding.title,
    object: finding.object,
    message: finding.message,
    evidence: finding.evidence,
    rootCause: finding.rootCause,
    fix: finding.fix.map((step) => ({
      description: step.description,
      ...(step.command === undefined ? {} : { command: step.command }),
      mutates: step.mutates,
    })),
    causedBy: finding.causedBy,
    ...(finding.location ? { location: finding.location } : {}),
  };
}

export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
