/**
 * A whole file that cannot be imported (not a regular file, an encoding the
 * reader cannot frame, a symlink leading out of the watched folder). A single
 * unreadable line is never this: it becomes an ImportProblem and the rest of
 * the file is read.
 */
export class ImportFileError extends Error {
  override readonly name = "ImportFileError";
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${message}`, options);
  }
}
export const isImportFileError = (e: unknown): e is ImportFileError => e instanceof Error && e.name === "ImportFileError";
