/** Errors the model's writes throw. */

/** Thrown for a value no item may hold (fractional cents, a month not \`YYYY-MM\`, ...); nothing is written. */
export class InvalidValueError extends Error {
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidValueError';
  }
}
