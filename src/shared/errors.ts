/**
 * The one error vocabulary. Every error a user or operator can see is an AppError with a stable code;
 * `message` is Chinese because it may reach a user, `hint` is English and goes to the log for operators.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'import_failed'
  | 'unavailable'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  config_invalid: 500,
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  import_failed: 422,
  unavailable: 503,
  internal: 500,
};

export interface Issue {
  /** Where the problem is: a row number, a field path or a variable name. */
  where: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: Issue[];
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, opts: { issues?: Issue[]; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
    this.issues = opts.issues ?? [];
    this.hint = opts.hint;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Formats issues one per line, the way import reports and config errors are printed. */
export function formatIssues(issues: Issue[]): string {
  return issues.map((i) => `${i.where}: ${i.message}`).join('\n');
}
