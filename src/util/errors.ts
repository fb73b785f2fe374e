// Errors a user can fix. The CLI prints them as one line (message and hint) with
// exit status 2 and no stack trace; anything else is a bug and keeps its stack.

export class UserError extends Error {
  readonly hint: string;
  readonly code: string;

  constructor(message: string, hint: string, code = 'user_error') {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
    this.code = code;
  }

  /** The one line shown to the user: what is wrong, then how to fix it. */
  toLine(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
