// e2e tests talk to a real control plane: give every test minutes, not jest's default 5 s.
import { jest } from '@jest/globals';

jest.setTimeout(180_000);
