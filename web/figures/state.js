// state.js — a figure's settings and their home in the URL: each figure declares its settings
// once, as a schema (a number in a range, a whole number, one of some choices, on/off, or a list
// of numbers), and this module reads them from a query string, checking each (a malformed value
// falls back to its default and leaves a note saying why, as on the main page), and writes them
// back, leaving out what equals the default, so that a link reproduces the figure. Plain data
// and functions, no DOM: Node's tests run it too.

/** A short, safe rendering of a user's text for a note (never markup: callers use textContent). */
export const quote = (text) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** The text of a number in a URL: at most 4 decimals, no trailing zeros. */
export const formatNumber = (v) => String(Number(v.toFixed(4)));

/** The schema's default state, as a fresh object. */
export function defaults(schema) {
  return Object.fromEntries(Object.entries(schema).map(([name, s]) => [name, Array.isArray(s.default) ? [...s.default] : s.default]));
}

/** What a setting may be, in words, for notes. */
function expected(s) {
  switch (s.type) {
    case 'number': return `a number from ${s.min} to ${s.max}`;
    case 'int': return `a whole number from ${s.min} to ${s.max}`;
    case 'choice': return `one of ${Object.keys(s.values).join(', ')}`;
    case 'bool': return '0 or 1';
    case 'list': return `${s.length[0]} to ${s.length[1]} numbers from ${s.min} to ${s.max}, separated by commas`;
    default: throw new Error(`unknown setting type ${s.type}`);
  }
}

const inRange = (s, v) => Number.isFinite(v) && v >= s.min && v <= s.max;

/** The value of text for setting s, or undefined if it is not one. */
function parseValue(s, text) {
  const number = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;
  switch (s.type) {
    case 'number': return number.test(text) && inRange(s, Number(text)) ? Number(text) : undefined;
    case 'int': return /^\s*[-+]?\d+\s*$/.test(text) && inRange(s, Number(text)) ? Number(text) : undefined;
    case 'choice': return Object.hasOwn(s.values, text) ? text : undefined;
    case 'bool': return text === '1' ? true : text === '0' ? false : undefined;
    case 'list': {
      const parts = text.split(',');
      if (parts.length < s.length[0] || parts.length > s.length[1] || !parts.every((p) => number.test(p))) return undefined;
      const values = parts.map(Number);
      return values.every((v) => inRange(s, v)) ? values : undefined;
    }
    default: return undefined;
  }
}

/** The text of a value in the URL. */
export function formatValue(s, value) {
  switch (s.type) {
    case 'bool': return value ? '1' : '0';
    case 'number': return formatNumber(value);
    case 'list': return value.map(formatNumber).join(',');
    default: return String(value);
  }
}

/**
 * Reads a figure's state from a query string: { state, notes }. `reserved` are parameters the
 * frame reads itself (figure, embed); any other name the schema lacks is noted and ignored.
 * `fix(state, notes)`, if given, makes settings agree with each other (a list as long as a count).
 */
export function parseState(schema, search, { reserved = [], fix } = {}) {
  const params = new URLSearchParams(search);
  const state = defaults(schema), notes = [];
  for (const [name, text] of params) {
    if (reserved.includes(name)) continue;
    const s = schema[name];
    if (!s) {
      notes.push(`unknown setting ${quote(name)} ignored; this figure's settings are ${Object.keys(schema).join(', ')}`);
      continue;
    }
    const value = parseValue(s, text);
    if (value === undefined) notes.push(`${name}=${quote(text)} is not ${expected(s)}; using ${formatValue(s, state[name])}`);
    else state[name] = value;
  }
  fix?.(state, notes);
  return { state, notes };
}

/** The query string's settings for a state: those that differ from the defaults, in the
 * schema's order, as [name, text] pairs. */
export function stateEntries(schema, state) {
  const base = defaults(schema), entries = [];
  for (const [name, s] of Object.entries(schema)) {
    const text = formatValue(s, state[name]);
    if (text !== formatValue(s, base[name])) entries.push([name, text]);
  }
  return entries;
}

/** Clamps v into setting s's range and onto its step (for controls and dragging). */
export function clampTo(s, v) {
  const step = s.step ?? (s.type === 'int' ? 1 : 0);
  let x = Math.min(s.max, Math.max(s.min, v));
  if (step) x = Math.round((x - s.min) / step) * step + s.min;
  return Number(Math.min(s.max, Math.max(s.min, x)).toFixed(6));
}
