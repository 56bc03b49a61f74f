/**
 * The collab server's API errors as the wire carries them: JSON `{ error, code, ...fields }`.
 * `error` is an English sentence for API users and logs; `code` is what a client acts on and
 * translates (`api.error.<code>` in shared/i18n); the fields are the numbers and names the
 * sentence mentions (a limit, a field's name), so a translation can say them too.
 */

/**
 * Every code the server's API may answer an error with. These are wire-format names: never
 * rename or remove one once shipped (older and newer clients read them); add new ones at the end.
 */
export const API_ERROR_CODES = [
  'bad-request',
  'not-found',
  'method-not-allowed',
  'server-error',
  'body-too-large',
  'body-not-json',
  'body-not-object',
  'token-missing',
  'token-malformed',
  'token-forged',
  'token-expired',
  'token-wrong-room',
  'token-wrong-role',
  'token-revoked',
  'not-facilitator',
  'field-empty',
  'field-too-long',
  'example-unknown',
  'example-damaged',
  'language-unknown',
  'import-unreadable',
  'import-no-boards',
  'role-unknown',
  'ttl-invalid',
  'workshop-not-found',
  'link-cap',
  'link-not-found',
  'link-in-use',
  'version-id-invalid',
  'version-not-found',
  'restore-not-stored',
  'copy-not-stored',
  'code-malformed',
  'code-unknown',
  'code-revoked',
  'code-expired',
  'code-rate-limit',
  'field-invalid',
  'delete-not-stored',
  'template-not-found',
  'template-cap',
  'template-invalid',
  'template-not-stored',
  'template-too-large',
  'workshop-not-stored',
  'workshop-exists',
  'workshop-moving',
  'delete-links-not-revoked',
  'delete-not-stored-links-open',
] as const;

/** One of {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The values an error's sentence mentions (`{ max: 1000 }`), sent beside `error` and `code`. */
export type ApiErrorFields = Readonly<Record<string, string | number>>;

/** An API error as a client reads it: the code when it is one this client knows, else null. */
export type ApiErrorAnswer = {
  /** The server's English sentence, when it sent one. */
  readonly error: string | null;
  /** A known code, or null (no code: an older server; an unknown one: a newer server). */
  readonly code: ApiErrorCode | null;
  readonly fields: ApiErrorFields;
};

/** True when `value` is one of {@link API_ERROR_CODES}. */
export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return (API_ERROR_CODES as readonly unknown[]).includes(value);
}

/** Reads an error answer's JSON body defensively: anything the server sent, or nothing at all. */
export function readApiError(body: unknown): ApiErrorAnswer {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  const fields: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'error' || name === 'code') continue;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
      fields[name] = value;
  }
  const { error, code } = record as { error?: unknown; code?: unknown };
  return {
    error: typeof error === 'string' ? error : null,
    code: isApiErrorCode(code) ? code : null,
    fields,
  };
}
