// AAI errors and their requestError bodies, rendered the way aai-common's ErrorLogHelper does it (onap-aai.md §4.4):
// the text is the template of the *REST* error code plus " (msg=%n) (ec=%n+1)"; the variables are the template
// arguments (padded with "null"), then "<error text>:<detail>", then the code string ERR.<disp>.<cat>.<code>
// (the "ERR." prefix only for disposition 5); category 1 errors are policyExceptions (POL…), the rest
// serviceExceptions (SVC…).

interface ErrorDefinition {
  disposition: string;
  category: string;
  http: number;
  /** The REST error code; its own definition's text is the template clients see. */
  rest: string;
  text: string;
}

// The subset of AAI's error.properties the simulator answers with (Disposition:Category:HTTP:REST:Text).
const CATALOGUE = {
  '3000': { disposition: '5', category: '2', http: 400, rest: '3000', text: 'Invalid input performing %1 on %2' },
  '3001': { disposition: '5', category: '6', http: 404, rest: '3001', text: 'Resource not found for %1 using id %2' },
  '3002': {
    disposition: '5',
    category: '1',
    http: 400,
    rest: '3002',
    text: 'Error writing output performing %1 on %2',
  },
  '3003': {
    disposition: '5',
    category: '1',
    http: 400,
    rest: '3003',
    text: 'Failed to make edge to missing target node of type %3 with keys %4 performing %1 on %2',
  },
  '3009': { disposition: '5', category: '6', http: 400, rest: '3002', text: 'Malformed URL' },
  '3010': { disposition: '5', category: '6', http: 400, rest: '3002', text: 'Cannot write via this URL' },
  '3016': {
    disposition: '5',
    category: '6',
    http: 400,
    rest: '3016',
    text: 'Request uri is not valid, please check the version %1',
  },
  '3100': { disposition: '5', category: '1', http: 400, rest: '3100', text: 'Unsupported operation %1' },
  '3102': { disposition: '5', category: '1', http: 400, rest: '3102', text: 'Error parsing input performing %1 on %2' },
  '3301': { disposition: '5', category: '1', http: 401, rest: '3301', text: 'Stale credentials' },
  '3302': { disposition: '5', category: '1', http: 401, rest: '3301', text: 'Not authenticated' },
  '4000': { disposition: '5', category: '4', http: 500, rest: '3002', text: 'Internal Error' },
  '4009': { disposition: '4', category: '0', http: 400, rest: '3000', text: 'Invalid X-FromAppId in header' },
  '4010': { disposition: '4', category: '0', http: 400, rest: '3000', text: 'Invalid X-TransactionId in header' },
  '4014': { disposition: '4', category: '0', http: 400, rest: '3000', text: 'Invalid Accept header' },
  '4016': {
    disposition: '4',
    category: '0',
    http: 400,
    rest: '3000',
    text: 'The depth parameter must be a number or the string "all"',
  },
  '6107': {
    disposition: '5',
    category: '4',
    http: 400,
    rest: '3000',
    text: 'Required Edge-property not found in input data',
  },
  '6110': { disposition: '5', category: '4', http: 400, rest: '3100', text: 'Node cannot be deleted' },
  '6111': { disposition: '5', category: '4', http: 400, rest: '3000', text: 'JSON processing error' },
  '6114': { disposition: '5', category: '4', http: 404, rest: '3001', text: 'Node Not Found' },
  '6118': { disposition: '5', category: '4', http: 400, rest: '3000', text: 'Required Field not passed.' },
  '6120': { disposition: '5', category: '4', http: 400, rest: '3000', text: 'Bad Parameter Passed' },
  '6127': { disposition: '5', category: '4', http: 404, rest: '3001', text: 'Edge Not Found' },
  '6129': { disposition: '5', category: '4', http: 404, rest: '3003', text: 'Error making edge to target node' },
  '6130': { disposition: '5', category: '4', http: 412, rest: '3000', text: 'Precondition Required' },
  '6131': { disposition: '5', category: '4', http: 412, rest: '3000', text: 'Precondition Failed' },
  '6135': { disposition: '5', category: '4', http: 412, rest: '3000', text: 'Resource version specified on create' },
  '6140': { disposition: '5', category: '4', http: 400, rest: '3000', text: 'Edge multiplicity violated' },
  '6145': {
    disposition: '5',
    category: '4',
    http: 400,
    rest: '3000',
    text: 'Cannot create a nested/containment edge via relationship',
  },
  '6146': {
    disposition: '5',
    category: '4',
    http: 400,
    rest: '3000',
    text: 'Ambiguous identity map found, use a URI instead',
  },
  '6147': { disposition: '5', category: '4', http: 400, rest: '3000', text: 'Payload Limit Reached, reduce payload' },
  '6149': { disposition: '5', category: '4', http: 404, rest: '3000', text: 'No relationship was found' },
} as const satisfies Record<string, ErrorDefinition>;

export type AaiErrorCode = keyof typeof CATALOGUE;

export interface ServiceException {
  messageId: string;
  text: string;
  variables: string[];
}

export interface RequestErrorBody {
  requestError: { serviceException: ServiceException } | { policyException: ServiceException };
}

/** An AAI failure: the error code, its detail, extra template arguments and (rarely) a different HTTP status. */
export class AaiError extends Error {
  readonly status: number;

  constructor(
    readonly code: AaiErrorCode,
    readonly detail = '',
    readonly templateVars: readonly string[] = [],
    status?: number,
  ) {
    super(`AAI_${code} ${CATALOGUE[code].text}${detail ? `: ${detail}` : ''}`);
    this.name = 'AaiError';
    this.status = status ?? CATALOGUE[code].http;
  }

  /** "ERR.5.4.6114" (or "4.0.4009": only disposition 5 gets the ERR. prefix). */
  get codeString(): string {
    const d: ErrorDefinition = CATALOGUE[this.code];
    return `${d.disposition === '5' ? 'ERR.' : ''}${d.disposition}.${d.category}.${this.code}`;
  }

  /** "<error text>:<detail>", the message variable of the body. */
  get messageVariable(): string {
    const text = CATALOGUE[this.code].text;
    return this.detail ? `${text}:${this.detail}` : text;
  }
}

/** The requestError body for `err`; `leadingVars` are what the request contributes (usually [METHOD, path]). */
export function requestErrorBody(err: AaiError, leadingVars: readonly string[] = []): RequestErrorBody {
  const def: ErrorDefinition = CATALOGUE[err.code];
  const restText = (CATALOGUE as Record<string, ErrorDefinition>)[def.rest]?.text ?? def.text;
  const placeholders = (restText.match(/%/g) ?? []).length;
  const variables = [...leadingVars, ...err.templateVars];
  while (variables.length < placeholders) variables.push('null');
  variables.splice(placeholders, 0, err.messageVariable, err.codeString);
  const exception: ServiceException = {
    messageId: `${def.category === '1' ? 'POL' : 'SVC'}${def.rest}`,
    text: `${restText} (msg=%${placeholders + 1}) (ec=%${placeholders + 2})`,
    variables,
  };
  return {
    requestError: def.category === '1' ? { policyException: exception } : { serviceException: exception },
  };
}

/** The AAI error that best explains an arbitrary HTTP status (fault injection). */
export function errorForStatus(status: number, detail: string): AaiError {
  const byStatus: Record<number, AaiErrorCode> = { 400: '3000', 401: '3302', 404: '6114', 412: '6131' };
  return new AaiError(byStatus[status] ?? '4000', detail, [], status);
}
