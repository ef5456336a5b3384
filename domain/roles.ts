// Who may do what through the API: the roles an API key carries.

export const ROLES = ['service', 'reviewer', 'ops', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Every role may read cases and the governor's state. */
export const READER_ROLES: readonly Role[] = ROLES;
