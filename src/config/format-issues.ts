import type { z } from 'zod';

/** One line per issue: `field.path: message`, so a user sees exactly which field to fix. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
      return `  ${field}: ${issue.message}`;
    })
    .join('\n');
}
