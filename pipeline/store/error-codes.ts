/**
 * ClickHouse exception codes after which the same statement may well succeed a
 * little later: the server was busy, slow or briefly without replicas. Every
 * other coded error (syntax, unknown table, type mismatch …) fails again the
 * same way, so retrying it only delays the spill to disk.
 *
 * Shared by both runners so a given failure is judged the same way whether
 * ClickHouse runs in-process or behind HTTP.
 */
const TRANSIENT_CODES = new Set<number>([
  159, // TIMEOUT_EXCEEDED
  160, // TOO_SLOW
  164, // READONLY (a replica that lost its keeper session)
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS (inserts are throttled until merges catch up)
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  394, // QUERY_WAS_CANCELLED
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
  1000, // POCO_EXCEPTION (network layer inside the server)
]);

export const isTransientClickHouseCode = (code: number): boolean => TRANSIENT_CODES.has(code);
