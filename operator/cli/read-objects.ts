// Reads Kubernetes objects from YAML or JSON text: multi-document YAML, a JSON value, a JSON array, or a stream
// of concatenated JSON values (JSON lines). `kind: List` (and typed lists such as PodList) are flattened.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../mappers/status/types.js';
import { UsageError } from './errors.js';

/** Reads a file, or standard input for "-". */
export function readInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new UsageError(`${path === '-' ? 'standard input' : path}: cannot read: ${why}`, { cause: err });
  }
}

/** Splits concatenated JSON values ("{...}{...}" or one per line); undefined when the text is not such a stream. */
function splitJsonStream(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) {
        try {
          values.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          return undefined;
        }
      }
    } else if (depth === 0 && !/\s/.test(c!)) return undefined;
  }
  return depth === 0 ? values : undefined;
}

/** Parses the text into documents (each a parsed value, nulls for empty documents). */
function parseDocuments(text: string, source: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const single: unknown = JSON.parse(text);
      return Array.isArray(single) ? single : [single];
    } catch {
      const stream = splitJsonStream(text);
      if (stream) return stream.flatMap((v) => (Array.isArray(v) ? v : [v]));
      // Not JSON after all: fall through to YAML, which reports the position of the problem.
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  list.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new UsageError(`${source}: document ${i + 1}: invalid YAML${where}: ${err.message.split('\n')[0]}`);
    }
    out.push(doc.toJS());
  });
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks one object and flattens lists; `where` names it in messages ("document 2", "document 1, item 3"). */
function collect(
  value: unknown,
  where: string,
  source: string,
  out: KubeObject[],
  inherited?: { apiVersion?: string; kind?: string },
): void {
  if (!isObject(value))
    throw new UsageError(
      `${source}: ${where}: expected a Kubernetes object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  const obj = { ...value } as KubeObject;
  if (obj.kind === undefined && inherited?.kind) obj.kind = inherited.kind;
  if (obj.apiVersion === undefined && inherited?.apiVersion) obj.apiVersion = inherited.apiVersion;
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new UsageError(`${source}: ${where}: missing kind`);
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '')
    throw new UsageError(`${source}: ${where} (${obj.kind}): missing apiVersion`);
  const items = obj.items;
  if (obj.kind.endsWith('List') && Array.isArray(items)) {
    // kubectl's `kind: List` items carry their own kind; typed lists (PodList) leave it to the list.
    const itemKind = obj.kind === 'List' ? undefined : obj.kind.slice(0, -'List'.length);
    items.forEach((item, j) =>
      collect(
        item,
        `${where}, item ${j + 1}`,
        source,
        out,
        itemKind ? { kind: itemKind, apiVersion: obj.apiVersion } : undefined,
      ),
    );
    return;
  }
  if (!isObject(obj.metadata) || typeof obj.metadata.name !== 'string' || obj.metadata.name === '') {
    throw new UsageError(`${source}: ${where} (${obj.kind}): missing metadata.name`);
  }
  out.push(obj);
}

/** All objects in the text, in input order. */
export function parseObjects(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  parseDocuments(text, source).forEach((doc, i) => {
    if (doc === null || doc === undefined) return; // empty document ("---" alone)
    collect(doc, `document ${i + 1}`, source, out);
  });
  return out;
}
