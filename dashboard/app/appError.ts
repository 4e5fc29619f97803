// The one error type of the HTTP layer: a name clients can branch on, a message people can read, the
// status, and for invalid input the offending fields. The error middleware is the only place that turns
// errors into responses.
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const unauthenticated = (): AppError => new AppError("unauthenticated", "log in first", 401);
export const forbidden = (what = "this"): AppError =>
  new AppError("forbidden", `your role may not see or change ${what}`, 403);
export const notFound = (what: string): AppError => new AppError("not-found", `${what} not found`, 404);
export const invalidInput = (fields: FieldErrors): AppError =>
  new AppError("invalid-input", `invalid input: ${Object.keys(fields).join(", ")}`, 400, fields);
