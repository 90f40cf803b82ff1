/** A VectorFilter as SQL: labels by `= ANY`, metadata by JSON containment, all as bind parameters. */
import type { VectorFilter } from '../vector-store.js';

export /** WHERE clause and its parameters, numbered from `first`. */
function filterSql(
  filter: VectorFilter | undefined,
  first: number,
): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter?.labels) {
    params.push([...filter.labels]);
    clauses.push(`label = ANY($${first + params.length - 1}::integer[])`);
  }
  if (filter?.metadata) {
    params.push(JSON.stringify(filter.metadata));
    clauses.push(`metadata @> $${first + params.length - 1}::jsonb`);
  }
  return { where: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}
