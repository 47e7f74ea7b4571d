// Kinds with no status to judge (rows CFG-01..02): they are Ready as soon as they exist.
import { Reason } from '../reasons.js';
import { ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const existsIsReady: StatusRule = (obj) => ready(Reason.Exists, `${obj.kind ?? 'object'} exists`);
