// --color=auto|always|never for the commands that print for people (rbi tree, rbi status <instance>): auto colours
// only a terminal, and never when NO_COLOR is set (https://no-color.org: set to anything but the empty string).
import { Option } from 'commander';

const WHEN = ['auto', 'always', 'never'] as const;
export type ColorWhen = (typeof WHEN)[number];

/** The --color option (commander refuses any other value: one line, exit 2). */
export const colorOption = () =>
  new Option('--color <when>', 'colour the states (auto: on a terminal, unless NO_COLOR is set)')
    .choices(WHEN)
    .default('auto');

/** Whether to colour, from the flag, whether stdout is a terminal, and the environment. */
export function useColor(when: ColorWhen, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (when !== 'auto') return when === 'always';
  return isTTY && !env.NO_COLOR;
}
