// Cost limits for CEL override rules (pure). The expressions come from the operator admin, the objects they read
// from anyone who may create them, so both sides are bounded: at load, an expression's length, size and comprehension
// nesting; at run time, the worst case of its comprehensions on this object (every list a comprehension can range
// over is at most the object's element count, so n^nesting bounds the iterations) before it is evaluated.
import type { parse } from '@bufbuild/cel';

type Expr = ReturnType<typeof parse>['expr'];

export const CEL_LIMITS = {
  /** Characters of one expression. */
  maxLength: 2048,
  /** AST nodes of one expression. */
  maxNodes: 500,
  /** Comprehensions (all, exists, map, filter, …) nested in one another. */
  maxNesting: 2,
  /** Worst-case iterations on one object (element count ^ nesting) before evaluation is refused. */
  maxIterations: 1_000_000,
};

export interface AstShape {
  nodes: number;
  /** Deepest nesting of comprehensions. */
  nesting: number;
}

/** Size and comprehension nesting of a parsed expression. */
export function astShape(expr: Expr | undefined): AstShape {
  if (!expr) return { nodes: 0, nesting: 0 };
  const kind = expr.exprKind;
  const children: Array<Expr | undefined> = [];
  let body: Array<Expr | undefined> = [];
  switch (kind.case) {
    case 'selectExpr':
      children.push(kind.value.operand);
      break;
    case 'callExpr':
      children.push(kind.value.target, ...kind.value.args);
      break;
    case 'listExpr':
      children.push(...kind.value.elements);
      break;
    case 'structExpr':
      for (const e of kind.value.entries)
        children.push(e.value, e.keyKind.case === 'mapKey' ? e.keyKind.value : undefined);
      break;
    case 'comprehensionExpr':
      children.push(kind.value.iterRange, kind.value.accuInit, kind.value.result);
      body = [kind.value.loopCondition, kind.value.loopStep];
      break;
    default:
      break;
  }
  let nodes = 1;
  let nesting = 0;
  for (const c of children) {
    const s = astShape(c);
    nodes += s.nodes;
    nesting = Math.max(nesting, s.nesting);
  }
  for (const c of body) {
    const s = astShape(c);
    nodes += s.nodes;
    nesting = Math.max(nesting, s.nesting + 1);
  }
  if (kind.case === 'comprehensionExpr') nesting = Math.max(nesting, 1);
  return { nodes, nesting };
}

/** Why an expression is too large to load, or undefined. */
export function loadProblem(text: string, shape: AstShape): string | undefined {
  if (text.length > CEL_LIMITS.maxLength) return `longer than ${CEL_LIMITS.maxLength} characters`;
  if (shape.nodes > CEL_LIMITS.maxNodes) return `more than ${CEL_LIMITS.maxNodes} nodes (${shape.nodes})`;
  if (shape.nesting > CEL_LIMITS.maxNesting)
    return `comprehensions nested ${shape.nesting} deep (at most ${CEL_LIMITS.maxNesting})`;
  return undefined;
}

/** Elements of every list and entries of every map in a JSON value (bounds what a comprehension ranges over). */
export function elementCount(value: unknown): number {
  if (Array.isArray(value)) return value.length + value.reduce((n: number, v) => n + elementCount(v), 0);
  if (value && typeof value === 'object') {
    let n = 0;
    for (const v of Object.values(value)) n += 1 + elementCount(v);
    return n;
  }
  return 0;
}

/** Worst-case iterations of an expression with this nesting on an object of `elements` elements. */
export const worstCaseIterations = (elements: number, nesting: number): number =>
  nesting === 0 ? 0 : Math.max(elements, 1) ** nesting;
