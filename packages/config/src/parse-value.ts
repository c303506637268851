import type { Option } from './option';

/** Thrown when an option's text cannot be read as its kind; the loader adds where it came from. */
export class OptionValueError extends Error {}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Parses the text of one option as its declared kind and checks its bounds. */
export function parseOptionValue(option: Option<unknown>, text: string): unknown {
  const raw = text.trim();
  switch (option.kind) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^[-+]?\d+$/.test(raw)) throw new OptionValueError(`'${raw}' is not an integer`);
      return checkBounds(option, Number.parseInt(raw, 10));
    }
    case 'float': {
      const n = Number(raw);
      if (raw === '' || Number.isNaN(n)) throw new OptionValueError(`'${raw}' is not a number`);
      return checkBounds(option, n);
    }
    case 'bool': {
      const lower = raw.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      throw new OptionValueError(`'${raw}' is not a boolean (true/false)`);
    }
    case 'list':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    case 'enum': {
      if (!option.choices?.includes(raw)) {
        throw new OptionValueError(`'${raw}' is not one of: ${option.choices?.join(', ')}`);
      }
      return raw;
    }
  }
}

function checkBounds(option: Option<unknown>, n: number): number {
  if (option.min !== undefined && n < option.min) throw new OptionValueError(`${n} is below the minimum ${option.min}`);
  if (option.max !== undefined && n > option.max) throw new OptionValueError(`${n} is above the maximum ${option.max}`);
  return n;
}
