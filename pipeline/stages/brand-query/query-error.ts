/** A query that cannot be compiled, with the place it went wrong. */
export interface QueryError {
  message: string;
  /** UTF-16 offset into the query where the problem starts. */
  offset: number;
  /** 1-based line and column (in characters) of that offset. */
  line: number;
  column: number;
  /** The message, the query line and a caret under the column. */
  display: string;
}

/** Builds the error value for `query` at `offset`. */
export function queryError(query: string, offset: number, message: string): QueryError {
  const at = Math.max(0, Math.min(offset, query.length));
  const before = query.slice(0, at);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = [...query.slice(lineStart, at)].length + 1;
  const lineEnd = query.indexOf("\n", at);
  const text = query.slice(lineStart, lineEnd === -1 ? query.length : lineEnd);
  // Tabs would shift the caret; show them as one space each.
  const shown = text.replace(/\t/g, " ");
  const where = line > 1 ? `line ${line}, column ${column}` : `column ${column}`;
  return { message, offset: at, line, column, display: `${message} (${where})\n  ${shown}\n  ${" ".repeat(column - 1)}^` };
}
